"""Each benchmark runs end to end at a toy size, so none can rot. No timing is asserted here.

What is asserted is what the benchmarks themselves check: every request answered, every
accepted submission saved with its outbox messages, every queued message delivered in order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import run
from bench.databases import fresh_database
from bench.digest import measure_digest
from bench.footprint import measure_footprint
from bench.history import measure_outbox_history
from bench.library import measure_library
from bench.modal import measure_modal
from bench.outbox import measure_outbox
from bench.processes import Stack, stack
from bench.report import Row
from bench.search import measure_search
from bench.submission import measure_submission


@pytest.fixture
def sqlite_stack(tmp_path: Path) -> Iterator[Stack]:
    with fresh_database("sqlite", tmp_path) as url, stack(url, tmp_path) as running:
        yield running


@pytest.fixture
def any_stack(schema: str, tmp_path: Path) -> Iterator[Stack]:
    with stack(schema, tmp_path) as running:
        yield running


def measured(rows: list[Row]) -> dict[str, Row]:
    assert all(row.bot is not None and not math.isnan(row.bot) for row in rows)
    return {row.measure: row for row in rows}


def test_modal_benchmark_opens_a_modal_for_every_request(sqlite_stack: Stack) -> None:
    """Both apps answer every slash command and the fake Slack opened a modal for each."""
    rows = measured(measure_modal(sqlite_stack, requests=3, clients=(1, 2)))

    assert len(rows) == 6
    for clients in ("1 client", "2 clients"):
        row = rows[f"slash command -> modal, p99, {clients}"]
        assert row.baseline is not None
        assert "(0 failed), 0 accepted without a modal opened" in row.note


def test_submission_benchmark_loses_nothing(any_stack: Stack) -> None:
    """Every accepted submission is a saved practice with its two outbox messages."""
    rows = measured(measure_submission(any_stack, requests=6, clients=2))

    lost = next(row for name, row in rows.items() if name.endswith("lost"))
    assert lost.bot == 0
    assert lost.met is True


def test_outbox_benchmark_delivers_everything_in_order(schema: str, tmp_path: Path) -> None:
    """Unlimited, rate-limited and fan-out drains all deliver every message, in order."""
    rows = measure_outbox(schema, tmp_path, messages=30, per_channel_limited=2, fan_out=20)

    assert len(rows) == 3
    assert all(row.met is True for row in rows[:2]), [row.note for row in rows]
    assert "40/40 sent" in rows[1].note
    assert "20/20 sent" in rows[2].note


def test_history_benchmark_times_the_claim_with_and_without_history(schema: str) -> None:
    """The outbox claim is timed on an empty outbox and behind delivered messages."""
    rows = measured(measure_outbox_history(schema, history=200))

    assert len(rows) == 1
    row = next(iter(rows.values()))
    assert "200 delivered behind the queue" in row.measure
    assert row.baseline is not None and row.baseline > 0


def test_footprint_benchmark_reports_start_up_and_memory(sqlite_stack: Stack) -> None:
    """Time to healthy and resident memory are measured for both apps."""
    rows = measured(measure_footprint(sqlite_stack, requests=20, clients=2))

    assert rows["serve: start to healthy"].baseline is not None
    assert rows["serve: resident memory after start"].bot > 10  # type: ignore[operator]
    growth = rows["serve: memory growth over requests 2-20"]
    assert growth.note.startswith("0 requests failed")


def test_digest_benchmark_builds_the_same_week_over_a_growing_history(schema: str) -> None:
    """Each size is timed against the size before it, and the digest shows the same week."""
    rows = measure_digest(schema, sizes=(300, 900), recent=60, builds=2)

    assert len(rows) == 2
    measured(rows)
    assert [row.measure.split(", ")[1] for row in rows] == [
        "300 submissions",
        "900 submissions",
    ]
    assert "with the week alone (60 submissions, no history)" in rows[0].note
    assert "with 300 submissions stored" in rows[1].note
    weeks = {row.note.split("the week: ")[1] for row in rows}
    assert len(weeks) == 1 and "new practices" in next(iter(weeks))


def test_search_benchmark_times_every_search_against_a_smaller_archive(schema: str) -> None:
    """The p95 of the mix is measured over the archive and over a tenth of it."""
    rows = measured(measure_search(schema, size=300, queries=20))

    [row] = rows.values()
    assert row.measure.endswith("p95, 300 approved practices")
    assert row.baseline is not None and row.baseline > 0
    assert "the same 20 searches over 30 practices" in row.note


def test_cli_prints_the_table_and_writes_the_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m bench` prints one table and writes the results file."""
    out = tmp_path / "results.json"

    argv = ["--quick", "--only", "digest,search", "--no-postgres", "--out", str(out)]
    assert run.main(argv) == 0

    printed = capsys.readouterr().out
    assert printed.startswith("| measure ")
    assert "search (SQLite), p95, 2,000 approved practices" in printed
    assert "digest build (SQLite), 2,000 submissions" in printed
    data = json.loads(out.read_text())
    assert len(data["results"]) == 3
    assert all(row["bot"] is not None for row in data["results"])
    assert data["machine"]["cores"]


def test_library_benchmark_times_the_site_against_a_bare_template(schema: str) -> None:
    """Both percentiles are measured for the site and the bare template at a toy size."""
    rows = measured(measure_library(schema, size=300, requests=16))

    p99 = rows[next(name for name in rows if ", p99, 300 approved practices" in name)]
    assert p99.baseline is not None and p99.baseline > 0
    assert p99.met is None  # the target is set at the size only
    assert "the cold first request took" in p99.note
