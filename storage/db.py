"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

READ_ONLY = "ccsn_read_only"  # an execution option: this engine's transactions only read


def read_only(engine: Engine) -> Engine:
    """The same engine for transactions that only read (SQLite: a plain deferred `BEGIN`).

    With WAL a reader never waits for a writer, so a frequent small read (the settings'
    version) does not compete with the writers for SQLite's single write lock.
    """
    return engine.execution_options(**{READ_ONLY: True})


def make_engine(url: str) -> Engine:
    """Create an engine tuned for the bot's many short transactions.

    SQLite gets WAL and `BEGIN IMMEDIATE`, so two threads racing to decide the same practice
    queue for the write lock instead of failing with "database is locked" on upgrade.
    Every wait (SQLite's lock, PostgreSQL's connect and pool) is capped at 2 seconds: a listener
    that cannot reach the database must still answer Slack within its 3-second deadline, with a
    polite "try again" instead of a timeout.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url, hide_parameters=True, connect_args={"check_same_thread": False, "timeout": 2}
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=2000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            # A reader (`read_only`) must not queue for the write lock behind busy writers.
            read_only = connection.get_execution_options().get(READ_ONLY, False)
            connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
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
