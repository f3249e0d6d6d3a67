"""TA requests: saving them and moving them between states atomically.

Every change of status is one conditional UPDATE (compare-and-set on the status, and on who
holds the request where that matters), so of two providers claiming at once exactly one wins,
on SQLite and PostgreSQL alike. Which moves are legal is the service's rule; these methods only
make each move atomic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, exists, func, select
from sqlalchemy.orm import Session

from storage.models import JobRun, TaFeedback, TaRequest, TaStatus
from storage.repositories.compare_and_set import compare_and_set


def unclaimed_period(request: TaRequest) -> str:
    """The `job_runs` period of a request's unclaimed reminder: one per request, ever."""
    return str(request.id)


def claimed_period(request: TaRequest) -> str:
    """The `job_runs` period of a claimed reminder: one per claim of the request."""
    return f"{request.id}:{request.claims}"


def _unclaimed_period_sql() -> ColumnElement[str]:
    return cast(TaRequest.id, String)


def _claimed_period_sql() -> ColumnElement[str]:
    return cast(TaRequest.id, String) + ":" + cast(TaRequest.claims, String)


class TaRequestRepository:
    """Loads and changes TA requests; each state change reports whether it won."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, request: TaRequest) -> TaRequest:
        """Stage a new request and give it its id."""
        self._session.add(request)
        self._session.flush()
        return request

    def get(self, request_id: int) -> TaRequest | None:
        """The request with this id, if any."""
        return self._session.get(TaRequest, request_id)

    def claim(self, request_id: int, *, provider_id: str, at: datetime) -> bool:
        """Open → claimed by `provider_id`; False if it was not open any more."""
        return self._move(
            request_id,
            TaRequest.status == TaStatus.OPEN,
            status=TaStatus.CLAIMED,
            claimed_by=provider_id,
            claimed_at=at,
            claims=TaRequest.claims + 1,
        )

    def release(self, request_id: int, *, holder_id: str, at: datetime) -> bool:
        """Claimed by `holder_id` → open again; False if it was not theirs to release."""
        return self._move(
            request_id,
            TaRequest.status == TaStatus.CLAIMED,
            TaRequest.claimed_by == holder_id,
            status=TaStatus.OPEN,
            claimed_by=None,
            claimed_at=None,
            opened_at=at,
        )

    def resolve(self, request_id: int, *, holder_id: str, note: str, at: datetime) -> bool:
        """Claimed by `holder_id` → resolved with a note; False if it was not theirs."""
        return self._move(
            request_id,
            TaRequest.status == TaStatus.CLAIMED,
            TaRequest.claimed_by == holder_id,
            status=TaStatus.RESOLVED,
            resolution=note,
            resolved_at=at,
        )

    def cancel(self, request_id: int, *, requester_id: str, at: datetime) -> bool:
        """Open or claimed → cancelled by its requester; False if already final."""
        return self._move(
            request_id,
            TaRequest.status.in_([TaStatus.OPEN, TaStatus.CLAIMED]),
            TaRequest.requester_id == requester_id,
            status=TaStatus.CANCELLED,
            cancelled_at=at,
        )

    def record_feedback(
        self, request_id: int, *, requester_id: str, feedback: TaFeedback, at: datetime
    ) -> bool:
        """Keep the requester's first answer to "Was this helpful?" on a resolved request."""
        return self._move(
            request_id,
            TaRequest.status == TaStatus.RESOLVED,
            TaRequest.requester_id == requester_id,
            TaRequest.feedback.is_(None),
            feedback=feedback,
            feedback_at=at,
        )

    def open_since(self, cutoff: datetime, *, job: str, limit: int = 100) -> Sequence[TaRequest]:
        """Open requests that became open at or before `cutoff` and `job` has not reminded."""
        reminded = exists().where(JobRun.job == job, JobRun.period == _unclaimed_period_sql())
        query = (
            select(TaRequest)
            .where(TaRequest.status == TaStatus.OPEN, TaRequest.opened_at <= cutoff, ~reminded)
            .order_by(TaRequest.id)
            .limit(limit)
        )
        return self._session.scalars(query).all()

    def claimed_since(self, cutoff: datetime, *, job: str, limit: int = 100) -> Sequence[TaRequest]:
        """Requests claimed at or before `cutoff`, still unresolved, this claim not reminded."""
        reminded = exists().where(JobRun.job == job, JobRun.period == _claimed_period_sql())
        query = (
            select(TaRequest)
            .where(TaRequest.status == TaStatus.CLAIMED, TaRequest.claimed_at <= cutoff, ~reminded)
            .order_by(TaRequest.id)
            .limit(limit)
        )
        return self._session.scalars(query).all()

    def open_for_digest(self, limit: int = 500) -> Sequence[TaRequest]:
        """Open requests whose requester allowed the digest to list them, soonest need first."""
        query = (
            select(TaRequest)
            .where(TaRequest.status == TaStatus.OPEN, TaRequest.share_in_digest.is_(True))
            .order_by(TaRequest.needed_by, TaRequest.id)
            .limit(limit)
        )
        return self._session.scalars(query).all()

    def count_resolved_between(self, since: datetime, until: datetime) -> int:
        """How many requests were resolved in (since, until]: the digest's weekly count."""
        query = select(func.count()).where(
            TaRequest.status == TaStatus.RESOLVED,
            TaRequest.resolved_at > since,
            TaRequest.resolved_at <= until,
        )
        return int(self._session.scalar(query) or 0)

    def _move(self, request_id: int, *conditions: Any, **values: Any) -> bool:
        """One compare-and-set UPDATE; the loaded request then shows the row as it now is.

        After a win that is the row this UPDATE left (see `compare_and_set`), so what the
        service tells people (who held it when it was cancelled) comes from the move that won;
        after a loss it is the change that beat it, such as another provider's claim.
        """
        changed = compare_and_set(self._session, TaRequest, request_id, conditions, **values)
        return changed is not None
