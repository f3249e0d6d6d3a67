"""Remembering handled view submissions, so one `view.id` creates at most one record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import HandledView


class HandledViewRepository:
    """Claims a `view.id` inside the transaction that saves what the view created."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, view_id: str, at: datetime) -> bool:
        """Mark the view handled; False when an earlier submission of it already was."""
        try:
            with self._session.begin_nested():
                self._session.add(HandledView(view_id=view_id, handled_at=at))
        except IntegrityError:
            return False
        return True
