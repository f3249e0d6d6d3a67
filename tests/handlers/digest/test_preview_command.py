"""`/ccsn digest`: coordinators see the coming digest, only themselves, before it is posted."""

from __future__ import annotations

from datetime import timedelta

from demokit import simulate
from tests.conftest import COORDINATORS, MEMBER, FrozenClock
from tests.handlers.ccsn.conftest import command_answer
from tests.handlers.digest.conftest import DUE, approved
from tests.harness import Bot


def digest_command(bot: Bot, user: str) -> dict:
    return command_answer(bot.send(simulate.slash_command("/ccsn", user, "digest")))


def test_a_coordinator_sees_the_coming_digest_ephemerally(bot: Bot, clock: FrozenClock) -> None:
    """The answer shows next Monday's digest as of now; nothing is recorded or sent."""
    approved(bot, 2, at=DUE + timedelta(days=1))
    clock.now = DUE + timedelta(days=2)

    answer = digest_command(bot, COORDINATORS[0])
    bot.deliver()

    assert answer["text"] == "Preview: CCSN weekly digest · Dec 7, 2026: 2 new practices"
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    flat = str(answer["blocks"])
    assert "Family resource nights 0" in flat and "Family resource nights 1" in flat
    assert "{permalink" not in flat
    assert "Preview, only visible to you." in str(answer["blocks"][-1])
    assert len(answer["blocks"]) <= 50
    assert bot.slack.posts() == []
    assert bot.audit() == []


def test_a_busy_preview_says_how_many_replies_follow(bot: Bot, clock: FrozenClock) -> None:
    """With 300 practices the preview shows the first message and counts the thread replies."""
    approved(bot, 300, at=DUE + timedelta(days=1))
    clock.now = DUE + timedelta(days=2)

    answer = digest_command(bot, COORDINATORS[0])

    assert len(answer["blocks"]) <= 50
    assert "more messages follow in its thread." in str(answer["blocks"][-1])


def test_members_cannot_preview_the_digest(bot: Bot) -> None:
    """A member gets a polite refusal, decided from who Slack says they are."""
    answer = digest_command(bot, MEMBER)

    assert answer == {"text": "Only coordinators can preview the digest."}
