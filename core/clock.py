"""Time, injected: services ask a `Clock` for "now" so tests can freeze it instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, aware and in UTC: the only form stored."""
    return datetime.now(UTC)
