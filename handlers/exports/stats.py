"""What the network reports to funders: counts by status, region, pillar and TA topic.

Pure: `NetworkStats` is built by the service from grouped counts, and `stats_text` lays it out
as a plain-text table for `ccsn-bot stats`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from core.vocabulary import FUNDING_STREAMS, PILLARS, POLICY_KINDS, REGIONS, STAGE_LABELS, TA_TOPICS
from handlers.events.views import region_label

# (value, status) -> count, as the report repository groups them.
Counts = Mapping[tuple[str, str], int]

PRACTICE_STATUSES = ("pending", "changes_requested", "approved", "rejected", "withdrawn")
EVENT_STATUSES = ("pending", "changes_requested", "approved", "rejected", "withdrawn", "cancelled")
TA_STATUSES = ("open", "claimed", "resolved", "cancelled")
OFFERING_LISTED = ("approved", "retired")


@dataclass(frozen=True)
class NetworkStats:
    """Counts of what was shared, announced or asked between two dates (inclusive)."""

    start: date | None
    end: date
    timezone: str
    practices_by_region: Counts
    events_by_region: Counts
    ta_by_region: Counts
    practices_by_pillar: Counts
    ta_by_topic: Counts
    offerings_by_topic: Counts = field(default_factory=dict)
    offerings_by_region: Counts = field(default_factory=dict)
    ta_matched: int = 0
    # Policy updates (kind of update, stage, pillar, funding stream) x review status.
    policy_by_kind: Counts = field(default_factory=dict)
    policy_by_stage: Counts = field(default_factory=dict)
    policy_by_pillar: Counts = field(default_factory=dict)
    policy_by_funding: Counts = field(default_factory=dict)


def _by_status(counts: Counts) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (_, status), count in counts.items():
        totals[status] = totals.get(status, 0) + count
    return totals


def _total(counts: Counts, value: str, statuses: Iterable[str] | None = None) -> int:
    wanted = set(statuses) if statuses is not None else None
    return sum(
        count
        for (key, status), count in counts.items()
        if key == value and (wanted is None or status in wanted)
    )


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A titled table: the first column left-aligned, numbers right-aligned."""
    cells = [[str(c) for c in columns], *[[str(c) for c in r] for r in rows]]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = [v.rjust(w) for v, w in zip(values[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [title, line(cells[0]), *(line(r) for r in cells[1:]), ""]


def _status_rows(counts: Counts, statuses: Sequence[str]) -> list[list[object]]:
    totals = _by_status(counts)
    known = [s for s in statuses if totals.get(s)]
    others = sorted(s for s in totals if s not in statuses)
    rows: list[list[object]] = [[s.replace("_", " "), totals[s]] for s in [*known, *others]]
    rows.append(["total", sum(totals.values())])
    return rows


def stats_text(stats: NetworkStats) -> str:
    """The statistics as plain-text tables, one per question funders ask."""
    since = stats.start.isoformat() if stats.start else "the beginning"
    lines = [
        f"CCSN Hub, {since} to {stats.end.isoformat()} (dates in {stats.timezone}), "
        "counted by the day each item was shared, announced or asked.",
        "",
    ]
    lines += _table(
        "Practices by status",
        ["status", "practices"],
        _status_rows(stats.practices_by_region, PRACTICE_STATUSES),
    )
    lines += _table(
        "Events by status",
        ["status", "events"],
        _status_rows(stats.events_by_region, EVENT_STATUSES),
    )
    lines += _table(
        "TA requests by status",
        ["status", "requests"],
        _status_rows(stats.ta_by_region, TA_STATUSES),
    )
    regions = [*REGIONS, "statewide"]
    lines += _table(
        "By region",
        ["region", "practices", "approved", "events", "announced", "TA asked", "resolved"],
        [
            [
                region_label(region),
                _total(stats.practices_by_region, region),
                _total(stats.practices_by_region, region, ["approved"]),
                _total(stats.events_by_region, region),
                _total(stats.events_by_region, region, ["approved", "cancelled"]),
                _total(stats.ta_by_region, region),
                _total(stats.ta_by_region, region, ["resolved"]),
            ]
            for region in regions
        ],
    )
    lines += _table(
        "Practices by pillar (a practice may have several)",
        ["pillar", "practices", "approved"],
        [
            [
                label,
                _total(stats.practices_by_pillar, pillar),
                _total(stats.practices_by_pillar, pillar, ["approved"]),
            ]
            for pillar, label in PILLARS.items()
        ],
    )
    lines += _table(
        "TA requests by topic",
        ["topic", "asked", "resolved"],
        [
            [
                label,
                _total(stats.ta_by_topic, topic),
                _total(stats.ta_by_topic, topic, ["resolved"]),
            ]
            for topic, label in TA_TOPICS.items()
        ],
    )
    lines += _table(
        "TA offerings by topic (an offering may have several)",
        ["topic", "offered", "listed or retired"],
        [
            [
                label,
                _total(stats.offerings_by_topic, topic),
                _total(stats.offerings_by_topic, topic, OFFERING_LISTED),
            ]
            for topic, label in TA_TOPICS.items()
        ],
    )
    lines += _table(
        "TA offerings by region served (statewide ones serve every region)",
        ["region", "offered", "listed or retired"],
        [
            [
                region_label(region),
                _total(stats.offerings_by_region, region),
                _total(stats.offerings_by_region, region, OFFERING_LISTED),
            ]
            for region in regions
        ],
    )
    lines.append(f"TA requests matched to a TA directory offering: {stats.ta_matched}")
    lines.append("")
    lines += _policy_tables(stats)
    return "\n".join(lines)


def _policy_tables(stats: NetworkStats) -> list[str]:
    """Policy updates by review status, kind, stage, pillar and funding stream."""

    def rows(counts: Counts, labels: Mapping[str, str]) -> list[list[object]]:
        return [
            [label, _total(counts, value), _total(counts, value, ["approved"])]
            for value, label in labels.items()
        ]

    lines = _table(
        "Policy updates by status",
        ["status", "updates"],
        _status_rows(stats.policy_by_kind, PRACTICE_STATUSES),
    )
    lines += _table(
        "Policy updates by kind",
        ["kind", "shared", "approved"],
        rows(stats.policy_by_kind, POLICY_KINDS),
    )
    lines += _table(
        "Policy updates by where they stand",
        ["stage", "shared", "approved"],
        [r for r in rows(stats.policy_by_stage, STAGE_LABELS) if r[1]],
    )
    lines += _table(
        "Policy updates by pillar (an update may have several)",
        ["pillar", "shared", "approved"],
        rows(stats.policy_by_pillar, PILLARS),
    )
    lines += _table(
        "Policy updates by funding stream",
        ["funding stream", "shared", "approved"],
        rows(stats.policy_by_funding, FUNDING_STREAMS),
    )
    return lines
