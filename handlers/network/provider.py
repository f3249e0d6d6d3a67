"""The effective settings of a running process, re-read only when a coordinator changed them.

Each process holds the merged settings in memory. At most once a second (by the injected
clock) a read checks the single version row; only when its number moved are the stored
settings read again. So a change made in Home reaches every process, on SQLite or PostgreSQL,
within a second, at the cost of one primary-key read per second per process. A change made in
this process is seen at once (`changed`).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from core.clock import Clock
from core.config import Settings
from core.network_settings import effective
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_AGE = timedelta(seconds=1)


class StoredSettings:
    """A `SettingsSource` backed by `network_settings`, cached on its version number."""

    def __init__(
        self,
        environment: Settings,
        uow: UnitOfWorkFactory,
        clock: Clock,
        max_age: timedelta = MAX_AGE,
    ) -> None:
        self._environment = environment
        self._uow = uow
        self._clock = clock
        self._max_age = max_age
        self._lock = threading.Lock()
        self._settings = environment
        self._version: int | None = None  # of the stored settings last read
        self._checked_at: datetime | None = None  # None: read before the next use

    @property
    def environment(self) -> Settings:
        """The settings from the environment alone."""
        return self._environment

    def current(self) -> Settings:
        """The effective settings, re-checked if the last check is older than a second.

        When they are merely a second old, one request re-checks and the others carry on with
        what is known rather than queue behind its read: at 8 concurrent requests the queue
        was the slash command's tail. After `changed` every request waits for the re-read,
        so this process never acts on settings it has just replaced.
        """
        now = self._clock()
        checked = self._checked_at
        if checked is not None:
            if checked <= now < checked + self._max_age:
                return self._settings
            if not self._lock.acquire(blocking=False):
                return self._settings  # another request is re-checking them right now
            try:
                self._refresh(now)
                return self._settings
            finally:
                self._lock.release()
        with self._lock:
            self._refresh(now)
            return self._settings

    def changed(self) -> None:
        """Re-read on the next access (this process just wrote a change)."""
        with self._lock:
            self._checked_at = None

    def _refresh(self, now: datetime) -> None:
        try:
            with self._uow() as uow:
                version = uow.network_settings.version()
                if version != self._version:
                    stored = uow.network_settings.values()
                    self._settings = effective(self._environment, stored)
                    self._version = version
        except SQLAlchemyError:
            # The database is away: keep serving with what we last knew, try again in a second.
            log.warning("settings.refresh_failed")
        self._checked_at = now
