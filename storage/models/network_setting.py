"""The network's settings chosen in Slack, one row per setting, and their shared version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime


class NetworkSetting(Base):
    """One setting a coordinator chose in Home (or the environment seeded on first start)."""

    __tablename__ = "network_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class NetworkSettingsVersion(Base):
    """A single row whose number goes up with every change to `network_settings`.

    Every process keeps the effective settings in memory and re-reads only this row (at most
    once a second) to learn whether they changed; bumping it first in a change's transaction
    also serialises concurrent changes, so a rule such as "at least one coordinator" is checked
    against what is really stored.
    """

    __tablename__ = "network_settings_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
