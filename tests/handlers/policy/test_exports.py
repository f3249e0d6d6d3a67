"""`/ccsn export policy` and the stats: every update, its followers and history; counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from bot.app import Runtime, build_runtime
from core.config import Settings
from handlers.exports import service, tables
from handlers.exports.stats import stats_text
from tests.conftest import COORDINATORS, MEMBER, FrozenClock
from tests.handlers.exports.conftest import InlineExecutor, export, read_csv
from tests.handlers.policy.helpers import follow, published, share, update_status
from tests.harness import Bot

COORD_DM = f"D{COORDINATORS[0]}"


@pytest.fixture
def runtime(settings: Settings, clock: FrozenClock) -> Iterator[Runtime]:
    runtime = build_runtime(settings, clock=clock, listener_executor=InlineExecutor())
    yield runtime
    runtime.close()


def test_a_coordinator_gets_every_update_with_followers_and_history(bot: Bot) -> None:
    """Columns of its own; a formula-looking title is neutralised as in every export."""
    update = published(bot, title='=HYPERLINK("https://evil.example")', funding=["ccspp", "elop"])
    share(
        bot,
        title="Pending grant",
        kind="funding",
        stage="open",
        identifier=None,
        view_id="VPENDING03",
    )
    follow(bot, update.id, "UANA00001")
    update_status(bot, MEMBER, update.id, "passed_one_house", "Passed the Assembly")

    answer = export(bot, COORDINATORS[0], "policy")

    assert answer["text"].startswith("Preparing the policy updates export")
    [upload] = bot.slack.shared_files(COORD_DM)
    assert upload.filename == "ccsn-policy-2026-11-30.csv"
    rows = read_csv(upload)
    assert list(rows[0]) == tables.header("policy")
    first = rows[0]
    assert first["title"].startswith("'=HYPERLINK")
    assert (first["status"], first["kind"], first["stage"]) == (
        "approved",
        "Bill",
        "Passed one house",
    )
    assert first["key_dates"] == "Hearing 2026-12-10"
    assert first["funding_streams"].startswith("CCSPP grant; ELO-P")
    assert first["followers"] == "1"
    assert "passed_one_house (Passed the Assembly) by UMEMBER01" in first["history"]
    assert rows[1]["status"] == "pending"


def test_stats_count_updates_by_kind_status_pillar_and_funding(bot: Bot) -> None:
    """Two bills (one approved), a grant: each table counts them."""
    published(bot, funding=["ccspp"])
    share(bot, view_id="VPENDING04", pillars=["engagement"], funding=[])
    share(
        bot, view_id="VPENDING05", kind="funding", stage="open", identifier=None, funding=["elop"]
    )

    text = stats_text(service.network_stats(bot.runtime.deps, None, date(2026, 11, 30)))

    def table(title: str, numbers: int) -> dict[str, list[str]]:
        lines = text[text.index(title) :].split("\n\n")[0].splitlines()[2:]
        return {" ".join(ln.split()[:-numbers]): ln.split()[-numbers:] for ln in lines}

    assert table("Policy updates by status", 1) == {
        "pending": ["2"],
        "approved": ["1"],
        "total": ["3"],
    }
    kinds = table("Policy updates by kind", 2)
    assert kinds["Bill"] == ["2", "1"] and kinds["Funding opportunity"] == ["1", "0"]
    assert table("Policy updates by where they stand", 2)["In committee"] == ["2", "1"]
    assert table("Policy updates by pillar", 2)["Active family & community engagement"] == [
        "1",
        "0",
    ]
    funding = table("Policy updates by funding stream", 2)
    assert funding["CCSPP grant"] == ["1", "1"]
    assert funding["ELO-P (Expanded Learning Opportunities Program)"] == ["1", "0"]
