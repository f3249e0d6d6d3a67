"""Rows of the results table, the table itself, and the JSON file written next to it."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Row:
    """One measure: the bot's value, the baseline's, and whether the target was met.

    `met` is None when the issue sets no target for the measure or it was not measured.
    """

    measure: str
    unit: str
    bot: float | None
    baseline: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """The bot's value over the baseline's, when both were measured."""
        if self.bot is None or not self.baseline:
            return None
        return self.bot / self.baseline

    @classmethod
    def not_measured(cls, measure: str, unit: str, why: str, target: str = "") -> Row:
        """A measure that cannot be taken yet; shown as such rather than with made-up numbers."""
        return cls(measure=measure, unit=unit, bot=None, target=target, note=why)


def _number(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "-"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def _met(row: Row) -> str:
    if row.met is None:
        return ""
    return "met" if row.met else "NOT MET"


def table(rows: Sequence[Row]) -> str:
    """A Markdown table (measure, bot, baseline, ratio, target, met) and the notes under it."""
    header = ("measure", "bot", "baseline", "ratio", "target", "met")
    lines = [header]
    for row in rows:
        ratio = row.ratio
        lines.append(
            (
                row.measure,
                _number(row.bot, row.unit) if row.bot is not None else row.note,
                _number(row.baseline, row.unit),
                "-" if ratio is None else f"{ratio:.2f}x",
                row.target or "-",
                _met(row),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def render(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [render(lines[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [render(line) for line in lines[1:]]
    notes = [f"- {row.measure}: {row.note}" for row in rows if row.note and row.bot is not None]
    if notes:
        out += ["", *notes]
    return "\n".join(out)


def write_json(path: Path, rows: Sequence[Row], machine: dict[str, Any]) -> None:
    """Write every row (with its ratio) and the machine description to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": machine,
        "results": [{**asdict(row), "ratio": row.ratio} for row in rows],
    }
    path.write_text(json.dumps(data, indent=2) + "\n")
