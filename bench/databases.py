"""Fresh, migrated databases for a run: a SQLite file, or a PostgreSQL schema of its own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, make_url, text

from storage.migrate import upgrade

LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def label(url: str) -> str:
    """The database's name for the table: SQLite or PostgreSQL."""
    backend = make_url(url).get_backend_name()
    return LABELS.get(backend, backend)


def driver_url(url: str) -> str:
    """A PostgreSQL URL for psycopg 3, as `Settings` would rewrite it."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


@contextmanager
def fresh_database(kind: str, workdir: Path, postgres_url: str | None = None) -> Iterator[str]:
    """A database at the latest schema for the block, dropped afterwards.

    PostgreSQL gets a schema of its own (named in `search_path`), so a run never touches
    anything else in the database it is pointed at.
    """
    name = f"bench_{uuid.uuid4().hex[:10]}"
    if kind == "sqlite":
        url = f"sqlite:///{workdir / (name + '.db')}"
        upgrade(url)
        yield url
        return
    if not postgres_url:
        raise ValueError("PostgreSQL needs a URL (BENCH_DATABASE_URL)")
    base = driver_url(postgres_url)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options={quote(f'-csearch_path={name}')}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
