"""Engines: SQLite writers of one process queue fairly; every wait stays under the deadline."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from storage.db import make_engine

HOLD = 0.335  # where SQLite's busy handler would next look only about 100 ms later


def sqlite_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    return engine


def test_a_waiting_writer_starts_as_soon_as_the_one_before_commits(tmp_path: Path) -> None:
    """The next write transaction begins within a few ms of the commit it waited for."""
    engine = sqlite_engine(tmp_path)
    holding = threading.Event()
    committed: list[float] = []
    began: list[float] = []

    def first() -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
            holding.set()
            time.sleep(HOLD)
        committed.append(time.monotonic())

    def second() -> None:
        holding.wait(5)
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (2)"))
            began.append(time.monotonic())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert began[0] - committed[0] < 0.05
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM t")) == 2
    engine.dispose()


def test_a_writer_waits_at_most_two_seconds_then_gets_a_database_error(tmp_path: Path) -> None:
    """Behind a transaction that never ends, a writer gives up with an error in about 2 s."""
    engine = sqlite_engine(tmp_path)
    with engine.begin() as holder:
        holder.execute(text("INSERT INTO t VALUES (1)"))
        started = time.monotonic()
        with pytest.raises(OperationalError), engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (2)"))
        assert 1.5 < time.monotonic() - started < 2.5
    with engine.begin() as connection:  # the lock is free again once the holder is done
        connection.execute(text("INSERT INTO t VALUES (3)"))
    engine.dispose()


@pytest.mark.postgres
def test_a_pooled_connection_the_server_closed_while_idle_is_replaced_unseen(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pooled connection the server ended while idle is replaced before anyone uses it.

    A restart or an idle timeout on the server: the next unit of work still runs, on a new
    connection, because a connection that sat idle is checked first.
    """
    monkeypatch.setattr("storage.db.IDLE_PING", 0.0)
    engine = make_engine(postgres_url)
    admin = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            first = connection.scalar(text("SELECT pg_backend_pid()"))
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        with engine.connect() as connection:
            second = connection.scalar(text("SELECT pg_backend_pid()"))
        assert second != first
    finally:
        engine.dispose()
        admin.dispose()


@pytest.mark.postgres
def test_a_connection_used_a_moment_ago_is_handed_out_without_a_ping(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under load every checkout follows a use: none of them costs a round trip to the server."""
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        pings: list[object] = []
        monkeypatch.setattr(engine.dialect, "do_ping", lambda dbapi: pings.append(dbapi) or True)
        for _ in range(3):
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        assert pings == []
    finally:
        engine.dispose()
