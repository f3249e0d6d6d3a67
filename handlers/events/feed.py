"""The calendar files the HTTP server serves: one event, or every upcoming one."""

from __future__ import annotations

from handlers.deps import Deps
from handlers.events.calendar import calendar
from storage.models import EventStatus

PUBLIC = (EventStatus.APPROVED, EventStatus.CANCELLED)


def event_ics(deps: Deps, event_id: int) -> bytes | None:
    """One announced event as `.ics`, or None if it was never announced.

    A cancelled event is still served, marked CANCELLED, so a calendar that imported it
    learns of the cancellation when it next looks.
    """
    with deps.uow() as uow:
        event = uow.events.get(event_id)
        if event is None or event.status not in PUBLIC:
            return None
        return calendar([event], deps.settings.timezone)


def calendar_ics(deps: Deps) -> bytes:
    """Every approved event that has not ended, for subscribing (legislative staff, partners)."""
    with deps.uow() as uow:
        return calendar(uow.events.upcoming(deps.clock()), deps.settings.timezone)
