"""Practices: saving submissions and moving them through review atomically."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from storage.models import Practice, PracticeStatus
from storage.repositories.submissions import SubmissionRepository


class PracticeRepository(SubmissionRepository[Practice]):
    """Loads and changes practices; review's compare-and-set changes come from the base."""

    model = Practice
    status_enum = PracticeStatus

    def approved_between(self, since: datetime, until: datetime) -> Sequence[Practice]:
        """Practices approved after `since` and up to `until`, oldest decision first."""
        query = (
            select(Practice)
            .where(
                Practice.status == PracticeStatus.APPROVED,
                Practice.decided_at > since,
                Practice.decided_at <= until,
            )
            .order_by(Practice.decided_at, Practice.id)
        )
        return self._session.scalars(query).all()
