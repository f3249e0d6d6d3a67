"""What one member's Home tab shows: their own submissions, upcoming events, the review queue.

Every list is bounded (`limit`) and every count is one query, so a member who has shared
hundreds of things costs the same few queries as one who has shared one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.models import Event, EventStatus, PolicyUpdate, Practice, Rsvp, TaRequest


class HomeRepository:
    """Bounded reads for the Home tab."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def practices_of(self, user_id: str, limit: int) -> tuple[Sequence[Practice], int]:
        """The member's most recently shared practices, newest first, and how many in all."""
        query = (
            select(Practice)
            .where(Practice.submitter_id == user_id)
            .order_by(Practice.created_at.desc(), Practice.id.desc())
            .limit(limit)
        )
        return self._session.scalars(query).all(), self._count(Practice.submitter_id, user_id)

    def events_of(self, user_id: str, limit: int) -> tuple[Sequence[Event], int]:
        """The member's most recently announced events, newest first, and how many in all."""
        query = (
            select(Event)
            .where(Event.submitter_id == user_id)
            .order_by(Event.created_at.desc(), Event.id.desc())
            .limit(limit)
        )
        return self._session.scalars(query).all(), self._count(Event.submitter_id, user_id)

    def ta_requests_of(self, user_id: str, limit: int) -> tuple[Sequence[TaRequest], int]:
        """The member's most recent TA requests, newest first, and how many in all."""
        query = (
            select(TaRequest)
            .where(TaRequest.requester_id == user_id)
            .order_by(TaRequest.created_at.desc(), TaRequest.id.desc())
            .limit(limit)
        )
        return self._session.scalars(query).all(), self._count(TaRequest.requester_id, user_id)

    def policy_updates_of(self, user_id: str, limit: int) -> tuple[Sequence[PolicyUpdate], int]:
        """The member's most recently shared policy updates, newest first, and how many."""
        query = (
            select(PolicyUpdate)
            .where(PolicyUpdate.submitter_id == user_id)
            .order_by(PolicyUpdate.created_at.desc(), PolicyUpdate.id.desc())
            .limit(limit)
        )
        return self._session.scalars(query).all(), self._count(PolicyUpdate.submitter_id, user_id)

    def upcoming_events(self, now: datetime, limit: int) -> tuple[Sequence[Event], int]:
        """Approved events that have not ended, soonest first, and how many there are."""
        live = (Event.status == EventStatus.APPROVED, Event.ends_at > now)
        query = select(Event).where(*live).order_by(Event.starts_at, Event.id).limit(limit)
        total = self._session.scalar(select(func.count()).select_from(Event).where(*live))
        return self._session.scalars(query).all(), int(total or 0)

    def rsvp_counts(self, event_ids: Collection[int]) -> dict[int, int]:
        """How many members are going to each of these events (absent: none)."""
        if not event_ids:
            return {}
        query = (
            select(Rsvp.event_id, func.count())
            .where(Rsvp.event_id.in_(event_ids))
            .group_by(Rsvp.event_id)
        )
        return {event_id: int(count) for event_id, count in self._session.execute(query)}

    def going(self, user_id: str, event_ids: Collection[int]) -> set[int]:
        """Which of these events the member has RSVP'd to."""
        if not event_ids:
            return set()
        query = select(Rsvp.event_id).where(Rsvp.user_id == user_id, Rsvp.event_id.in_(event_ids))
        return set(self._session.scalars(query))

    def waiting(
        self,
        status: InstrumentedAttribute[Any],
        value: object,
        since: InstrumentedAttribute[datetime],
    ) -> tuple[int, datetime | None]:
        """How many rows have `status == value`, and the oldest `since` among them.

        Used for the review queue: pending practices and events (since submitted), open TA
        requests (since opened); each is answered from the table's (status, time) index.
        """
        count, oldest = self._session.execute(
            select(func.count(), func.min(since)).where(status == value)
        ).one()
        return int(count or 0), oldest

    def _count(self, column: InstrumentedAttribute[str], user_id: str) -> int:
        return int(self._session.scalar(select(func.count()).where(column == user_id)) or 0)
