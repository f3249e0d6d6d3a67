"""Audit rows, written beside every state change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditEntry


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
        """Add one entry; it becomes durable with the change it describes."""
        self._session.add(
            AuditEntry(
                entity_type=entity_type,
                entity_id=entity_id,
                action=action,
                actor_id=actor_id,
                reason=reason,
                at=at,
            )
        )

    def for_entity(self, entity_type: str, entity_id: int) -> Sequence[AuditEntry]:
        """The trail of one record, oldest first."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
        return self._session.scalars(query).all()
