"""Writing new rows with as few Core statements as they need, instead of the ORM's flush.

A flush sorts the session's changes, snapshots every attribute and fetches defaults back one
by one: for the few rows a submission writes, that bookkeeping cost more CPU than the rest of
the submission (issue 17). These helpers write the same columns with the same defaults, so
what is stored does not change. On PostgreSQL they also merge statements: a submission's
claim of its view and its row are one statement, its audit row and outbox messages another,
since each statement sent costs the worker about as much CPU as the work it asks for.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, cast

from sqlalchemy import CTE, Column, Insert, String, Table, Text, bindparam, insert, select
from sqlalchemy import cast as sql_cast
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

_ROW = "row_"  # prefix of the row's parameters in `insert_returning_if`, apart from the guard's
_BATCH = "ccsn.insert_batch"  # session.info key of the rows a `batch()` block has collected

# (table, its rows) in the order they were given
Pending = list[tuple[Table, list[Mapping[str, Any]]]]


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


@cache
def _returning_all_if(model: Hashable, keys: frozenset[str], guard: CTE) -> Insert:
    """`WITH guard AS (…) INSERT INTO t (keys) SELECT … FROM guard RETURNING <the rest>`.

    The SELECT yields one row exactly when `guard` returned one. Only what the database itself
    fills in comes back (the id, server defaults): the rest is what the statement sent, and
    reading every column back cost more CPU than the insert (issue 17).
    """
    table = cast(Table, sa_inspect(model).local_table)
    columns, values = _select_row(table, tuple(c.key for c in table.c if c.key in keys), _ROW)
    return (
        insert(table)
        .from_select(columns, values.select_from(guard), include_defaults=False)
        .returning(*_filled_by_database(table, keys))
    )


@cache
def _filled_by_database(table: Table, keys: frozenset[str]) -> tuple[Column[Any], ...]:
    """What an INSERT giving `keys` leaves to the database: the id, server defaults, NULLs."""
    return tuple(c for c in table.c if c.key not in keys and c.default is None)


@cache
def _scalar_defaults(table: Table) -> tuple[tuple[str, Any], ...]:
    """(column key, value) of each column whose default is a plain value, written out."""
    return tuple(
        (c.key, cast(Any, c.default).arg)
        for c in table.c
        if c.default is not None and c.default.is_scalar
    )


def _with_computed_defaults(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """`row` with the Python-computed defaults (`default=list`) of the columns it leaves out.

    An `INSERT … SELECT` gets no defaults from SQLAlchemy, so they are computed here, as its
    own INSERT would compute them (with no execution context: a default that reads one
    cannot be used here); scalar defaults are written into the statement instead.
    """
    computed = {key: arg(None) for key, arg in _computed_defaults(table) if key not in row}
    return {**row, **computed} if computed else dict(row)


@cache
def _computed_defaults(table: Table) -> tuple[tuple[str, Any], ...]:
    """(column key, function) of each column of `table` whose default Python computes."""
    defaults: list[tuple[str, Any]] = []
    for column in table.c:
        default: Any = column.default  # a ColumnDefault, whose `arg` typeshed does not know
        if default is not None and default.is_callable:
            defaults.append((column.key, default.arg))
    return tuple(defaults)


def _select_row(table: Table, keys: tuple[str, ...], prefix: str) -> tuple[list[Column[Any]], Any]:
    """The columns and `SELECT` of one row of `table` for `INSERT … SELECT`.

    The row's values are the parameters `prefix + key`, each cast to its column's type (in a
    SELECT list PostgreSQL takes an untyped parameter as text), and the columns it leaves out
    get their defaults written out: SQLAlchemy gives an `INSERT … SELECT` none of its own.
    """
    columns = [table.c[key] for key in keys]
    binds = [_typed(bindparam(prefix + c.key, type_=c.type), c) for c in columns]
    for column in table.c:
        if column.key not in keys and column.default is not None:
            if not column.default.is_scalar:  # see `_with_computed_defaults`
                raise ValueError(f"{table.name}.{column.key}: a default given as SQL")
            columns.append(column)
            default: Any = column.default  # a scalar ColumnDefault
            value = bindparam(prefix + column.key, default.arg, type_=column.type)
            binds.append(_typed(value, column))
    return columns, select(*binds)


def _typed(value: Any, column: Column[Any]) -> Any:
    """`value` cast to `column`'s type, a string to TEXT.

    `CAST(… AS VARCHAR(n))` would cut a longer value short without a word, where the INSERT's
    own assignment to the column refuses it, as a plain INSERT does.
    """
    return sql_cast(value, Text() if isinstance(column.type, String) else column.type)


def _model(item: Any) -> Hashable:
    """The mapped class of `item` (a class is hashable, whatever typeshed says of type[Any])."""
    model: Any = type(item)
    return cast(Hashable, model)


def _values(item: Any) -> dict[str, Any]:
    """The columns of `item` given a value (by its constructor or since), by column key."""
    state = item.__dict__
    return {column.key: state[attr] for attr, column in _columns(_model(item)) if attr in state}


def _adopt(session: Session, item: Any, row: Mapping[Any, Any]) -> None:
    """Make `item` persistent in `session` with the row the database returned for it."""
    for attr, column in _columns(_model(item)):
        set_committed_value(item, attr, row[column])
    make_transient_to_detached(item)
    session.add(item)


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
    row = session.connection().execute(_returning_all(_model(item)), _values(item)).one()
    _adopt(session, item, row._mapping)


def insert_returning_if(
    session: Session, item: Any, guard: CTE, guard_params: Mapping[str, Any]
) -> bool:
    """On PostgreSQL: INSERT `item` only if the data-modifying `guard` returns a row; one statement.

    Returns whether it was inserted (then it is persistent, as after `insert_returning`). As
    with the ORM's flush, the object keeps the values it was given (only what the database
    filled in is read back), so give them as the column's type returns them: aware UTC
    datetimes, enum members, lists.
    `guard` is built once by the caller (statements are cached per guard); its parameters'
    names must not start with `row_`, which the row's own take.
    """
    if any(name.startswith(_ROW) for name in guard_params):
        raise ValueError(f"guard parameters may not start with {_ROW!r}")
    session.flush()
    table = sa_inspect(item).mapper.local_table
    values = _with_computed_defaults(table, _values(item))
    keys = frozenset(values)
    statement = _returning_all_if(_model(item), keys, guard)
    params = {_ROW + key: value for key, value in values.items()}
    row = session.connection().execute(statement, {**params, **guard_params}).first()
    if row is None:
        return False
    # What was stored: the values sent, the defaults written out, and what came back.
    stored: dict[Any, Any] = {table.c[k]: v for k, v in _scalar_defaults(table) if k not in values}
    stored.update((table.c[key], value) for key, value in values.items())
    stored.update((c, row._mapping[c]) for c in _filled_by_database(table, keys))
    _adopt(session, item, stored)
    return True


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT `rows` into `table` in one statement, in the order given; the caller needs no ids.

    Pending ORM changes are flushed first, so the rows come after whatever was added before.
    Inside a `batch()` block the rows wait for the block's end instead.
    """
    if not rows:
        return
    pending: Pending | None = session.info.get(_BATCH)
    if pending is not None:
        pending.append((table, list(rows)))
        return
    session.flush()
    # With RETURNING the batch is one INSERT with a VALUES list; without, psycopg's
    # executemany runs a pipeline, which took far more CPU under load (issue 17).
    session.connection().execute(_insert_many(table), list(rows))


