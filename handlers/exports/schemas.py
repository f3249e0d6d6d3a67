"""Reading `/ccsn export <practices|ta|events|ta-offerings|policy> [since YYYY-MM-DD]`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# What a coordinator may type, and the export it names.
KINDS = {
    "practices": "practices",
    "practice": "practices",
    "ta": "ta",
    "events": "events",
    "event": "events",
    "ta-offerings": "ta-offerings",
    "ta-offering": "ta-offerings",
    "policy": "policy",
}

USAGE = (
    "Say what to export: `/ccsn export practices`, `/ccsn export ta`, `/ccsn export events` "
    "or `/ccsn export ta-offerings`, "
    "or `/ccsn export policy`, "
    "optionally with `since YYYY-MM-DD` (for example `/ccsn export ta since 2026-01-01`)."
)


# The days an export or a count may start or end on: wider than any record the hub can hold,
# and narrow enough that midnight on the day after, in any time zone, is still a time Python
# and both databases can represent (`9999-12-31` plus a day is not).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)


def day_problem(day: date) -> str | None:
    """Why `day` cannot bound an export or a count, or None when it can."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"{day.isoformat()} is outside the dates the hub covers ({FIRST_DAY} to {LAST_DAY})"


@dataclass(frozen=True)
class ExportRequest:
    """Which table to export, and from which day (in the network's time zone) it starts."""

    kind: str
    since: date | None = None


def parse_export(args: str) -> ExportRequest | str:
    """The export asked for, or the usage to answer with when it cannot be read."""
    words = args.split()
    if not words or words[0].lower() not in KINDS:
        return USAGE
    kind = KINDS[words[0].lower()]
    rest = [word.lower() for word in words[1:]]
    if not rest:
        return ExportRequest(kind)
    if len(rest) == 2 and rest[0] == "since":
        try:
            since = date.fromisoformat(rest[1])
        except ValueError:
            return f"“{rest[1][:20]}” is not a date; write it as YYYY-MM-DD. {USAGE}"
        problem = day_problem(since)
        return ExportRequest(kind, since) if problem is None else f"{problem}. {USAGE}"
    return USAGE
