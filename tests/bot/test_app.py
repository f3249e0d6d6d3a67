"""The runtime's wiring: what one part of a running bot may wait on another for."""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack

import pytest

from bot.app import Runtime


def test_reading_the_settings_never_waits_for_a_connection_the_writers_hold(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    """With every pooled connection taken, the settings are still read at once, not refused.

    A listener reads the settings while it saves; under load every other connection belongs
    to a thread queued behind that save, so a read from the same pool waited its 2 seconds.
    """
    pool = runtime.engine.pool
    with ExitStack() as held:
        for _ in range(pool.size() + pool._max_overflow):  # type: ignore[attr-defined]
            held.enter_context(runtime.engine.connect())
        runtime.deps.source.changed()  # re-read on the next access
        started = time.monotonic()
        with caplog.at_level(logging.WARNING):
            runtime.deps.source.current()
        took = time.monotonic() - started

    assert took < 1.0
    assert "settings.refresh_failed" not in caplog.text
