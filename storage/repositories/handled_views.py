"""Remembering handled view submissions, so one `view.id` creates at most one record."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import HandledView

_TABLE = cast(Table, HandledView.__table__)


class HandledViewRepository:
    """Claims a `view.id` inside the transaction that saves what the view created."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, view_id: str, at: datetime) -> bool:
        """Mark the view handled; False when an earlier submission of it already was.

        One `INSERT … ON CONFLICT DO NOTHING RETURNING`: the view is claimed exactly when a row
        comes back, on both databases (a driver's `rowcount` for it is not to be trusted, and
        the savepoint a failing insert needs costs two more round trips). A repeat racing the
        first waits on the key until the first commits (then gets no row) or rolls back (then
        claims it). The statement goes through Core, not the ORM's bulk insert, so what comes
        back is exactly what PostgreSQL or SQLite returned.
        """
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(_TABLE)
            .values(view_id=view_id, handled_at=at)
            .on_conflict_do_nothing(index_elements=[_TABLE.c.view_id])
            .returning(_TABLE.c.view_id)
        )
        return self._session.execute(statement).first() is not None
