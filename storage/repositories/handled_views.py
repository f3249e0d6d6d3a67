"""Remembering handled view submissions, so one `view.id` creates at most one record."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import HandledView

_TABLE = cast(Table, HandledView.__table__)
# The claim for SQLite and for PostgreSQL (True), built once: a submission runs one.
_CLAIMS = {
    postgres: (postgresql.insert if postgres else sqlite.insert)(_TABLE)
    .on_conflict_do_nothing(index_elements=[_TABLE.c.view_id])
    .returning(_TABLE.c.view_id)
    for postgres in (False, True)
}


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
        connection = self._session.connection()
        statement = _CLAIMS[connection.dialect.name == "postgresql"]
        row = connection.execute(statement, {"view_id": view_id, "handled_at": at}).first()
        return row is not None
