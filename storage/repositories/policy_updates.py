"""Policy and funding updates: saving them, review's states, status changes, who follows them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import PolicyFollower, PolicyStatus, PolicyUpdate
from storage.repositories.submissions import SubmissionRepository


class PolicyUpdateRepository(SubmissionRepository[PolicyUpdate]):
    """Loads and changes policy updates; every change is compare-and-set.

    Review's states come from `SubmissionRepository`; what is this kind's own is moving a
    published update to a new stage, and the reads of reminders, the digest and the calendar.
    """

    model = PolicyUpdate
    status_enum = PolicyStatus

    def _touched(self, at: datetime) -> dict[str, Any]:
        """Every change records when, for the calendar's `LAST-MODIFIED`."""
        return {"updated_at": at}

    def lock(self, update_id: int) -> PolicyUpdate | None:
        """The update, locked until the transaction ends (PostgreSQL `FOR UPDATE`).

        Follows that recount followers queue here, so the last count queued is the true one.
        """
        query = (
            select(PolicyUpdate)
            .where(PolicyUpdate.id == update_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return self._session.scalars(query).first()

    def change_stage(
        self,
        update_id: int,
        *,
        sequence: int,
        stage: str,
        history: list[dict[str, Any]],
        at: datetime,
    ) -> bool:
        """Move a published update to `stage` with its new history; False if it changed since."""
        return self._change_published(update_id, sequence, at, stage=stage, history=history)

    def change_dates(
        self,
        update_id: int,
        *,
        sequence: int,
        key_dates: list[dict[str, str]],
        last_key_date: date | None,
        history: list[dict[str, Any]],
        at: datetime,
    ) -> bool:
        """Give a published update new key dates and history; False if it changed since."""
        return self._change_published(
            update_id,
            sequence,
            at,
            key_dates=key_dates,
            last_key_date=last_key_date,
            history=history,
        )

    def _change_published(self, update_id: int, sequence: int, at: datetime, **values: Any) -> bool:
        """Compare-and-set on a published update's `sequence`, which moves on with `values`."""
        return self._change(
            update_id,
            (PolicyUpdate.status == PolicyStatus.APPROVED, PolicyUpdate.sequence == sequence),
            sequence=sequence + 1,
            changed_at=at,
            updated_at=at,
            **values,
        )

    def approved(self) -> Sequence[PolicyUpdate]:
        """Every published update, newest decision first (`/ccsn policy` sorts them further)."""
        query = (
            select(PolicyUpdate)
            .where(PolicyUpdate.status == PolicyStatus.APPROVED)
            .order_by(PolicyUpdate.decided_at.desc(), PolicyUpdate.id.desc())
        )
        return self._session.scalars(query).all()

    def with_dates_from(self, first: date) -> Sequence[PolicyUpdate]:
        """Published updates with a key date on or after `first` (by `last_key_date`)."""
        query = (
            select(PolicyUpdate)
            .where(
                PolicyUpdate.status == PolicyStatus.APPROVED,
                PolicyUpdate.last_key_date >= first,
            )
            .order_by(PolicyUpdate.id)
        )
        return self._session.scalars(query).all()

    def moved_between(self, since: datetime, until: datetime) -> Sequence[PolicyUpdate]:
        """Published updates approved, or whose stage changed, in (since, until]."""
        query = (
            select(PolicyUpdate)
            .where(
                PolicyUpdate.status == PolicyStatus.APPROVED,
                or_(
                    (PolicyUpdate.decided_at > since) & (PolicyUpdate.decided_at <= until),
                    (PolicyUpdate.changed_at > since) & (PolicyUpdate.changed_at <= until),
                ),
            )
            .order_by(PolicyUpdate.id)
        )
        return self._session.scalars(query).all()


class PolicyFollowerRepository:
    """Adds, removes and counts followers."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, update_id: int, user_id: str, at: datetime) -> bool:
        """Record that `user_id` follows the update; False if they already did."""
        try:
            with self._session.begin_nested():
                self._session.add(
                    PolicyFollower(update_id=update_id, user_id=user_id, created_at=at)
                )
        except IntegrityError:
            return False
        return True

    def remove(self, update_id: int, user_id: str) -> bool:
        """Stop following; False if they were not."""
        result = self._session.execute(
            delete(PolicyFollower)
            .where(PolicyFollower.update_id == update_id, PolicyFollower.user_id == user_id)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def count(self, update_id: int) -> int:
        """How many members follow the update."""
        query = (
            select(func.count())
            .select_from(PolicyFollower)
            .where(PolicyFollower.update_id == update_id)
        )
        return int(self._session.scalar(query) or 0)

    def of(self, update_id: int) -> Sequence[PolicyFollower]:
        """Everyone following, in the order they started."""
        query = (
            select(PolicyFollower)
            .where(PolicyFollower.update_id == update_id)
            .order_by(PolicyFollower.created_at, PolicyFollower.user_id)
        )
        return self._session.scalars(query).all()
