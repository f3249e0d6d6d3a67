"""Writing new rows with one Core `INSERT` each instead of the ORM's unit-of-work flush.

A flush sorts the session's changes, snapshots every attribute and fetches defaults back one
by one: for the few rows a submission writes, that bookkeeping cost more CPU than the rest of
the submission (issue 17). These helpers write the same columns with the same defaults, so
what is stored does not change.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from functools import cache
from typing import Any, cast

from sqlalchemy import Column, Insert, Table, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value


@cache
def _columns(model: Hashable) -> tuple[tuple[str, Column[Any]], ...]:
    """(attribute, column) of each mapped column of `model`."""
    return tuple(
        (prop.key, cast(Column[Any], prop.columns[0])) for prop in sa_inspect(model).column_attrs
    )


@cache
def _insert_many(table: Table) -> Insert:
    """With `RETURNING`, SQLAlchemy sends a batch as one INSERT with a VALUES list."""
    return insert(table).returning(table.c.id)


@cache
def _returning_all(model: Hashable) -> Insert:
    table = cast(Table, sa_inspect(model).local_table)
    return insert(table).returning(*table.c)


def insert_returning(session: Session, item: Any) -> None:
    """INSERT `item` (a new mapped object) and make it persistent in `session`, as a flush would.

    The columns given a value (by the constructor or since) are written; the others get their
    column defaults, as the ORM would give them. Every column comes back from `RETURNING`, so
    the object is complete (its `id` included) without a read. Anything already pending in the
    session is flushed first, so rows still go to the database in the order they were added.
    """
    if not sa_inspect(item).transient:  # already in a session: the ORM's own way
        session.add(item)
        session.flush()
        return
    session.flush()  # nothing to do, and no SQL, when nothing is pending
    model: Any = type(item)  # a class is hashable, whatever typeshed says of type[Any]
    state = item.__dict__
    values = {column.key: state[attr] for attr, column in _columns(model) if attr in state}
    row = session.connection().execute(_returning_all(model), values).one()._mapping
    for attr, column in _columns(model):
        set_committed_value(item, attr, row[column])
    make_transient_to_detached(item)
    session.add(item)


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT `rows` into `table` in one statement, in the order given; the caller needs no ids.

    Pending ORM changes are flushed first, so the rows come after whatever was added before.
    """
    if not rows:
        return
    session.flush()
    # With RETURNING the batch is one INSERT with a VALUES list; without, psycopg's
    # executemany runs a pipeline, which took far more CPU under load (issue 17).
    session.connection().execute(_insert_many(table), list(rows))
