"""The public library: approved practices only, filtered, counted and paged for the web.

Everything here reads `status = approved`; nothing pending, rejected, sent back or withdrawn
can leave through these queries, which is what lets the public site answer 404 for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, cast, func, select, true, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.models import Practice, PracticeStatus

FACETS = ("pillar", "region", "county", "funding")
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class LibraryFilters:
    """One optional value per facet, already checked against the vocabulary."""

    pillar: str | None = None
    region: str | None = None
    county: str | None = None
    funding: str | None = None

    def without(self, facet: str) -> LibraryFilters:
        """These filters with one facet cleared (its counts are taken that way)."""
        return replace(self, **{facet: None})


@dataclass(frozen=True)
class LibraryVersion:
    """Changes whenever the public listing does: the latest approval, and how many share it.

    Practices only ever enter the library (no state leads out of `approved`), each with the
    time it was approved, so the newest approval time moves with every addition; the count
    at that time covers two approvals stamped alike. Both are read from the
    (status, decided_at) index without visiting the rest of the library.
    """

    latest: datetime | None
    at_latest: int


@dataclass(frozen=True)
class LibraryPage:
    """One page of approved practices and how many match in all."""

    practices: Sequence[Practice]
    total: int


FacetCounts = dict[str, dict[str, int]]


class LibraryRepository:
    """Reads approved practices for the public pages, and stores names resolved for them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    def version(self) -> LibraryVersion:
        """The library's version, in two index lookups (a count of all would read them all)."""
        latest = self._session.scalar(select(func.max(Practice.decided_at)).where(_approved()))
        if latest is None:
            return LibraryVersion(latest=None, at_latest=0)
        at_latest = self._session.scalar(
            select(func.count()).where(_approved(), Practice.decided_at == latest)
        )
        return LibraryVersion(latest=latest, at_latest=int(at_latest or 0))

    def approved(self, practice_id: int) -> Practice | None:
        """The practice if it is approved; None for every other state and for unknown ids."""
        return self._session.scalar(select(Practice).where(Practice.id == practice_id, _approved()))

    def listing(self, filters: LibraryFilters, *, offset: int, limit: int) -> Sequence[Practice]:
        """Approved practices passing `filters`, newest approval first."""
        query = (
            self._filtered(select(Practice), filters)
            .order_by(Practice.decided_at.desc(), Practice.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return self._session.scalars(query).all()

    def count(self, filters: LibraryFilters) -> int:
        """How many approved practices pass `filters`."""
        query = self._filtered(select(func.count()).select_from(Practice), filters)
        return int(self._session.scalar(query) or 0)

    def latest(self, limit: int, filters: LibraryFilters = LibraryFilters()) -> Sequence[Practice]:
        """The most recently approved practices (for feeds)."""
        return self.listing(filters, offset=0, limit=limit)

    def facet_counts(self, filters: LibraryFilters) -> FacetCounts:
        """Per facet, how many approved practices each value has under the *other* filters.

        Counting each facet without its own filter lets a reader see what choosing another
        value would give, instead of only the value already chosen.
        """
        counts: FacetCounts = {}
        for facet in FACETS:
            others = filters.without(facet)
            if facet in ("region", "county"):
                column = Practice.region if facet == "region" else Practice.county
                query = self._filtered(select(column, func.count()), others).group_by(column)
            else:
                array = Practice.pillars if facet == "pillar" else Practice.funding_streams
                values = self._elements(array)
                query = self._filtered(
                    select(values.c.value, func.count()).select_from(Practice).join(values, true()),
                    others,
                ).group_by(values.c.value)
            counts[facet] = {str(value): int(n) for value, n in self._session.execute(query)}
        return counts

    def among(self, practice_ids: Sequence[int]) -> list[Practice]:
        """The approved practices among `practice_ids`, in the order given."""
        if not practice_ids:
            return []
        found = {
            p.id: p
            for p in self._session.scalars(
                select(Practice).where(Practice.id.in_(practice_ids), _approved())
            )
        }
        return [found[i] for i in practice_ids if i in found]

    def awaiting_names(self, limit: int) -> Sequence[Practice]:
        """Approved practices whose member agreed to be named but whose name is not stored."""
        query = (
            select(Practice)
            .where(
                _approved(),
                Practice.credit_submitter.is_(True),
                Practice.submitter_name.is_(None),
            )
            .order_by(Practice.id)
            .limit(limit)
        )
        return self._session.scalars(query).all()

    def store_name(self, practice_id: int, name: str) -> bool:
        """Remember the member's name once; False if it was stored already (another process)."""
        result = self._session.execute(
            update(Practice)
            .where(Practice.id == practice_id, Practice.submitter_name.is_(None))
            .values(submitter_name=name)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def _filtered(self, query: _Query, filters: LibraryFilters) -> _Query:
        query = query.where(_approved())
        if filters.region:
            query = query.where(Practice.region == filters.region)
        if filters.county:
            query = query.where(Practice.county == filters.county)
        if filters.pillar:
            query = query.where(self._contains(Practice.pillars, filters.pillar))
        if filters.funding:
            query = query.where(self._contains(Practice.funding_streams, filters.funding))
        return query

    def _elements(self, array: InstrumentedAttribute[list[str]]) -> Any:
        """The JSON list column's elements as a table with a `value` column, per database."""
        if self._dialect == "sqlite":
            return func.json_each(array).table_valued("value").alias("element")
        return (
            func.jsonb_array_elements_text(cast(array, JSONB))
            .table_valued("value")
            .alias("element")
        )

    def _contains(self, array: InstrumentedAttribute[list[str]], value: str) -> ColumnElement[bool]:
        if self._dialect == "sqlite":
            element = func.json_each(array).table_valued("value")
            return select(1).select_from(element).where(element.c.value == value).exists()
        return cast(array, JSONB).op("@>")(func.jsonb_build_array(value))


def _approved() -> ColumnElement[bool]:
    return Practice.status == PracticeStatus.APPROVED
