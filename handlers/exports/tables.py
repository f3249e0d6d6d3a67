"""The CSV files coordinators export: columns, cell formatting and formula neutralisation.

Pure functions shared by `/ccsn export` and `ccsn-bot export`, so both write the same file.
A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return could run as a formula
when the file is opened in a spreadsheet (CSV injection), so it gets a leading `'`.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.vocabulary import (
    EVENT_TYPES,
    FUNDING_STREAMS,
    PILLARS,
    POLICY_KINDS,
    STAGE_LABELS,
    TA_COSTS,
    TA_FORMATS,
    TA_LANGUAGES,
    TA_OFFER_FORMATS,
    TA_TOPICS,
)
from handlers.events.views import region_label
from handlers.ta.views import reference

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class EventRecord:
    """An event with how many members said they are going."""

    event: Any
    going: int


@dataclass(frozen=True)
class PolicyRecord:
    """A policy update with how many members follow it."""

    update: Any
    followers: int


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading `'` when it could start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _labels(values: Iterable[str], labels: Mapping[str, str]) -> str:
    return "; ".join(labels.get(value, value) for value in values or [])


def _label(value: str | None, labels: Mapping[str, str]) -> str:
    return labels.get(value, value) if value else ""


Column = tuple[str, Callable[[Any], object]]

PRACTICE_COLUMNS: list[Column] = [
    ("id", lambda p: p.id),
    ("status", lambda p: p.status),
    ("title", lambda p: p.title),
    ("summary", lambda p: p.summary),
    ("organisation", lambda p: p.organisation),
    ("county", lambda p: p.county),
    ("region", lambda p: p.region),
    ("pillars", lambda p: _labels(p.pillars, PILLARS)),
    ("funding_streams", lambda p: _labels(p.funding_streams, FUNDING_STREAMS)),
    ("link", lambda p: p.link),
    ("submitted_by", lambda p: p.submitter_id),
    ("may_name_submitter", lambda p: p.credit_submitter),
    ("revision", lambda p: p.revision),
    ("created_at", lambda p: p.created_at),
    ("submitted_at", lambda p: p.submitted_at),
    ("decided_at", lambda p: p.decided_at),
    ("decided_by", lambda p: p.decided_by),
    ("decision_reason", lambda p: p.decision_reason),
]

TA_COLUMNS: list[Column] = [
    ("reference", lambda r: reference(r.id)),
    ("status", lambda r: r.status),
    ("topic", lambda r: _label(r.topic, TA_TOPICS)),
    ("need", lambda r: r.need),
    ("organisation", lambda r: r.organisation),
    ("county", lambda r: r.county),
    ("region", lambda r: r.region),
    ("needed_by", lambda r: r.needed_by),
    ("format", lambda r: _label(r.format, TA_FORMATS)),
    ("may_appear_in_digest", lambda r: r.share_in_digest),
    ("requested_by", lambda r: r.requester_id),
    ("created_at", lambda r: r.created_at),
    ("claimed_by", lambda r: r.claimed_by),
    ("claimed_at", lambda r: r.claimed_at),
    ("times_claimed", lambda r: r.claims),
    ("resolved_at", lambda r: r.resolved_at),
    ("resolution", lambda r: r.resolution),
    ("cancelled_at", lambda r: r.cancelled_at),
    ("helpful", lambda r: {"helpful": "yes", "not_helpful": "no"}.get(str(r.feedback or ""))),
    ("asked_of_offering", lambda r: r.offering_id),
    ("offering_contacts", lambda r: "; ".join(r.offering_contacts or [])),
]

EVENT_COLUMNS: list[Column] = [
    ("id", lambda e: e.event.id),
    ("status", lambda e: e.event.status),
    ("title", lambda e: e.event.title),
    ("event_type", lambda e: _label(e.event.event_type, EVENT_TYPES)),
    ("starts_at", lambda e: e.event.starts_at),
    ("ends_at", lambda e: e.event.ends_at),
    ("location", lambda e: e.event.location),
    ("virtual_link", lambda e: e.event.virtual_link),
    ("registration_link", lambda e: e.event.registration_link),
    ("host_organisation", lambda e: e.event.host_organisation),
    ("region", lambda e: region_label(e.event.region)),
    ("description", lambda e: e.event.description),
    ("announced_by", lambda e: e.event.submitter_id),
    ("rsvps", lambda e: e.going),
    ("created_at", lambda e: e.event.created_at),
    ("decided_at", lambda e: e.event.decided_at),
    ("decided_by", lambda e: e.event.decided_by),
    ("cancelled_at", lambda e: e.event.cancelled_at),
    ("cancel_reason", lambda e: e.event.cancel_reason),
]

OFFERING_COLUMNS: list[Column] = [
    ("id", lambda o: o.id),
    ("status", lambda o: o.status),
    ("unconfirmed", lambda o: o.unconfirmed),
    ("organisation", lambda o: o.organisation),
    ("description", lambda o: o.description),
    ("topics", lambda o: _labels(o.topics, TA_TOPICS)),
    ("regions", lambda o: "; ".join(region_label(r) for r in o.regions or [])),
    ("formats", lambda o: _labels(o.formats, TA_OFFER_FORMATS)),
    ("cost", lambda o: _label(o.cost, TA_COSTS)),
    ("languages", lambda o: _labels(o.languages, TA_LANGUAGES)),
    ("contact_link", lambda o: o.contact_link),
    ("contacts", lambda o: "; ".join(o.contact_ids)),
    ("offered_by", lambda o: o.submitter_id),
    ("revision", lambda o: o.revision),
    ("created_at", lambda o: o.created_at),
    ("decided_at", lambda o: o.decided_at),
    ("decided_by", lambda o: o.decided_by),
    ("decision_reason", lambda o: o.decision_reason),
    ("confirmed_at", lambda o: o.confirmed_at),
    ("reconfirm_asked_at", lambda o: o.reconfirm_asked_at),
    ("retired_at", lambda o: o.retired_at),
    ("retired_by", lambda o: o.retired_by),
]


def _key_dates(stored: object) -> str:
    """`Hearing 2026-12-10; Floor vote 2027-01-15`, from the row's JSON list."""
    entries = stored if isinstance(stored, list) else []
    return "; ".join(
        f"{e.get('label', '')} {e.get('on', '')}" for e in entries if isinstance(e, dict)
    )


