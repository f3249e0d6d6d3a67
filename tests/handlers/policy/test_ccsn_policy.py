"""`/ccsn policy`: published updates, open deadlines first, narrowed by words and filters."""

from __future__ import annotations

import json

from demokit import simulate
from tests.conftest import MEMBER
from tests.handlers.policy.helpers import published, share
from tests.harness import Bot, body_json


def ask(bot: Bot, text: str) -> dict[str, object]:
    return body_json(bot.send(simulate.slash_command("/ccsn", MEMBER, f"policy {text}")))


def titles(answer: dict[str, object]) -> list[str]:
    found = []
    for block in answer["blocks"][1:]:  # type: ignore[index]
        text = block.get("text", {}).get("text", "")
        if text.startswith("*"):
            found.append(text.split("*")[1])
    return found


def test_open_deadlines_come_first_soonest_first(bot: Bot) -> None:
    """An update without dates comes after those with one ahead, which are soonest first."""
    published(
        bot,
        title="Guidance on expanded learning",
        kind="guidance",
        stage="final",
        identifier=None,
        key_dates=[],
    )
    published(
        bot,
        title="CCSPP implementation grants",
        kind="funding",
        stage="open",
        identifier=None,
        key_dates=[("Applications due", "2027-02-01")],
    )
    published(bot, title="Coordinator bill", key_dates=[("Hearing", "2026-12-10")])
    share(bot, title="Pending and not listed", view_id="VPENDING02")

    answer = ask(bot, "")

    assert titles(answer) == [
        "Coordinator bill",
        "CCSPP implementation grants",
        "Guidance on expanded learning",
    ]
    assert "Applications due:* Mon, Feb 1, 2027" in json.dumps(answer)


def test_words_and_filters_narrow_the_list(bot: Bot) -> None:
    """Words use the full-text index; kind:, status:, pillar: and funding: are exact."""
    published(bot, title="Coordinator bill", summary="Funds a coordinator at every school site.")
    published(
        bot,
        title="ELO-P funding notice",
        kind="funding",
        stage="closing_soon",
        identifier=None,
        pillars=["learning_time"],
        funding=["elop"],
        summary="Expanded learning dollars for summer programmes in 2027.",
    )

    assert titles(ask(bot, "coordinator")) == ["Coordinator bill"]
    assert titles(ask(bot, "kind:funding")) == ["ELO-P funding notice"]
    assert titles(ask(bot, 'status:"closing soon"')) == ["ELO-P funding notice"]
    assert titles(ask(bot, "pillar:leadership")) == ["Coordinator bill"]
    assert titles(ask(bot, "funding:elop summer")) == ["ELO-P funding notice"]
    unknown = ask(bot, "kind:treaty")
    assert "I don't know the kind “treaty”." in json.dumps(unknown, ensure_ascii=False)


def test_ccsn_search_finds_policy_updates_too(bot: Bot) -> None:
    """The network-wide search lists a published update as a Policy update."""
    published(bot, title="Coordinator bill")
    answer = body_json(bot.send(simulate.slash_command("/ccsn", MEMBER, "search coordinator")))
    assert "Policy update · State of California" in json.dumps(answer, ensure_ascii=False)
