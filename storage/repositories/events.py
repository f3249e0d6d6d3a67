"""Events: saving announcements, moving them through review, editing and cancelling them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from storage.models import Event, EventStatus
from storage.repositories.submissions import SubmissionRepository


class EventRepository(SubmissionRepository[Event]):
    """Loads and changes events; every change is compare-and-set, so only one racer wins.

    Review's states (decide, resubmit, withdraw) come from `SubmissionRepository`; what is
    events' own is editing and cancelling an announced event, and the calendar's queries.
    """

    model = Event
    status_enum = EventStatus

    def _touched(self, at: datetime) -> dict[str, Any]:
        """Every change to an event records when, for the calendar's `LAST-MODIFIED`."""
        return {"updated_at": at}

    def lock(self, event_id: int) -> Event | None:
        """The event, locked until the transaction ends (PostgreSQL `FOR UPDATE`).

        Changes that must see each other, such as two RSVPs recounting attendance, queue here.
        SQLite needs no row lock: `BEGIN IMMEDIATE` already lets one writer in at a time.
        """
        query = (
            select(Event)
            .where(Event.id == event_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return self._session.scalars(query).first()

    def edit_published(
        self,
        event_id: int,
        *,
        sequence: int,
        changes: Mapping[str, Any],
        at: datetime,
        rescheduled: bool,
    ) -> bool:
        """Change an approved event in place; False if it changed since the form was opened."""
        values: dict[str, Any] = {**changes, "sequence": sequence + 1, "updated_at": at}
        if rescheduled:
            values["rescheduled_at"] = at
        return self._change(
            event_id,
            (Event.status == EventStatus.APPROVED, Event.sequence == sequence),
            **values,
        )

    def cancel(self, event_id: int, *, actor_id: str, at: datetime, reason: str | None) -> bool:
        """Cancel an approved event; False if it was not approved (already cancelled, ...)."""
        return self._change(
            event_id,
            (Event.status == EventStatus.APPROVED,),
            status=EventStatus.CANCELLED,
            cancelled_at=at,
            cancelled_by=actor_id,
            cancel_reason=reason,
            sequence=Event.sequence + 1,
            updated_at=at,
        )

    def upcoming(self, now: datetime) -> Sequence[Event]:
        """Approved events that have not ended, soonest first."""
        query = (
            select(Event)
            .where(Event.status == EventStatus.APPROVED, Event.ends_at > now)
            .order_by(Event.starts_at, Event.id)
        )
        return self._session.scalars(query).all()

    def starting_within(self, now: datetime, lead: timedelta) -> Sequence[Event]:
        """Approved events that start after `now` but no later than `now + lead`."""
        query = (
            select(Event)
            .where(
                Event.status == EventStatus.APPROVED,
                Event.starts_at > now,
                Event.starts_at <= now + lead,
            )
            .order_by(Event.starts_at, Event.id)
        )
        return self._session.scalars(query).all()
