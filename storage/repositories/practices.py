"""Practices: saving submissions and moving them through review atomically."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Practice, PracticeStatus


class PracticeRepository:
    """Loads and changes practices. Decisions are compare-and-set, so only one can win."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, practice: Practice) -> Practice:
        """Stage a new practice and give it its id."""
        self._session.add(practice)
        self._session.flush()
        return practice

    def get(self, practice_id: int) -> Practice | None:
        """The practice with this id, if any."""
        return self._session.get(Practice, practice_id)

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

    def transition(
        self,
        practice_id: int,
        *,
        expected: PracticeStatus,
        to: PracticeStatus,
        actor_id: str,
        at: datetime,
        reason: str | None = None,
    ) -> bool:
        """Move a practice from `expected` to `to`; False if someone else moved it first.

        A single conditional UPDATE, so two coordinators clicking at once cannot both win on
        either database.
        """
        result = self._session.execute(
            update(Practice)
            .where(Practice.id == practice_id, Practice.status == expected)
            .values(status=to, decided_by=actor_id, decided_at=at, decision_reason=reason)
            .execution_options(synchronize_session=False)
        )
        self._reload(practice_id)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def resubmit(
        self, practice_id: int, *, revision: int, changes: Mapping[str, Any], at: datetime
    ) -> bool:
        """Put an edited practice back in the queue as the next revision.

        Returns False unless exactly this revision is still waiting for review or for the
        member's changes, so a stale edit form (or the same form submitted twice) cannot
        resubmit twice, nor edit a practice a coordinator has meanwhile decided.
        """
        result = self._session.execute(
            update(Practice)
            .where(
                Practice.id == practice_id,
                Practice.status.in_([PracticeStatus.PENDING, PracticeStatus.CHANGES_REQUESTED]),
                Practice.revision == revision,
            )
            .values(
                **changes,
                status=PracticeStatus.PENDING,
                revision=revision + 1,
                submitted_at=at,
                decided_at=None,
                decided_by=None,
                decision_reason=None,
            )
            .execution_options(synchronize_session=False)
        )
        self._reload(practice_id)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def withdraw(self, practice_id: int, *, submitter_id: str, at: datetime) -> bool:
        """The member takes back a practice not yet decided; False if it was decided first."""
        result = self._session.execute(
            update(Practice)
            .where(
                Practice.id == practice_id,
                Practice.submitter_id == submitter_id,
                Practice.status.in_([PracticeStatus.PENDING, PracticeStatus.CHANGES_REQUESTED]),
            )
            .values(
                status=PracticeStatus.WITHDRAWN,
                decided_by=submitter_id,
                decided_at=at,
                decision_reason=None,
            )
            .execution_options(synchronize_session=False)
        )
        self._reload(practice_id)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def _reload(self, practice_id: int) -> None:
        """Refresh a loaded practice after a bulk UPDATE, whether it matched or not.

        Callers then see the row as it now stands, including another coordinator's decision.
        """
        practice = self._session.get(Practice, practice_id)
        if practice is not None:
            self._session.refresh(practice)
