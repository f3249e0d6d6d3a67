"""Events: saving announcements, moving them through review, editing and cancelling them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Event, EventStatus
from storage.repositories.compare_and_set import compare_and_set


class EventRepository:
    """Loads and changes events; every change is compare-and-set, so only one racer wins."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, event: Event) -> Event:
        """Stage a new event and give it its id."""
        self._session.add(event)
        self._session.flush()
        return event

    def get(self, event_id: int) -> Event | None:
        """The event with this id, if any."""
        return self._session.get(Event, event_id)

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

    def transition(
        self,
        event_id: int,
        *,
        expected: EventStatus,
        revision: int,
        to: EventStatus,
        actor_id: str,
        at: datetime,
        reason: str | None = None,
    ) -> bool:
        """Record a coordinator's decision on exactly this revision of the event.

        False if someone else decided first or the member's edit made it a newer revision, so
        what is announced is the text the coordinator read.
        """
        return self._change(
            (Event.status == expected, Event.revision == revision),
            event_id,
            status=to,
            decided_by=actor_id,
            decided_at=at,
            decision_reason=reason,
            updated_at=at,
        )

    def resubmit(
        self,
        event_id: int,
        *,
        expected: EventStatus,
        revision: int,
        changes: Mapping[str, Any],
        at: datetime,
    ) -> bool:
        """Put an edited event back into review, as the next revision.

        False unless exactly this revision is still in the state the edit was checked against
        (waiting for review, or for the member's changes), so a stale form cannot resubmit
        twice, and an edit racing a decision either lands first or is refused.
        """
        return self._change(
            (Event.status == expected, Event.revision == revision),
            event_id,
            **changes,
            status=EventStatus.PENDING,
            revision=revision + 1,
            submitted_at=at,
            updated_at=at,
            decided_at=None,
            decided_by=None,
            decision_reason=None,
        )

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
            (Event.status == EventStatus.APPROVED, Event.sequence == sequence),
            event_id,
            **values,
        )

    def cancel(self, event_id: int, *, actor_id: str, at: datetime, reason: str | None) -> bool:
        """Cancel an approved event; False if it was not approved (already cancelled, ...)."""
        return self._change(
            (Event.status == EventStatus.APPROVED,),
            event_id,
            status=EventStatus.CANCELLED,
            cancelled_at=at,
            cancelled_by=actor_id,
            cancel_reason=reason,
            sequence=Event.sequence + 1,
            updated_at=at,
        )

    def withdraw(self, event_id: int, *, submitter_id: str, at: datetime) -> bool:
        """The member takes back an event not yet decided; False if it was decided first."""
        return self._change(
            (
                Event.submitter_id == submitter_id,
                Event.status.in_((EventStatus.PENDING, EventStatus.CHANGES_REQUESTED)),
            ),
            event_id,
            status=EventStatus.WITHDRAWN,
            decided_by=submitter_id,
            decided_at=at,
            decision_reason=None,
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

    def _change(self, conditions: tuple[Any, ...], event_id: int, **values: Any) -> bool:
        """One compare-and-set UPDATE; the loaded event then shows the row as it now is.

        After a win that is the row this UPDATE left (see `compare_and_set`); after a loss,
        the change that beat it.
        """
        return compare_and_set(self._session, Event, event_id, conditions, **values) is not None
