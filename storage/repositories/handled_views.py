"""Remembering handled view submissions, so one `view.id` creates at most one record."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import HandledView
from storage.repositories.inserts import insert_returning, insert_returning_if

_TABLE = cast(Table, HandledView.__table__)
# The claim for SQLite and for PostgreSQL (True), built once: a submission runs one.
_CLAIMS = {
    postgres: (postgresql.insert if postgres else sqlite.insert)(_TABLE)
    .on_conflict_do_nothing(index_elements=[_TABLE.c.view_id])
    .returning(_TABLE.c.view_id)
    for postgres in (False, True)
}
# The same claim as the guard of a row's INSERT on PostgreSQL (`claim_and_insert`).
_CLAIM_GUARD = (
    postgresql.insert(_TABLE)
    .values(
        view_id=bindparam("claimed_view_id", type_=_TABLE.c.view_id.type),
        handled_at=bindparam("claimed_at", type_=_TABLE.c.handled_at.type),
    )
    .on_conflict_do_nothing(index_elements=[_TABLE.c.view_id])
    .returning(_TABLE.c.view_id)
    .cte("claim")
)


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

    def claim_and_insert(self, view_id: str, at: datetime, item: Any) -> bool:
        """Claim the view and, only if this claim won, INSERT `item` (a new mapped object).

        The same claim as `claim`'s, decided the same way, and the same row as
        `insert_returning`'s (persistent and complete); on PostgreSQL the two are one
        statement, `WITH claim AS (INSERT … ON CONFLICT DO NOTHING RETURNING …) INSERT … SELECT
        … FROM claim`, so the row is written exactly when the claim returns one.
        """
        if self._session.connection().dialect.name != "postgresql":
            if not self.claim(view_id, at):
                return False
            insert_returning(self._session, item)
            return True
        guard = {"claimed_view_id": view_id, "claimed_at": at}
        return insert_returning_if(self._session, item, _CLAIM_GUARD, guard)
