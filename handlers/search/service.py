"""Searching what the network has published."""

from __future__ import annotations

from handlers.deps import Deps
from handlers.events.views import region_label
from handlers.search.schemas import SearchQuery, parse_query
from handlers.search.views import MAX_RESULTS, SearchResult, permalink
from storage.repositories.search import SearchFilters


def to_filters(query: SearchQuery) -> SearchFilters:
    """The repository's filters for a parsed query."""
    return SearchFilters(
        pillars=query.pillars,
        counties=query.counties,
        regions=query.regions,
        funding_streams=query.funding_streams,
    )


def search(
    deps: Deps, text: str, *, team_domain: str | None
) -> tuple[list[SearchResult], list[str]]:
    """The best approved practices and events for `text`, and any filter we did not know.

    Only approved items are in the index (they are added on approval and removed when an
    event is cancelled), so anyone may search everything it holds.
    """
    query = parse_query(text)
    with deps.uow() as uow:
        hits = uow.search.search(query.words, to_filters(query), limit=MAX_RESULTS)
        results = [
            SearchResult(
                kind=hit.document.kind,
                title=hit.document.title,
                organisation=hit.document.organisation,
                county=hit.document.county,
                region=region_label(hit.document.region) if hit.document.region else None,
                link=permalink(team_domain, hit.channel, hit.ts),
            )
            for hit in hits
        ]
    return results, list(query.problems)
