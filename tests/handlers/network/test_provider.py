"""The settings a process holds: re-checked once a second without making requests queue."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.config import Settings
from handlers.network.provider import StoredSettings
from tests.harness import FrozenClock


class GatedStore:
    """Stands in for the unit of work: its version read waits while the gate is closed.

    The point under test is which requests wait for a read, so the read is made to take as
    long as the test wants; the real reads are proven in test_settings.py.
    """

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.gate.set()
        self.reading = threading.Event()
        self.reads = 0
        self.network_settings = self

    @contextmanager
    def __call__(self) -> Iterator[GatedStore]:
        yield self

    def version(self) -> int:
        self.reads += 1
        self.reading.set()
        self.gate.wait(5)
        return 1

    def values(self) -> dict[str, Any]:
        return {}


def test_a_recheck_in_progress_does_not_make_other_requests_wait(
    settings: Settings, clock: FrozenClock
) -> None:
    """While one request re-reads second-old settings, another is answered with the last known."""
    store = GatedStore()
    source = StoredSettings(settings, store, clock)  # type: ignore[arg-type]
    known = source.current()
    clock.advance(seconds=2)
    store.gate.clear()

    checker = threading.Thread(target=source.current)
    checker.start()
    assert store.reading.wait(5)
    answered: list[Settings] = []
    other = threading.Thread(target=lambda: answered.append(source.current()))
    other.start()
    other.join(1)
    waited = other.is_alive()
    store.gate.set()
    checker.join(5)
    other.join(5)

    assert not waited, "a request queued behind the re-check"
    assert answered == [known]
    assert store.reads == 2, "one re-check, not one per request"


def test_after_a_change_here_the_next_request_waits_for_the_new_settings(
    settings: Settings, clock: FrozenClock
) -> None:
    """`changed` makes the next use re-read at once; within the second nothing re-reads."""
    store = GatedStore()
    source = StoredSettings(settings, store, clock)  # type: ignore[arg-type]
    source.current()
    source.current()
    assert store.reads == 1
    source.changed()
    source.current()
    assert store.reads == 2
