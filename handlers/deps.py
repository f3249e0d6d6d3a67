"""What listeners and services need from the outside, built once by the entry point."""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import Clock
from core.config import Settings
from storage.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class Deps:
    """Settings, a way to open a unit of work, and the clock. Passed down; never global."""

    settings: Settings
    uow: UnitOfWorkFactory
    clock: Clock
