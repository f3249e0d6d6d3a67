"""Audit rows, written beside every state change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from storage.models import AuditEntry
from storage.repositories.inserts import insert_rows

_TABLE = cast(Table, AuditEntry.__table__)


class AuditRepository:
    """Appends to and reads the audit trail."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def record(
        self,
        *,
        entity_type: str,
        entity_id: int,
        action: str,
        actor_id: str,
        at: datetime,
        reason: str | None = None,
    ) -> None:
        """Add one entry; it becomes durable with the change it describes.

        Written at once by one Core `INSERT` (nothing reads the entry back in the same unit of
        work that writes it): cheaper than an ORM flush of it at commit.
        """
        insert_rows(
            self._session,
            _TABLE,
            [
                {
                    "entity_type": entity_type,
                    "entity_id": entity_id,
                    "action": action,
                    "actor_id": actor_id,
                    "reason": reason,
                    "at": at,
                }
            ],
        )

    def for_entity(self, entity_type: str, entity_id: int) -> Sequence[AuditEntry]:
        """The trail of one record, oldest first."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
        return self._session.scalars(query).all()
