"""Exports and statistics for coordinators: who may have them, and what goes in them.

The CSV is built page by page, each page read in its own short unit of work, so a large
export never holds a transaction open while the file is written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta

from slack_sdk import WebClient

from handlers.deps import Deps
from handlers.exports import tables
from handlers.exports.schemas import ExportRequest, parse_export
from handlers.exports.stats import NetworkStats
from handlers.exports.upload import upload_to_dm
from storage.models import Event, PolicyUpdate, Practice, TaRequest

log = logging.getLogger(__name__)

NOT_COORDINATOR = "Only coordinators can export the network's records."
NOUNS = {
    "practices": "practices",
    "ta": "TA requests",
    "events": "events",
    "ta-offerings": "TA offerings",
    "policy": "policy updates",
}


def check(deps: Deps, user_id: str, args: str) -> ExportRequest | str:
    """The export `user_id` asked for, or why they cannot have it.

    Coordinators only, decided from settings and the user Slack vouches for.
    """
    if not deps.settings.is_coordinator(user_id):
        return NOT_COORDINATOR
    return parse_export(args)


def start_of(day: date, deps: Deps) -> datetime:
    """Midnight at the start of `day` in the network's time zone, as an aware time."""
    return datetime.combine(day, time.min, tzinfo=deps.settings.timezone)


def _records(deps: Deps, request: ExportRequest) -> Iterator[object]:
    since = start_of(request.since, deps) if request.since else None
    after = 0
    while True:
        with deps.uow() as uow:
            page: Sequence[object]
            if request.kind == "practices":
                practices = uow.reports.practices_page(since=since, after_id=after)
                page, after = practices, (practices[-1].id if practices else after)
            elif request.kind == "ta":
                requests = uow.reports.ta_requests_page(since=since, after_id=after)
                page, after = requests, (requests[-1].id if requests else after)
            elif request.kind == "ta-offerings":
                offerings = uow.reports.ta_offerings_page(since=since, after_id=after)
                page, after = offerings, (offerings[-1].id if offerings else after)
            elif request.kind == "policy":
                updates = uow.reports.policy_updates_page(since=since, after_id=after)
                page = [tables.PolicyRecord(update, n) for update, n in updates]
                after = updates[-1][0].id if updates else after
            else:
                events = uow.reports.events_page(since=since, after_id=after)
                page = [tables.EventRecord(event, going) for event, going in events]
                after = events[-1][0].id if events else after
        if not page:
            return
        yield from page


def csv_text(deps: Deps, request: ExportRequest) -> tuple[str, int]:
    """The export as CSV text, and how many records it holds."""
    tz = deps.settings.timezone
    rows = [tables.row(request.kind, record, tz) for record in _records(deps, request)]
    return tables.to_csv([tables.header(request.kind), *rows]), len(rows)


def filename(request: ExportRequest, today: date) -> str:
    """`ccsn-practices-2026-11-30.csv`, or `ccsn-ta-since-2026-01-01-2026-11-30.csv`."""
    since = f"-since-{request.since.isoformat()}" if request.since else ""
    return f"ccsn-{request.kind}{since}-{today.isoformat()}.csv"


def preparing(request: ExportRequest) -> str:
    """The immediate answer, before the export is built."""
    since = f" since {request.since.isoformat()}" if request.since else ""
    return (
        f"Preparing the {NOUNS[request.kind]} export{since}… "
        "I'll send the CSV to you in a direct message."
    )


def send_to_dm(deps: Deps, client: WebClient, user_id: str, request: ExportRequest) -> int:
    """Build the export and upload it to the coordinator's DM; returns the number of rows.

    Raises:
        SlackApiError, OSError: Slack refused or could not be reached (nothing was shared).
    """
    text, count = csv_text(deps, request)
    today = deps.clock().astimezone(deps.settings.timezone).date()
    since = f", created since {request.since.isoformat()}" if request.since else ""
    upload_to_dm(
        client,
        user_id,
        filename=filename(request, today),
        content=text.encode("utf-8"),
        title=f"CCSN {NOUNS[request.kind]} export, {today.isoformat()}",
        comment=(
            f"Here is the {NOUNS[request.kind]} export: {count} "
            f"{'row' if count == 1 else 'rows'}{since}. The columns are described in the "
            "CCSN Hub README (Exports)."
        ),
    )
    log.info("export.sent kind=%s rows=%d user=%s", request.kind, count, user_id)
    return count


def network_stats(deps: Deps, start: date | None, end: date) -> NetworkStats:
    """Counts of what was created from `start` to `end` (inclusive, network time zone)."""
    since = start_of(start, deps) if start else None
    until = start_of(end + timedelta(days=1), deps)
    with deps.uow() as uow:
        reports = uow.reports
        return NetworkStats(
            start=start,
            end=end,
            timezone=deps.settings.ccsn_timezone,
            practices_by_region=reports.count_by(Practice, Practice.region, start=since, end=until),
            events_by_region=reports.count_by(Event, Event.region, start=since, end=until),
            ta_by_region=reports.count_by(TaRequest, TaRequest.region, start=since, end=until),
            practices_by_pillar=reports.practice_pillars(start=since, end=until),
            ta_by_topic=reports.count_by(TaRequest, TaRequest.topic, start=since, end=until),
            offerings_by_topic=reports.offering_lists("topics", start=since, end=until),
            offerings_by_region=reports.offering_lists("regions", start=since, end=until),
            ta_matched=reports.ta_requests_matched(start=since, end=until),
            policy_by_kind=reports.count_by(
                PolicyUpdate, PolicyUpdate.update_kind, start=since, end=until
            ),
            policy_by_stage=reports.count_by(
                PolicyUpdate, PolicyUpdate.stage, start=since, end=until
            ),
            policy_by_pillar=reports.list_counts(
                PolicyUpdate, PolicyUpdate.pillars, start=since, end=until
            ),
            policy_by_funding=reports.list_counts(
                PolicyUpdate, PolicyUpdate.funding_streams, start=since, end=until
            ),
        )
