"""Reading across the network for coordinators: CSV exports and the counts funders ask for.

Exports read in pages by id (keyset pagination), each page in its own short transaction, so a
large export never holds SQLite's write lock for long or keeps a PostgreSQL snapshot open.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.models import (
    Event,
    PolicyFollower,
    PolicyUpdate,
    Practice,
    Rsvp,
    TaOffering,
    TaRequest,
)

PAGE = 1000

Model = type[Practice] | type[Event] | type[TaRequest] | type[TaOffering] | type[PolicyUpdate]


def _created_between(
    model: Model, start: datetime | None, end: datetime | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(model.created_at >= start)
    if end is not None:
        conditions.append(model.created_at < end)
    return conditions


class ReportRepository:
    """Pages of rows for exports, and counts grouped by status and another column."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def practices_page(
        self, *, since: datetime | None, after_id: int = 0, limit: int = PAGE
    ) -> Sequence[Practice]:
        """Practices created at or after `since` with ids above `after_id`, by id."""
        query = (
            select(Practice)
            .where(Practice.id > after_id, *_created_between(Practice, since, None))
            .order_by(Practice.id)
            .limit(limit)
        )
        return self._session.scalars(query).all()

    def ta_requests_page(
        self, *, since: datetime | None, after_id: int = 0, limit: int = PAGE
    ) -> Sequence[TaRequest]:
        """TA requests created at or after `since` with ids above `after_id`, by id."""
        query = (
            select(TaRequest)
            .where(TaRequest.id > after_id, *_created_between(TaRequest, since, None))
            .order_by(TaRequest.id)
            .limit(limit)
        )
        return self._session.scalars(query).all()

    def events_page(
        self, *, since: datetime | None, after_id: int = 0, limit: int = PAGE
    ) -> Sequence[tuple[Event, int]]:
        """Events created at or after `since` with ids above `after_id`, each with its RSVPs."""
        going = select(func.count()).where(Rsvp.event_id == Event.id).scalar_subquery()
        query = (
            select(Event, going)
            .where(Event.id > after_id, *_created_between(Event, since, None))
            .order_by(Event.id)
            .limit(limit)
        )
        return [(event, int(count)) for event, count in self._session.execute(query)]

    def policy_updates_page(
        self, *, since: datetime | None, after_id: int = 0, limit: int = PAGE
    ) -> Sequence[tuple[PolicyUpdate, int]]:
        """Policy updates created at or after `since` with ids above `after_id`, with followers."""
        followers = (
            select(func.count())
            .where(PolicyFollower.update_id == PolicyUpdate.id)
            .scalar_subquery()
        )
        query = (
            select(PolicyUpdate, followers)
            .where(PolicyUpdate.id > after_id, *_created_between(PolicyUpdate, since, None))
            .order_by(PolicyUpdate.id)
            .limit(limit)
        )
        return [(update, int(count)) for update, count in self._session.execute(query)]

    def list_counts(
        self,
        model: Model,
        column: InstrumentedAttribute[Any],
        *,
        start: datetime | None,
        end: datetime | None,
    ) -> dict[tuple[str, str], int]:
        """How many rows created in [start, end) name each (value, status) in a JSON list column.

        Counted here rather than in dialect-specific SQL, as `practice_pillars` is.
        """
        query = select(column, model.status).where(*_created_between(model, start, end))
        counts: dict[tuple[str, str], int] = {}
        for values, status in self._session.execute(query.execution_options(yield_per=PAGE)):
            for value in values or []:
                key = (str(value), str(getattr(status, "value", status)))
                counts[key] = counts.get(key, 0) + 1
        return counts

    def count_by(
        self,
        model: Model,
        column: InstrumentedAttribute[Any],
        *,
        start: datetime | None,
        end: datetime | None,
    ) -> dict[tuple[str, str], int]:
        """How many rows created in [start, end) have each (column value, status)."""
        query = (
            select(column, model.status, func.count())
            .where(*_created_between(model, start, end))
            .group_by(column, model.status)
        )
        return {
            (str(key), str(getattr(status, "value", status))): int(count)
            for key, status, count in self._session.execute(query)
        }

    def practice_pillars(
        self, *, start: datetime | None, end: datetime | None
    ) -> dict[tuple[str, str], int]:
        """How many practices created in [start, end) name each (pillar, status).

        Pillars are a JSON list, which the two databases unnest differently; the lists are
        short, so they are counted here rather than in dialect-specific SQL.
        """
        query = select(Practice.pillars, Practice.status).where(
            *_created_between(Practice, start, end)
        )
        counts: dict[tuple[str, str], int] = {}
        for pillars, status in self._session.execute(query.execution_options(yield_per=PAGE)):
            for pillar in pillars or []:
                key = (str(pillar), str(status.value))
                counts[key] = counts.get(key, 0) + 1
        return counts

    def ta_offerings_page(
        self, *, since: datetime | None, after_id: int = 0, limit: int = PAGE
    ) -> Sequence[TaOffering]:
        """TA offerings created at or after `since` with ids above `after_id`, by id."""
        query = (
            select(TaOffering)
            .where(TaOffering.id > after_id, *_created_between(TaOffering, since, None))
            .order_by(TaOffering.id)
            .limit(limit)
        )
        return self._session.scalars(query).all()

    def offering_lists(
        self, column: str, *, start: datetime | None, end: datetime | None
    ) -> dict[tuple[str, str], int]:
        """How many offerings created in [start, end) name each (topic or region, status).

        `column` is `topics` or `regions`, JSON lists counted here as practices' pillars are.
        """
        values = TaOffering.topics if column == "topics" else TaOffering.regions
        query = select(values, TaOffering.status).where(*_created_between(TaOffering, start, end))
        counts: dict[tuple[str, str], int] = {}
        for names, status in self._session.execute(query.execution_options(yield_per=PAGE)):
            for name in names or []:
                key = (str(name), str(status.value))
                counts[key] = counts.get(key, 0) + 1
        return counts

    def ta_requests_matched(self, *, start: datetime | None, end: datetime | None) -> int:
        """How many TA requests created in [start, end) matched a listed offering."""
        query = select(func.count()).where(
            *_created_between(TaRequest, start, end),
            (TaRequest.matched_offerings > 0) | TaRequest.offering_id.is_not(None),
        )
        return int(self._session.scalar(query) or 0)
