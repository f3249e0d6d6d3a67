"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker

READ_ONLY = "ccsn_read_only"  # an execution option: this engine's transactions only read


def read_only(engine: Engine) -> Engine:
    """The same engine for transactions that only read (SQLite: a plain deferred `BEGIN`).

    With WAL a reader never waits for a writer, so a frequent small read (the settings'
    version) does not compete with the writers for SQLite's single write lock.
    """
    return engine.execution_options(**{READ_ONLY: True})


def make_reader_engine(url: str) -> Engine:
    """A `read_only` engine with a small pool of its own, for the frequent settings read.

    That read happens inside other units of work (a listener reads the settings while it
    saves). Sharing their pool, it waited for a free connection, up to the pool's 2 seconds,
    whenever every connection was held by a thread queued for SQLite's write lock: held by
    the very transaction doing the read, so all of them waited. Its own pool never runs dry.
    """
    return read_only(make_engine(url, pool_size=READER_POOL))


LOCK_WAIT = 2.0  # seconds: every database wait is capped so a listener can still answer Slack
SQLITE_POOL = 4  # connections kept, and as many more at a peak
SQLITE_CACHE_KIB = 1024  # page cache per connection (SQLite's default is 2,000 KiB)
POSTGRES_POOL = 10  # connections kept, and as many more at a peak
READER_POOL = 1  # the settings reader's; its callers take turns (`StoredSettings`)
# A pooled PostgreSQL connection unused this long is pinged before it is handed out.
IDLE_PING = 1.0
_LAST_USED = "ccsn_last_used"


class _SerialisedConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions queue on a lock shared by one engine.

    Every transaction takes SQLite's write lock (`BEGIN IMMEDIATE`). When several threads of
    one process want it, SQLite's busy handler makes the losers poll with sleeps of up to
    100 ms, so under load some wait far longer than the transaction they wait for; a Python
    lock hands the database to the next thread the moment a commit or rollback has finished.
    Other processes on the same file still queue through `busy_timeout`.
    """

    write_lock: ClassVar[threading.Lock]
    holding = False

    def take_write_lock(self) -> None:
        """Wait (at most `LOCK_WAIT`) for this process's other writers to finish."""
        if not self.write_lock.acquire(timeout=LOCK_WAIT):
            error = sqlite3.OperationalError("database is locked")
            raise exc.OperationalError("BEGIN IMMEDIATE", None, error)
        self.holding = True

    def commit(self) -> None:
        """Commit, then let the next writer in."""
        try:
            super().commit()
        finally:
            self.release_write_lock()

    def rollback(self) -> None:
        """Roll back (also how a pooled connection is reset), then let the next writer in."""
        try:
            super().rollback()
        finally:
            self.release_write_lock()

    def close(self) -> None:
        """Close, letting the next writer in if a transaction was still open."""
        try:
            super().close()
        finally:
            self.release_write_lock()

    def release_write_lock(self) -> None:
        """Let the next writer in (nothing if this connection does not hold the lock)."""
        if self.holding:
            self.holding = False
            self.write_lock.release()


def make_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """Create an engine tuned for the bot's many short transactions.

    SQLite gets WAL and `BEGIN IMMEDIATE`, so two threads racing to decide the same practice
    queue for the write lock instead of failing with "database is locked" on upgrade; the
    threads of one process queue on a lock of the engine's own (`_SerialisedConnection`).
    Every wait (SQLite's lock, PostgreSQL's connect and pool) is capped at 2 seconds: a listener
    that cannot reach the database must still answer Slack within its 3-second deadline, with a
    polite "try again" instead of a timeout. `pool_size` connections are kept, and as many
    more at a peak.
    """
    if url.startswith("sqlite"):
        connection_class = type(
            "SerialisedConnection", (_SerialisedConnection,), {"write_lock": threading.Lock()}
        )
        engine = create_engine(
            url,
            hide_parameters=True,
            # Every transaction takes the one write lock, so more connections add only page
            # caches (SQLITE_CACHE_KIB each), not concurrency: a few suffice, and bound memory.
            pool_size=pool_size or SQLITE_POOL,
            max_overflow=pool_size or SQLITE_POOL,
            pool_timeout=LOCK_WAIT,
            connect_args={
                "check_same_thread": False,
                "timeout": LOCK_WAIT,
                "factory": connection_class,
            },
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=2000")
            cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            # A reader (`read_only`) must not queue for the write lock behind busy writers.
            if connection.get_execution_options().get(READ_ONLY, False):
                connection.exec_driver_sql("BEGIN")
                return
            dbapi_connection = connection.connection.dbapi_connection
            dbapi_connection.take_write_lock()
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                dbapi_connection.release_write_lock()
                raise

        return engine
    engine = create_engine(
        url,
        pool_size=pool_size or POSTGRES_POOL,
        max_overflow=pool_size or POSTGRES_POOL,
        pool_timeout=2,
        hide_parameters=True,  # member text must not reach the logs inside an error message
        connect_args={
            "connect_timeout": 2,
            # A server that stops answering (not refusing) must be noticed in seconds, not
            # after the kernel's default of about fifteen minutes.
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "tcp_user_timeout": 2000,
        },
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection on checkout only when it has sat unused for `IDLE_PING`.

    SQLAlchemy's `pool_pre_ping` pings on every checkout: one more round trip per unit of
    work, and under load the connection was in use a moment ago. One that has been idle (a
    restarted server, a dropped network while nothing ran) is still checked before use; a
    failed check discards it and the pool connects afresh. A connection that breaks while in
    use is caught as before: SQLAlchemy sees the disconnect and empties the pool.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        last_used = record.info.get(_LAST_USED)
        if last_used is None or time.monotonic() - last_used < IDLE_PING:
            return  # just connected, or just used
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # any driver error means this connection is gone
            raise exc.DisconnectionError() from error


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so services can return them."""
    return sessionmaker(engine, expire_on_commit=False)


_pinger = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def ping(engine: Engine, timeout: float = 2.0) -> bool:
    """Whether the database answers a trivial query within `timeout` seconds."""

    def select_one() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        _pinger.submit(select_one).result(timeout=timeout)
        return True
    except Exception:  # any driver error or a timeout means "not reachable" to a health check
        return False
