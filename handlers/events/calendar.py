"""iCalendar (RFC 5545) for events, so people without Slack can add or subscribe to them.

A pure builder: events in, `.ics` bytes out. Times are written in the network's time zone
with a VTIMEZONE covering the events, so calendars show the right hour on both sides of a
daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar

from handlers.events.views import region_label, type_label
from storage.models import Event

PRODID = "-//California Community Schools Network//CCSN Hub events//EN"
CALENDAR_NAME = "CCSN events"
REFRESH = timedelta(hours=1)


def uid(event_id: int) -> str:
    """A UID that never changes for the event, so calendars replace rather than duplicate it."""
    return f"ccsn-event-{event_id}@ccsn-hub"


def _description(event: Event) -> str:
    lines = [event.description, "", f"Host: {event.host_organisation}"]
    lines.append(f"{type_label(event.event_type)} · {region_label(event.region)}")
    if event.virtual_link:
        lines.append(f"Join online: {event.virtual_link}")
    if event.registration_link:
        lines.append(f"Register: {event.registration_link}")
    return "\n".join(lines)


def _vevent(event: Event, tz: ZoneInfo) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", uid(event.id))
    vevent.add("dtstamp", event.updated_at)
    vevent.add("created", event.created_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.starts_at.astimezone(tz))
    vevent.add("dtend", event.ends_at.astimezone(tz))
    vevent.add("summary", event.title)
    vevent.add("description", _description(event))
    vevent.add("categories", [type_label(event.event_type)])
    where = event.location or event.virtual_link
    if where:
        vevent.add("location", where)
    url = event.registration_link or event.virtual_link
    if url:
        vevent.add("url", url)
    cancelled = str(event.status) == "cancelled"
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return vevent


def calendar(events: Sequence[Event], tz: ZoneInfo, *, name: str = CALENDAR_NAME) -> bytes:
    """An iCalendar file with `events`, their times in `tz` and the VTIMEZONE they need."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz.key)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    for event in events:
        cal.add_component(_vevent(event, tz))
    if events:
        # Only the years the events span: the default (1970-2038) adds kilobytes of RDATEs.
        first = min(e.starts_at.astimezone(tz) for e in events).date() - timedelta(days=1)
        last = max(e.ends_at.astimezone(tz) for e in events).date() + timedelta(days=1)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()
