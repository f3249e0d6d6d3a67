"""Exporting and counting the TA directory: `export ta-offerings` (Slack and CLI), `stats`."""

from __future__ import annotations

import csv
import io

import pytest

from bot.cli import main
from demokit import simulate
from handlers.exports import tables
from handlers.ta import ids as ta_ids
from tests.conftest import COORDINATORS, MEMBER
from tests.handlers.exports.conftest import export, read_csv
from tests.handlers.ta.support import ta_values
from tests.handlers.ta_offerings.support import PROVIDER, listed, offer
from tests.harness import Bot

COORD = COORDINATORS[0]


def test_a_coordinator_gets_the_ta_offerings_csv(bot: Bot) -> None:
    """`/ccsn export ta-offerings` DMs every offering with its labels and state."""
    listed(bot)
    offer(bot, PROVIDER, organisation="=cmd|' /C calc'!A0")

    answer = export(bot, COORD, "ta-offerings")

    assert answer["text"].startswith("Preparing the TA offerings export")
    [upload] = bot.slack.shared_files(f"D{COORD}")
    assert upload.filename == "ccsn-ta-offerings-2026-11-30.csv"
    rows = read_csv(upload)
    assert list(rows[0]) == tables.header("ta-offerings")
    assert [(r["status"], r["cost"], r["regions"]) for r in rows] == [
        ("approved", "Free", "Central Valley"),
        ("pending", "Free", "Central Valley"),
    ]
    assert rows[0]["topics"] == (
        "Aligning the LCAP with community schools; Sustainability & braided funding"
    )
    assert rows[0]["contacts"] == PROVIDER and rows[0]["unconfirmed"] == "no"
    assert rows[1]["organisation"].startswith("'=")  # no formula in a spreadsheet


def test_the_cli_writes_the_same_csv_and_stats_count_offerings_and_matches(
    bot: Bot, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ccsn-bot export ta-offerings` prints the CSV; `stats` counts topics, regions, matches."""
    listed(bot)
    listed(bot, organisation="Statewide Coaching", regions=["statewide"], topics=["lcap"])
    body = simulate.view_submission(
        ta_ids.REQUEST_MODAL, MEMBER, ta_values(topic="lcap", county="Fresno"), view_id="VREQ0001"
    )
    bot.send(body)
    monkeypatch.setenv("DATABASE_URL", bot.runtime.settings.database_url)

    assert main(["export", "ta-offerings"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["organisation"] for r in rows] == [
        "Fresno County Office of Education",
        "Statewide Coaching",
    ]
    assert main(["stats", "--from", "2026-11-01", "--to", "2026-12-31"]) == 0
    stats = capsys.readouterr().out
    tables_by_title = {t.splitlines()[0]: t.splitlines()[1:] for t in stats.split("\n\n") if t}
    by_topic = tables_by_title["TA offerings by topic (an offering may have several)"]
    by_region = tables_by_title["TA offerings by region served (statewide ones serve every region)"]
    assert next(r for r in by_topic if r.startswith("Aligning the LCAP")).split()[-2:] == ["2", "2"]
    assert next(r for r in by_region if r.startswith("Statewide")).split()[-2:] == ["1", "1"]
    assert "TA requests matched to a TA directory offering: 1" in stats
