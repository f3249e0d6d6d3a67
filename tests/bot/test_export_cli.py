"""`ccsn-bot export` writes the same CSV as `/ccsn export`; `ccsn-bot stats` counts for funders."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from handlers.exports import tables
from storage.db import make_engine, make_session_factory
from storage.models import Event, EventStatus, Practice, PracticeStatus, TaRequest, TaStatus
from storage.uow import UnitOfWork

START = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # noon in California


@pytest.fixture
def database(schema: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI reads DATABASE_URL from the environment, like a deployment."""
    monkeypatch.setenv("DATABASE_URL", schema)
    return schema


def practice(n: int, **fields: object) -> Practice:
    values: dict[str, object] = {
        "status": PracticeStatus.APPROVED,
        "submitter_id": "UMEMBER01",
        "title": f"Practice {n}",
        "summary": "What we did and what changed for families.",
        "pillars": ["engagement"],
        "county": "Fresno",
        "region": "Central Valley",
        "organisation": "Roosevelt High School",
        "funding_streams": ["ccspp"],
        "link": None,
        "credit_submitter": True,
        "revision": 1,
        "created_at": START + timedelta(days=n),
        "submitted_at": START + timedelta(days=n),
    }
    values.update(fields)
    return Practice(**values)


def ta_request(n: int, **fields: object) -> TaRequest:
    values: dict[str, object] = {
        "status": TaStatus.OPEN,
        "requester_id": "UMEMBER01",
        "topic": "climate",
        "need": "Help with restorative circles.",
        "county": "Alameda",
        "region": "Bay Area",
        "organisation": "Hoover Elementary",
        "needed_by": date(2026, 6, 1),
        "format": "call",
        "share_in_digest": False,
        "created_at": START + timedelta(days=n),
        "opened_at": START + timedelta(days=n),
        "claims": 0,
    }
    values.update(fields)
    return TaRequest(**values)


def event(n: int, **fields: object) -> Event:
    values: dict[str, object] = {
        "status": EventStatus.APPROVED,
        "submitter_id": "UMEMBER01",
        "title": f"Event {n}",
        "event_type": "webinar",
        "starts_at": START + timedelta(days=30),
        "ends_at": START + timedelta(days=30, hours=1),
        "virtual_link": "https://example.org/zoom",
        "location": None,
        "registration_link": None,
        "host_organisation": "LPI",
        "region": "statewide",
        "description": "About things.",
        "revision": 1,
        "sequence": 0,
        "created_at": START + timedelta(days=n),
        "submitted_at": START + timedelta(days=n),
        "updated_at": START + timedelta(days=n),
    }
    values.update(fields)
    return Event(**values)


def store(database: str, *rows: object) -> None:
    engine = make_engine(database)
    with UnitOfWork(make_session_factory(engine)) as uow:
        uow.session.add_all(rows)
        uow.commit()
    engine.dispose()


def test_export_to_a_file_holds_every_row_in_order_across_pages(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2,050 practices (three pages) come out once each, oldest first, under the header."""
    store(database, *(practice(n % 200, title=f"Practice {n}") for n in range(2050)))
    output = tmp_path / "practices.csv"

    assert main(["export", "practices", "--output", str(output)]) == 0

    assert capsys.readouterr().out == f"wrote 2050 rows to {output}\n"
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == tables.header("practices")
    assert [row[2] for row in rows[1:]] == [f"Practice {n}" for n in range(2050)]


def test_export_to_stdout_with_since(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --output the CSV goes to stdout; --since drops what was created before it."""
    store(database, ta_request(0), ta_request(10, topic="assessment"))

    assert main(["export", "ta", "--since", "2026-03-05"]) == 0

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert [(r["reference"], r["topic"]) for r in rows] == [
        ("TA-2", "Needs & assets assessment / asset mapping")
    ]


def test_a_malformed_date_is_refused_in_one_line(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--since march` exits 2 with argparse's one-line message."""
    with pytest.raises(SystemExit) as exit_:
        main(["export", "events", "--since", "march"])

    assert exit_.value.code == 2
    assert "'march' is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_stats_count_by_status_region_pillar_and_topic(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Counts cover the dates given, inclusive, in the network's zone, as plain-text tables."""
    store(
        database,
        practice(0, pillars=["engagement", "supports"]),
        practice(1, status=PracticeStatus.PENDING, county="Alameda", region="Bay Area"),
        practice(2, status=PracticeStatus.REJECTED),
        practice(40),  # after --to
        ta_request(0, status=TaStatus.RESOLVED),
        ta_request(1, topic="assessment", region="Central Valley", county="Fresno"),
        event(2),
        event(3, status=EventStatus.PENDING, region="Bay Area"),
    )

    assert main(["stats", "--from", "2026-03-01", "--to", "2026-03-04"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("CCSN Hub, 2026-03-01 to 2026-03-04 (dates in America/Los_Angeles)")
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert_block(lines, "Practices by status", ["pending 1", "approved 1", "rejected 1", "total 3"])
    assert_block(lines, "Events by status", ["pending 1", "approved 1", "total 2"])
    assert_block(lines, "TA requests by status", ["open 1", "resolved 1", "total 2"])
    assert "Bay Area 1 0 1 0 1 1" in lines
    assert "Central Valley 2 1 0 0 1 0" in lines
    assert "Statewide 0 0 1 1 0 0" in lines
    assert "Active family & community engagement 3 1" in lines
    assert "Integrated student supports 1 1" in lines
    assert "Racially just, restorative school climate 1 1" in lines
    assert "Needs & assets assessment / asset mapping 1 0" in lines


def assert_block(lines: list[str], title: str, rows: list[str]) -> None:
    start = lines.index(title)
    assert lines[start + 2 : start + 2 + len(rows)] == rows


def test_export_needs_no_slack_settings(database: str) -> None:
    """The CLI works from DATABASE_URL alone (no token, no signing secret)."""
    assert main(["export", "events"]) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["stats", "--to", "9999-12-31"], "argument --to: 9999-12-31 is outside the dates"),
        (["stats", "--from", "0001-01-01"], "argument --from: 0001-01-01 is outside the dates"),
        (["export", "ta", "--since", "9999-12-31"], "argument --since: 9999-12-31 is outside"),
        (
            ["stats", "--from", "2026-03-05", "--to", "2026-03-01"],
            "--from 2026-03-05 is after --to 2026-03-01",
        ),
        (["stats", "--from", "2999-01-01"], "--from 2999-01-01 is after today ("),
    ],
    ids=["to-max", "from-min", "since-max", "from-after-to", "from-after-today"],
)
def test_dates_out_of_range_or_order_are_refused_naming_the_argument(
    database: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """Exit 2 with one line that names the argument, never a traceback."""
    with pytest.raises(SystemExit) as exit_:
        main(argv)

    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert message in err and "Traceback" not in err


def test_stats_up_to_the_last_covered_day_counts_everything(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--to 2999-12-31`, the widest range, still counts (midnight after it is representable)."""
    store(database, practice(0))

    assert main(["stats", "--from", "2000-01-01", "--to", "2999-12-31"]) == 0
    assert "total 1" in " ".join(capsys.readouterr().out.split())
