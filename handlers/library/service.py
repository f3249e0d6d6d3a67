"""What the public pages show, read through the unit of work: approved content only.

Facet counts are the one costly read (each facet counts every approved practice), and they
change only when the library does, so they are kept per process and keyed by the library's
version (the latest approval, read from an index): a new approval retires them.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from math import ceil

from handlers.deps import Deps
from handlers.library.query import LibraryQuery, ListingQuery
from handlers.policy import query as policy_query
from handlers.ta_offerings import directory
from storage.models import Event, PolicyUpdate, Practice, TaOffering
from storage.repositories.library import FACETS, FacetCounts, LibraryFilters, LibraryVersion
from storage.repositories.ta_offerings import OfferingFilters
from storage.uow import UnitOfWork

PER_PAGE = 20
# A search ranks at most this many matches; beyond them a reader should narrow the words.
MAX_MATCHES = 1000
FEED_SIZE = 50
_CACHE_SIZE = 256
_WORD = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class LibraryResult:
    """One page of the library as a reader asked for it (after validation)."""

    query: LibraryQuery
    practices: Sequence[Practice]
    total: int
    pages: int
    facets: FacetCounts
    latest: datetime | None


@dataclass(frozen=True)
class DirectoryResult:
    """One page of the TA directory (`/ta`) as a reader asked for it."""

    query: ListingQuery
    offerings: Sequence[TaOffering]
    total: int
    pages: int
    latest: datetime | None


@dataclass(frozen=True)
class TrackerResult:
    """One page of the policy and funding tracker (`/policy`), open deadlines first."""

    query: ListingQuery
    updates: Sequence[PolicyUpdate]
    total: int
    pages: int
    today: date
    latest: datetime | None


class Library:
    """Reads the library, events and feeds for the public site."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._counts: OrderedDict[tuple[LibraryVersion, LibraryFilters], tuple[int, FacetCounts]]
        self._counts = OrderedDict()
        self._lock = threading.Lock()

    def page(self, query: LibraryQuery) -> LibraryResult:
        """The page asked for; a page past the end gives the first page and says so."""
        with self._deps.uow() as uow:
            version = uow.library.version()
            if _WORD.search(query.words):
                matches = self._matches(uow, query.words)
                found = [p for p in matches if _passes(p, query.filters)]
                total, facets = len(found), _count_facets(matches, query.filters)
            else:
                found = None
                total, facets = self._totals(uow, version, query.filters)
            pages = max(1, ceil(total / PER_PAGE))
            if query.page > pages:
                query = query.with_notice("There is no such page; showing the first page.")
            offset = (query.page - 1) * PER_PAGE
            if found is None:
                practices: Sequence[Practice] = uow.library.listing(
                    query.filters, offset=offset, limit=PER_PAGE
                )
            else:
                practices = found[offset : offset + PER_PAGE]
            return LibraryResult(query, practices, total, pages, facets, version.latest)

    def practice(self, practice_id: int) -> Practice | None:
        """An approved practice, or None (unknown, pending, rejected, withdrawn: all alike)."""
        with self._deps.uow() as uow:
            return uow.library.approved(practice_id)

    def feed(self, filters: LibraryFilters) -> Sequence[Practice]:
        """The latest approved practices for an Atom feed."""
        with self._deps.uow() as uow:
            return uow.library.latest(FEED_SIZE, filters)

    def upcoming_events(self) -> Sequence[Event]:
        """Approved events that have not ended, soonest first (cancelled ones are not listed)."""
        with self._deps.uow() as uow:
            return uow.events.upcoming(self._deps.clock())

    def ta_directory(self, query: ListingQuery) -> DirectoryResult:
        """Listed offerings (approved, not retired), filtered as `/ccsn find-ta` filters them."""
        topic, fmt = query.value("topic"), query.value("format")
        filters = OfferingFilters(
            topics=(topic,) if topic else (),
            region=query.value("region"),
            formats=(fmt,) if fmt else (),
            cost=query.value("cost"),
        )
        with self._deps.uow() as uow:
            among = directory.matching(uow, query.words)
            total = uow.ta_offerings.count_listed(filters, among=among)
            pages = max(1, ceil(total / PER_PAGE))
            if query.page > pages:
                query = query.with_notice("There is no such page; showing the first page.")
            offerings = uow.ta_offerings.listed(
                filters, among=among, limit=PER_PAGE, offset=(query.page - 1) * PER_PAGE
            )
            latest = uow.ta_offerings.last_change()
        return DirectoryResult(query, offerings, total, pages, latest)

    def policy_tracker(self, query: ListingQuery) -> TrackerResult:
        """Published updates as `/ccsn policy` finds and orders them, 20 a page.

        Which deadlines are still open changes at midnight in the network's zone, so the
        page's `Last-Modified` is never earlier than today's start there.
        """
        chosen: dict[str, tuple[str, ...]] = {
            name: (value,) if value else () for name, value in query.chosen
        }
        updates, today = policy_query.search(
            self._deps, policy_query.PolicyQuery(words=query.words, chosen=chosen)
        )
        pages = max(1, ceil(len(updates) / PER_PAGE))
        if query.page > pages:
            query = query.with_notice("There is no such page; showing the first page.")
        offset = (query.page - 1) * PER_PAGE
        midnight = datetime.combine(today, time(), tzinfo=self._deps.settings.timezone)
        changes = [midnight]
        for update in updates:
            changes += [at for at in (update.updated_at, update.changed_at) if at is not None]
        shown = updates[offset : offset + PER_PAGE]
        return TrackerResult(query, shown, len(updates), pages, today, max(changes))

    def _matches(self, uow: UnitOfWork, words: str) -> list[Practice]:
        hits = uow.search.search(words, limit=MAX_MATCHES)
        ids = [hit.document.ref_id for hit in hits if hit.document.kind == "practice"]
        return uow.library.among(ids)

    def _totals(
        self, uow: UnitOfWork, version: LibraryVersion, filters: LibraryFilters
    ) -> tuple[int, FacetCounts]:
        key = (version, filters)
        with self._lock:
            cached = self._counts.get(key)
            if cached is not None:
                self._counts.move_to_end(key)
                return cached
        library = uow.library
        value = (library.count(filters), library.facet_counts(filters))
        with self._lock:
            self._counts[key] = value
            while len(self._counts) > _CACHE_SIZE:
                self._counts.popitem(last=False)
        return value


def _values(practice: Practice, facet: str) -> list[str]:
    if facet == "pillar":
        return list(practice.pillars)
    if facet == "funding":
        return list(practice.funding_streams)
    return [practice.region if facet == "region" else practice.county]


def _passes(practice: Practice, filters: LibraryFilters) -> bool:
    return all(
        getattr(filters, facet) is None or getattr(filters, facet) in _values(practice, facet)
        for facet in FACETS
    )


def _count_facets(practices: Sequence[Practice], filters: LibraryFilters) -> FacetCounts:
    """The same counts as `LibraryRepository.facet_counts`, over a search's matches."""
    counts: FacetCounts = {facet: {} for facet in FACETS}
    for facet in FACETS:
        others = filters.without(facet)
        for practice in practices:
            if _passes(practice, others):
                for value in _values(practice, facet):
                    counts[facet][value] = counts[facet].get(value, 0) + 1
    return counts
