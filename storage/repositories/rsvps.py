"""RSVPs: who is going to which event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Rsvp


class RsvpRepository:
    """Adds, removes and counts attendance."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, event_id: int, user_id: str, at: datetime) -> bool:
        """Record that `user_id` is going; False if they already were."""
        try:
            with self._session.begin_nested():
                self._session.add(Rsvp(event_id=event_id, user_id=user_id, created_at=at))
        except IntegrityError:
            return False
        return True

    def remove(self, event_id: int, user_id: str) -> bool:
        """Withdraw an RSVP; False if there was none."""
        result = self._session.execute(
            delete(Rsvp)
            .where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def count(self, event_id: int) -> int:
        """How many members are going."""
        query = select(func.count()).select_from(Rsvp).where(Rsvp.event_id == event_id)
        return int(self._session.scalar(query) or 0)

    def for_event(self, event_id: int) -> Sequence[Rsvp]:
        """Everyone going, in the order they said so."""
        query = (
            select(Rsvp).where(Rsvp.event_id == event_id).order_by(Rsvp.created_at, Rsvp.user_id)
        )
        return self._session.scalars(query).all()
