"""`/deadlines.ics`: every upcoming key date of published updates, as all-day events (RFC 5545).

A pure builder (updates in, bytes out) and the one read it needs. All-day events carry
`DTSTART;VALUE=DATE` and the next day as `DTEND`, so Outlook and Google Calendar show them on
their date in every time zone. Member text goes only through `icalendar`, which escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import icalendar

from handlers.deps import Deps
from handlers.policy import views
from handlers.policy.schemas import key_dates_of
from storage.models import PolicyUpdate

# Where `bot.web.WebApp` serves the file; the public tracker page links to it.
DEADLINES_PATH = "/deadlines.ics"
PRODID = "-//California Community Schools Network//CCSN Hub deadlines//EN"
CALENDAR_NAME = "CCSN policy and funding deadlines"
REFRESH = timedelta(hours=1)


def uid(update_id: int, position: int) -> str:
    """A UID for one key date of one update; an edited date replaces its event, not duplicates."""
    return f"ccsn-policy-{update_id}-{position}@ccsn-hub"


def _description(update: PolicyUpdate) -> str:
    lines = [
        f"{views.kind_label(update.update_kind)} · {views.jurisdiction_label(update)}",
        f"Status: {views.stage_label(update.stage)}",
        "",
        update.summary,
    ]
    if update.how_to_act:
        lines += ["", f"How members can act: {update.how_to_act}"]
    lines += ["", f"Source: {update.source_link}"]
    return "\n".join(lines)


def calendar(updates: Sequence[PolicyUpdate], first: date) -> bytes:
    """An iCalendar file with every key date on or after `first` of these updates."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    for update in updates:
        dates = key_dates_of(update.key_dates)
        for position, key_date in enumerate(dates, start=1):
            if key_date.on < first:
                continue
            vevent = icalendar.Event()
            vevent.add("uid", uid(update.id, position))
            vevent.add("dtstamp", update.updated_at)
            vevent.add("created", update.created_at)
            vevent.add("last-modified", update.updated_at)
            vevent.add("sequence", update.revision + update.sequence)
            vevent.add("dtstart", key_date.on)
            vevent.add("dtend", key_date.on + timedelta(days=1))
            vevent.add("transp", "TRANSPARENT")
            vevent.add("summary", f"{key_date.label}: {update.title}")
            vevent.add("description", _description(update))
            vevent.add("categories", [views.kind_label(update.update_kind)])
            vevent.add("url", update.source_link)
            cal.add_component(vevent)
    return cal.to_ical()


def deadlines_ics(deps: Deps) -> bytes:
    """Every key date from today on (network time) of every published update."""
    now: datetime = deps.clock()
    today = now.astimezone(deps.settings.timezone).date()
    with deps.uow() as uow:
        return calendar(uow.policy_updates.with_dates_from(today), today)
