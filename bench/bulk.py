"""Writing generated rows fast: COPY on PostgreSQL, executemany on SQLite.

A million generated rows must take a minute, not ten, or nobody runs the large sizes. On
PostgreSQL, `COPY ... FROM STDIN` through psycopg streams rows with no per-statement cost; on
SQLite, sqlite3's executemany in a few large transactions. Values are stored as the models
would store them (enums by value, JSON as text, UTC times), bypassing SQLAlchemy's per-value
processing, which costs more than the database's own work at these sizes.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Engine, Table

from storage.types import UtcDateTime

SQLITE_BATCH = 50_000


def insert_rows(engine: Engine, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Store `rows` (dicts of column values, all with the same keys) in `table`; how many."""
    if engine.dialect.name == "postgresql":
        return _copy(engine, table, iter(rows))
    return _insert(engine, table, iter(rows))


def _insert(engine: Engine, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    """Rows straight to sqlite3's executemany, a transaction per `SQLITE_BATCH` rows.

    SQLAlchemy's per-value processing costs more than SQLite's insert itself, so values are
    converted here to what SQLAlchemy would store; tests read them back through the models.
    """
    first = next(rows, None)
    if first is None:
        return 0
    names = list(first)
    convert = [(name, _sqlite_adapter(table, name)) for name in names]
    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
    pending = _chain(first, rows)
    total = 0
    while batch := list(islice(pending, SQLITE_BATCH)):
        with engine.begin() as connection:  # BEGIN IMMEDIATE, as the bot's engine begins
            driver = connection.connection.driver_connection
            assert driver is not None
            driver.executemany(sql, [[f(row[n]) for n, f in convert] for row in batch])
            total += len(batch)
    return total


def _copy(engine: Engine, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    """One `COPY` of every row, through psycopg's copy protocol, in one transaction."""
    first = next(rows, None)
    if first is None:
        return 0
    names = list(first)
    adapt = [_adapter(table, name) for name in names]
    columns = ", ".join(f'"{name}"' for name in names)
    total = 0
    with engine.begin() as connection:  # commits the COPY's transaction on the way out
        driver = connection.connection.driver_connection
        assert driver is not None
        with (
            driver.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in _chain(first, rows):
                copy.write_row([f(row[name]) for f, name in zip(adapt, names, strict=True)])
                total += 1
    return total


def _chain(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def _sqlite_adapter(table: Table, name: str) -> Callable[[Any], Any]:
    """How a Python value is stored by SQLAlchemy on SQLite: naive UTC text times, JSON text."""
    kind = table.c[name].type
    if isinstance(kind, UtcDateTime):
        return lambda value: None if value is None else _sqlite_time(value)
    if isinstance(kind, Date):
        return lambda value: None if value is None else value.isoformat()
    if isinstance(kind, Boolean):
        return lambda value: None if value is None else int(value)
    return _adapter(table, name)


def _sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _adapter(table: Table, name: str) -> Callable[[Any], Any]:
    """How a Python value becomes COPY text for this column: JSON dumped, enums by value."""
    if isinstance(table.c[name].type, JSON):
        return lambda value: None if value is None else json.dumps(value)
    return lambda value: value.value if isinstance(value, enum.Enum) else value
