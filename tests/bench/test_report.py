"""The results table and JSON file."""

from __future__ import annotations

import json
from pathlib import Path

from bench.report import Row, table, write_json

ROWS = [
    Row("p99", "ms", 12.0, 10.0, target="< 50 ms", met=True),
    Row("throughput", "req/s", 80.0, 200.0, target=">= 100 req/s", met=False, note="800 sent"),
    Row.not_measured("digest build", "ms", "not measured yet (needs the digest feature)"),
]


def test_table_shows_values_ratios_targets_and_verdicts() -> None:
    """Each row reads measure, bot, baseline, ratio, target, met; notes follow the table."""
    lines = table(ROWS).splitlines()

    assert [cell.strip() for cell in lines[0].strip("|").split("|")] == [
        "measure",
        "bot",
        "baseline",
        "ratio",
        "target",
        "met",
    ]
    assert [cell.strip() for cell in lines[2].strip("|").split("|")] == [
        "p99",
        "12.0 ms",
        "10.0 ms",
        "1.20x",
        "< 50 ms",
        "met",
    ]
    assert "| NOT MET |" in lines[3]
    assert "not measured yet (needs the digest feature)" in lines[4]
    assert lines[-1] == "- throughput: 800 sent"


def test_json_holds_every_row_with_its_ratio_and_the_machine(tmp_path: Path) -> None:
    """The JSON file has the machine and one entry per row, ratio included."""
    path = tmp_path / "out" / "results.json"

    write_json(path, ROWS, {"cores": 2})

    data = json.loads(path.read_text())
    assert data["machine"] == {"cores": 2}
    assert [r["measure"] for r in data["results"]] == ["p99", "throughput", "digest build"]
    assert data["results"][1]["ratio"] == 0.4
    assert data["results"][2]["bot"] is None
