"""The CSV builder: formula neutralisation and how values are written."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.exports import tables
from storage.models import TaStatus

PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_character_at_the_start_gets_a_quote(start: str) -> None:
    """`=`, `+`, `-`, `@`, tab and carriage return at the start of a cell are neutralised."""
    assert tables.cell(f"{start}1+1", PACIFIC) == f"'{start}1+1"


def test_formula_characters_elsewhere_are_left_alone() -> None:
    """Only the first character matters: `a=b` and `1-2` stay as written."""
    assert tables.cell("a=b", PACIFIC) == "a=b"
    assert tables.cell(" =1", PACIFIC) == " =1"
    assert tables.cell("", PACIFIC) == ""


def test_values_are_written_as_people_read_them() -> None:
    """Times in the network's zone, dates ISO, yes/no, enum values, blanks for nothing."""
    assert tables.cell(datetime(2026, 7, 1, 16, 30, tzinfo=UTC), PACIFIC) == "2026-07-01 09:30"
    assert tables.cell(date(2026, 12, 15), PACIFIC) == "2026-12-15"
    assert tables.cell(True, PACIFIC) == "yes"
    assert tables.cell(False, PACIFIC) == "no"
    assert tables.cell(TaStatus.CLAIMED, PACIFIC) == "claimed"
    assert tables.cell(None, PACIFIC) == ""
    assert tables.cell(-3, PACIFIC) == "'-3"  # no column holds numbers below zero


def test_commas_quotes_and_newlines_survive_a_round_trip() -> None:
    """Text with separators is quoted so a CSV reader gets it back unchanged."""
    text = tables.to_csv([["a", "b"], ['say "hi", then\nleave', "x"]])

    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["a", "b"],
        ['say "hi", then\nleave', "x"],
    ]