def _history(stored: object) -> str:
    """Each status change as `2026-12-02 passed_one_house (Passed the Assembly) by U…`."""
    lines = []
    for entry in stored if isinstance(stored, list) else []:
        if isinstance(entry, dict):
            note = f" ({entry['note']})" if entry.get("note") else ""
            at = str(entry.get("at", ""))[:10]
            lines.append(f"{at} {entry.get('stage', '')}{note} by {entry.get('by', '')}")
    return "; ".join(lines)


POLICY_COLUMNS: list[Column] = [
    ("id", lambda r: r.update.id),
    ("status", lambda r: r.update.status),
    ("kind", lambda r: _label(r.update.update_kind, POLICY_KINDS)),
    ("title", lambda r: r.update.title),
    ("identifier", lambda r: r.update.identifier),
    ("jurisdiction", lambda r: r.update.jurisdiction),
    ("district", lambda r: r.update.district),
    ("region", lambda r: r.update.region),
    ("stage", lambda r: _label(r.update.stage, STAGE_LABELS)),
    ("key_dates", lambda r: _key_dates(r.update.key_dates)),
    ("source_link", lambda r: r.update.source_link),
    ("summary", lambda r: r.update.summary),
    ("how_members_can_act", lambda r: r.update.how_to_act),
    ("pillars", lambda r: _labels(r.update.pillars, PILLARS)),
    ("funding_streams", lambda r: _labels(r.update.funding_streams, FUNDING_STREAMS)),
    ("history", lambda r: _history(r.update.history)),
    ("followers", lambda r: r.followers),
    ("submitted_by", lambda r: r.update.submitter_id),
    ("revision", lambda r: r.update.revision),
    ("created_at", lambda r: r.update.created_at),
    ("decided_at", lambda r: r.update.decided_at),
    ("decided_by", lambda r: r.update.decided_by),
    ("decision_reason", lambda r: r.update.decision_reason),
    ("status_changed_at", lambda r: r.update.changed_at),
]

COLUMNS: dict[str, list[Column]] = {
    "practices": PRACTICE_COLUMNS,
    "ta": TA_COLUMNS,
    "events": EVENT_COLUMNS,
    "ta-offerings": OFFERING_COLUMNS,
    "policy": POLICY_COLUMNS,
}


def cell(value: object, tz: ZoneInfo) -> str:
    """One value as CSV text: times in the network's zone, yes/no, enum values, neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    return neutralise(str(value))


def header(kind: str) -> list[str]:
    """The column names of one export."""
    return [name for name, _ in COLUMNS[kind]]


def row(kind: str, record: object, tz: ZoneInfo) -> list[str]:
    """One record as CSV cells, in the export's column order."""
    return [cell(read(record), tz) for _, read in COLUMNS[kind]]


def to_csv(rows: Iterable[Sequence[str]]) -> str:
    """RFC 4180 CSV text (CRLF line ends, quotes only where needed)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()
