"""Practices: saving submissions and moving them through review atomically."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Practice, PracticeStatus
from storage.repositories.compare_and_set import compare_and_set

EDITABLE = (PracticeStatus.PENDING, PracticeStatus.CHANGES_REQUESTED)


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
        revision: int,
        to: PracticeStatus,
        actor_id: str,
        at: datetime,
        reason: str | None = None,
    ) -> bool:
        """Move exactly this revision of a practice from `expected` to `to`.

        False if someone else decided first or the member's edit made it a newer revision: the
        decision is for the text the coordinator read. One conditional UPDATE, so of racing
        decisions and edits exactly one wins on either database.
        """
        return self._change(
            practice_id,
            (Practice.status == expected, Practice.revision == revision),
            status=to,
            decided_by=actor_id,
            decided_at=at,
            decision_reason=reason,
        )

    def resubmit(
        self,
        practice_id: int,
        *,
        expected: PracticeStatus,
        revision: int,
        changes: Mapping[str, Any],
        at: datetime,
    ) -> bool:
        """Put an edited practice back in the queue as the next revision.

        Returns False unless exactly this revision is still in the state the member's edit
        was checked against (waiting for review, or for their changes). A stale edit form (or
        the same form submitted twice) cannot resubmit twice, and an edit racing a decision
        either lands before it (the decision is then refused) or is refused itself.
        """
        return self._change(
            practice_id,
            (Practice.status == expected, Practice.revision == revision),
            **changes,
            status=PracticeStatus.PENDING,
            revision=revision + 1,
            submitted_at=at,
            decided_at=None,
            decided_by=None,
            decision_reason=None,
        )

    def withdraw(self, practice_id: int, *, submitter_id: str, at: datetime) -> bool:
        """The member takes back a practice not yet decided; False if it was decided first."""
        return self._change(
            practice_id,
            (Practice.submitter_id == submitter_id, Practice.status.in_(EDITABLE)),
            status=PracticeStatus.WITHDRAWN,
            decided_by=submitter_id,
            decided_at=at,
            decision_reason=None,
        )

    def _change(self, practice_id: int, conditions: tuple[Any, ...], **values: Any) -> bool:
        """One compare-and-set UPDATE; the loaded practice then shows the row as it now is.

        After a win that is the row this UPDATE left (see `compare_and_set`); after a loss,
        the change that beat it, such as another coordinator's decision.
        """
        changed = compare_and_set(self._session, Practice, practice_id, conditions, **values)
        return changed is not None
