"""Reading and changing the stored network settings and their version number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.network_settings import StoredValue
from storage.models import NetworkSetting, NetworkSettingsVersion

_VERSION_ROW = 1


def _from_json(value: Any) -> StoredValue:
    """JSON has lists, settings have tuples: `("U1", "U2")`, `{"Bay Area": ("U1",)}`."""
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, dict):
        return {str(k): tuple(str(v) for v in ids) for k, ids in value.items()}
    return value if value is None else str(value)


def _to_json(value: StoredValue) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return {k: list(ids) for k, ids in value.items()}
    return value


class NetworkSettingsRepository:
    """The `network_settings` rows and the version row every change bumps."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def version(self) -> int:
        """The current version (0 before anything was ever stored): one primary-key read."""
        query = select(NetworkSettingsVersion.version).where(
            NetworkSettingsVersion.id == _VERSION_ROW
        )
        return self._session.scalar(query) or 0

    def values(self) -> dict[str, StoredValue]:
        """Every stored setting."""
        rows = self._session.scalars(select(NetworkSetting)).all()
        return {row.key: _from_json(row.value) for row in rows}

    def bump(self) -> int:
        """Take the next version, locking the version row until this unit of work ends.

        Call it before reading what a change depends on: a concurrent change then waits (on
        PostgreSQL for the row lock; SQLite has one writer), so its read sees this one's write.
        """
        bumped = self._session.execute(
            update(NetworkSettingsVersion)
            .where(NetworkSettingsVersion.id == _VERSION_ROW)
            .values(version=NetworkSettingsVersion.version + 1)
            .returning(NetworkSettingsVersion.version)
        ).scalar()
        if bumped is not None:
            return int(bumped)
        try:
            with self._session.begin_nested():
                self._session.add(NetworkSettingsVersion(id=_VERSION_ROW, version=1))
        except IntegrityError:  # another process made the row first: bump it as usual
            return self.bump()
        return 1

    def put(self, key: str, value: StoredValue, *, actor_id: str, at: datetime) -> None:
        """Store `value` for `key` (inserted or replaced)."""
        row = self._session.get(NetworkSetting, key)
        if row is None:
            self._session.add(
                NetworkSetting(key=key, value=_to_json(value), updated_by=actor_id, updated_at=at)
            )
        else:
            row.value = _to_json(value)
            row.updated_by = actor_id
            row.updated_at = at
        self._session.flush()