@contextmanager
def batch(session: Session) -> Iterator[None]:
    """Collect the `insert_rows` of this block and write them together when it ends.

    On PostgreSQL the rows of several tables are one statement (`_chain`); elsewhere one
    INSERT per table, in the order given. Nothing in the block may read what it inserts, nor
    add rows through the ORM (`session.add`, `outbox.enqueue`): the session's flush would
    write them before the collected rows, out of the order they were made in, so that raises.
    If the block raises, nothing collected is written.
    """
    if _BATCH in session.info:  # inside another batch: its rows are that batch's
        yield
        return
    session.flush()  # what was added before the block is written before it
    pending: Pending = []
    session.info[_BATCH] = pending
    try:
        yield
    finally:
        del session.info[_BATCH]
    _write(session, pending)


def _write(session: Session, pending: Pending) -> None:
    if session.new:
        raise RuntimeError("rows added through the ORM inside a batch would be out of order")
    if not pending:
        return
    session.flush()
    connection = session.connection()
    if connection.dialect.name != "postgresql" or len(pending) == 1:
        for table, rows in pending:
            connection.execute(_insert_many(table), rows)
        return
    flat = [
        (table, _with_computed_defaults(table, row))
        for table, table_rows in pending
        for row in table_rows
    ]
    shape = tuple((table, tuple(row)) for table, row in flat)
    params = {f"r{i}_{key}": value for i, (_, row) in enumerate(flat) for key, value in row.items()}
    connection.execute(_chain(shape), params)


Shape = tuple[tuple[Table, tuple[str, ...]], ...]  # each row's table and the columns it gives


@cache
def _chain(shape: Shape) -> Insert:
    """The rows of `shape` as one statement: each row's INSERT selects from the one before.

    `WITH r0 AS (INSERT … VALUES … RETURNING id), r1 AS (INSERT … SELECT … FROM r0 RETURNING
    id) INSERT … SELECT … FROM r1`. Reading the previous row's `RETURNING` makes PostgreSQL
    write the rows in this order, so ids follow it (unlinked data-modifying CTEs run in no
    promised order). Each INSERT is of one row: SQLAlchemy caches the compiled form of such a
    statement, not of one with a VALUES list of several rows.
    """
    previous: CTE | None = None
    statement: Insert | None = None
    for i, (table, keys) in enumerate(shape):
        columns, values = _select_row(table, keys, f"r{i}_")
        if previous is not None:
            values = values.select_from(previous)
        statement = insert(table).from_select(columns, values, include_defaults=False)
        if i < len(shape) - 1:
            previous = statement.returning(table.c.id).cte(f"r{i}")
    assert statement is not None
    return statement
