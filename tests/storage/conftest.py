"""Fixtures of the storage tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from storage.db import make_engine, make_session_factory
from storage.uow import UnitOfWork


@pytest.fixture
def uows(schema: str) -> Iterator[Callable[[], UnitOfWork]]:
    """Units of work on the test database."""
    engine = make_engine(schema)
    sessions = make_session_factory(engine)
    yield lambda: UnitOfWork(sessions)
    engine.dispose()
