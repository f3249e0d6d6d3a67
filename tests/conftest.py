"""Fixtures: real databases, a fake Slack Web API over HTTP, a frozen clock, and the bot.

SQLite always runs; PostgreSQL runs when TEST_DATABASE_URL is set and reports itself skipped
otherwise.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from bot.app import Runtime, build_runtime
from core.config import Settings
from demokit.fake_slack import FakeSlack, FakeSlackServer
from storage.db import make_engine
from storage.models import Base
from tests.harness import Bot, FrozenClock

SIGNING_SECRET = "test-signing-secret"
COORDINATORS = ("UCOORD001", "UCOORD002")
MEMBER = "UMEMBER01"
REVIEW_CHANNEL = "CREVIEW01"
PRACTICES_CHANNEL = "CPRACTICE1"

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Keep the developer's Slack settings and .env out of every test; undo logging set-up.

    A CLI test's `configure_logging` binds a handler to a captured stream that then closes.
    """
    for name in list(os.environ):
        if name.startswith(("SLACK_", "CCSN_")) or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 30, 17, 0, tzinfo=UTC))


def _postgres_schema_url(base_url: str, schema: str) -> str:
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema on the TEST_DATABASE_URL server, dropped afterwards; skips without it."""
    if not PG_URL:
        pytest.skip("PostgreSQL half: set TEST_DATABASE_URL to run it")
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(url, schema)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind; PostgreSQL gets a schema of its own per test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database with every table, for tests only a server can run."""
    with postgres_schema() as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url


@pytest.fixture
def schema(database_url: str) -> str:
    """The database with every table created."""
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return database_url


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    """The fake Web API; a test fails if the bot sent it Block Kit that Slack would refuse."""
    with FakeSlackServer() as server:
        yield server.fake
    assert not server.fake.malformed, f"Slack would refuse: {server.fake.malformed}"


def make_settings(slack: FakeSlack, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "slack_bot_token": slack.bot_token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.url,
        "database_url": database_url,
        "ccsn_coordinators": ",".join(COORDINATORS),
        "ccsn_coordinator_channel": REVIEW_CHANNEL,
        "ccsn_practices_channel": PRACTICES_CHANNEL,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema)


@pytest.fixture
def runtime(settings: Settings, clock: FrozenClock) -> Iterator[Runtime]:
    runtime = build_runtime(settings, clock=clock)
    yield runtime
    runtime.close()


@pytest.fixture
def bot(runtime: Runtime, slack: FakeSlack, clock: FrozenClock) -> Bot:
    return Bot(runtime=runtime, slack=slack, clock=clock, secret=SIGNING_SECRET)
