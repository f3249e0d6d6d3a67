"""What listeners and services need from the outside, built once by the entry point."""

from __future__ import annotations

from typing import Protocol

from core.clock import Clock
from core.config import Settings
from storage.uow import UnitOfWorkFactory


class SettingsSource(Protocol):
    """Where the effective settings come from (`handlers.network.provider.StoredSettings`)."""

    @property
    def environment(self) -> Settings:
        """The settings from the environment alone: what pins values and names the owners."""
        ...

    def current(self) -> Settings:
        """The effective settings now: cheap enough to call on every read."""
        ...

    def changed(self) -> None:
        """This process just changed the stored settings: the next read must see it."""
        ...


class FixedSettings:
    """Settings that never change while the process runs (CLI commands, tests, the demo)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @property
    def environment(self) -> Settings:
        """The settings given."""
        return self._settings

    def current(self) -> Settings:
        """The settings given."""
        return self._settings

    def changed(self) -> None:
        """Nothing to re-read."""


class Deps:
    """Settings, a way to open a unit of work, and the clock. Passed down; never global.

    `settings` is a property: each read returns the effective settings (environment over
    stored over defaults), which a coordinator may change from Home while the bot runs, so
    features keep reading `deps.settings.<field>` and see a change without a restart.
    """

    __slots__ = ("_source", "clock", "uow")

    def __init__(
        self, settings: Settings | SettingsSource, uow: UnitOfWorkFactory, clock: Clock
    ) -> None:
        self._source: SettingsSource = (
            FixedSettings(settings) if isinstance(settings, Settings) else settings
        )
        self.uow = uow
        self.clock = clock

    @property
    def settings(self) -> Settings:
        """The effective settings now."""
        return self._source.current()

    @property
    def source(self) -> SettingsSource:
        """Where the settings come from: the environment's own values, and change notices."""
        return self._source
