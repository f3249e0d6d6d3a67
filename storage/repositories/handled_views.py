"""Remembering handled view submissions, so one `view.id` creates at most one record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import HandledView


class HandledViewRepository:
    """Claims a `view.id` inside the transaction that saves what the view created."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, view_id: str, at: datetime) -> bool:
        """Mark the view handled; False when an earlier submission of it already was.

        One `INSERT … ON CONFLICT DO NOTHING`: no savepoint around a failing insert, so the
        claim is a single round trip, and a repeat racing the first waits for it to commit.
        """
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(HandledView)
            .values(view_id=view_id, handled_at=at)
            .on_conflict_do_nothing(index_elements=[HandledView.view_id])
        )
        result = self._session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]
