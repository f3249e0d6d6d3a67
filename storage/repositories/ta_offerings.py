"""TA offerings: review's changes (from the base), the directory's queries, and its upkeep.

Topics, regions and formats are JSON lists, which the two databases search differently
(`json_each` on SQLite, `jsonb` containment on PostgreSQL); every value is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, text

from storage.models import TaOffering, TaOfferingStatus
from storage.repositories.submissions import SubmissionRepository

STATEWIDE = "statewide"


@dataclass(frozen=True)
class OfferingFilters:
    """What a directory search keeps: any of `topics`, serving `region`, in a `format`, free.

    `cost` keeps one exact cost (`fee`, `grant`); the public directory filters on any of them,
    while `/ccsn find-ta` knows only `cost:free` (`free_only`).
    """

    topics: tuple[str, ...] = ()
    region: str | None = None
    formats: tuple[str, ...] = ()
    free_only: bool = False
    cost: str | None = None


class TaOfferingRepository(SubmissionRepository[TaOffering]):
    """Loads and changes offerings; every change is compare-and-set, so one racer wins."""

    model = TaOffering
    status_enum = TaOfferingStatus

    def _touched(self, at: datetime) -> dict[str, Any]:
        """Every change records when, so the directory can say how fresh an entry is."""
        return {"updated_at": at}

    def transition(
        self,
        item_id: int,
        *,
        expected: str,
        revision: int,
        to: str,
        actor_id: str,
        at: datetime,
        reason: str | None = None,
    ) -> bool:
        """Review's decision; an approval also counts as the first confirmation it is offered."""
        won = super().transition(
            item_id,
            expected=expected,
            revision=revision,
            to=to,
            actor_id=actor_id,
            at=at,
            reason=reason,
        )
        if won and to == TaOfferingStatus.APPROVED:
            self._change(
                item_id, (TaOffering.status == TaOfferingStatus.APPROVED,), confirmed_at=at
            )
        return won

    # -- the provider's changes -------------------------------------------------------------

    def edit_published(
        self, item_id: int, *, sequence: int, changes: Mapping[str, Any], at: datetime
    ) -> bool:
        """Change a listed offering in place; False if it changed since the form was opened."""
        return self._change(
            item_id,
            (TaOffering.status == TaOfferingStatus.APPROVED, TaOffering.sequence == sequence),
            **changes,
            sequence=sequence + 1,
            updated_at=at,
        )

    def retire(self, item_id: int, *, actor_id: str, at: datetime) -> bool:
        """Take a listed offering out of the directory; False if it was not listed."""
        return self._change(
            item_id,
            (TaOffering.status == TaOfferingStatus.APPROVED,),
            status=TaOfferingStatus.RETIRED,
            retired_at=at,
            retired_by=actor_id,
            sequence=TaOffering.sequence + 1,
            updated_at=at,
        )

    # -- the yearly reconfirmation ----------------------------------------------------------

    def due_for_reconfirmation(self, confirmed_before: datetime) -> Sequence[TaOffering]:
        """Listed offerings last confirmed at or before the cutoff and not yet asked again."""
        query = (
            select(TaOffering)
            .where(
                TaOffering.status == TaOfferingStatus.APPROVED,
                TaOffering.confirmed_at <= confirmed_before,
                TaOffering.reconfirm_asked_at.is_(None),
            )
            .order_by(TaOffering.confirmed_at, TaOffering.id)
        )
        return self._session.scalars(query).all()

    def mark_asked(self, item_id: int, *, confirmed_at: datetime, at: datetime) -> bool:
        """Record that its contacts were asked about this confirmation; False if already."""
        return self._change(
            item_id,
            (
                TaOffering.status == TaOfferingStatus.APPROVED,
                TaOffering.confirmed_at == confirmed_at,
                TaOffering.reconfirm_asked_at.is_(None),
            ),
            reconfirm_asked_at=at,
        )

    def unanswered_since(self, asked_before: datetime) -> Sequence[TaOffering]:
        """Listed offerings asked at or before the cutoff, still unanswered and not yet marked."""
        query = (
            select(TaOffering)
            .where(
                TaOffering.status == TaOfferingStatus.APPROVED,
                TaOffering.reconfirm_asked_at <= asked_before,
                TaOffering.unconfirmed_at.is_(None),
            )
            .order_by(TaOffering.reconfirm_asked_at, TaOffering.id)
        )
        return self._session.scalars(query).all()

    def mark_unconfirmed(self, item_id: int, *, asked_at: datetime, at: datetime) -> bool:
        """Label it unconfirmed after a question nobody answered; False if answered since."""
        return self._change(
            item_id,
            (
                TaOffering.status == TaOfferingStatus.APPROVED,
                TaOffering.reconfirm_asked_at == asked_at,
                TaOffering.unconfirmed_at.is_(None),
            ),
            unconfirmed_at=at,
        )

    def confirm(self, item_id: int, *, at: datetime) -> bool:
        """Still offered: confirmed now, the question answered; False if nothing was asked."""
        return self._change(
            item_id,
            (
                TaOffering.status == TaOfferingStatus.APPROVED,
                TaOffering.reconfirm_asked_at.is_not(None),
            ),
            confirmed_at=at,
            reconfirm_asked_at=None,
            unconfirmed_at=None,
        )

    # -- a provider's own -------------------------------------------------------------------

    def of_provider(self, user_id: str, limit: int) -> tuple[list[TaOffering], int]:
        """Offerings `user_id` offered or answers for, newest first, and how many in all."""
        mine = or_(TaOffering.submitter_id == user_id, self._has("contacts", user_id, "contact"))
        query = (
            select(TaOffering)
            .where(mine)
            .order_by(TaOffering.created_at.desc(), TaOffering.id.desc())
            .limit(limit)
        )
        total = self._session.scalar(select(func.count()).select_from(TaOffering).where(mine))
        return list(self._session.scalars(query)), int(total or 0)

    # -- the directory ----------------------------------------------------------------------

    def listed(
        self,
        filters: OfferingFilters,
        *,
        among: Sequence[int] | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> list[TaOffering]:
        """Listed offerings passing `filters`, most recently confirmed first.

        `among` (ids in the order a full-text search ranked them) keeps only those ids, in
        that order. `offset` skips that many, for the public directory's pages.
        """
        if among is not None and not among:
            return []
        query = select(TaOffering).where(*self._listed_conditions(filters, among))
        if among is None:
            query = (
                query.order_by(TaOffering.confirmed_at.desc(), TaOffering.id.desc())
                .offset(offset)
                .limit(limit)
            )
            return list(self._session.scalars(query))
        found = {offering.id: offering for offering in self._session.scalars(query)}
        return [found[i] for i in among if i in found][offset : offset + limit]

    def count_listed(self, filters: OfferingFilters, *, among: Sequence[int] | None = None) -> int:
        """How many listed offerings `listed` would page through."""
        if among is not None and not among:
            return 0
        query = (
            select(func.count())
            .select_from(TaOffering)
            .where(*self._listed_conditions(filters, among))
        )
        return int(self._session.scalar(query) or 0)

    def last_change(self) -> datetime | None:
        """The latest moment any offering changed, was confirmed or was labelled unconfirmed.

        The public directory's `Last-Modified`: a retirement, a live edit, a confirmation (which
        reorders the list) and the "unconfirmed" label all move it.
        """
        row = self._session.execute(
            select(
                func.max(TaOffering.updated_at),
                func.max(TaOffering.confirmed_at),
                func.max(TaOffering.unconfirmed_at),
            )
        ).one()
        return max((at for at in row if at is not None), default=None)

    def _listed_conditions(
        self, filters: OfferingFilters, among: Sequence[int] | None
    ) -> list[ColumnElement[bool]]:
        conditions = [TaOffering.status == TaOfferingStatus.APPROVED, *self._filters(filters)]
        if among is not None:
            conditions.append(TaOffering.id.in_(list(among)))
        return conditions

    def covering(self, topic: str, region: str, limit: int) -> list[TaOffering]:
        """Listed offerings on `topic` serving `region` (or statewide), recently confirmed first."""
        return self.listed(OfferingFilters(topics=(topic,), region=region), limit=limit)

    def approved_between(self, since: datetime, until: datetime) -> Sequence[TaOffering]:
        """Offerings approved after `since` and up to `until` and still listed, oldest first."""
        query = (
            select(TaOffering)
            .where(
                TaOffering.status == TaOfferingStatus.APPROVED,
                TaOffering.decided_at > since,
                TaOffering.decided_at <= until,
            )
            .order_by(TaOffering.decided_at, TaOffering.id)
        )
        return self._session.scalars(query).all()

    def _filters(self, filters: OfferingFilters) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if filters.topics:
            found.append(
                or_(*(self._has("topics", t, f"topic{n}") for n, t in enumerate(filters.topics)))
            )
        if filters.region:
            found.append(
                or_(
                    self._has("regions", filters.region, "region"),
                    self._has("regions", STATEWIDE, "statewide"),
                )
            )
        if filters.formats:
            found.append(
                or_(*(self._has("formats", f, f"format{n}") for n, f in enumerate(filters.formats)))
            )
        if filters.free_only:
            found.append(TaOffering.cost == "free")
        if filters.cost:
            found.append(TaOffering.cost == filters.cost)
        return found

    def _has(self, column: str, value: str, name: str) -> ColumnElement[bool]:
        """`value` is in the JSON list `column` (a fixed name; the value is bound)."""
        if self._session.get_bind().dialect.name == "sqlite":
            clause = (
                f"EXISTS (SELECT 1 FROM json_each(ta_offerings.{column}) "
                f"WHERE json_each.value = :{name})"
            )
        else:
            clause = (
                f"CAST(ta_offerings.{column} AS jsonb) @> jsonb_build_array(CAST(:{name} AS text))"
            )
        return text(clause).bindparams(**{name: value})  # type: ignore[return-value]
