"""Searching what the network has published."""

from __future__ import annotations

from bot.deps import Deps
from handlers.search.schemas import parse_query
from handlers.search.views import MAX_RESULTS, SearchResult, permalink


def search(
    deps: Deps, text: str, *, team_domain: str | None
) -> tuple[list[SearchResult], list[str]]:
    """The best approved practices and events for `text`, and any filter we did not know."""
    query = parse_query(text)
    with deps.uow() as uow:
        hits = uow.search.search(query.words, query.filters, limit=MAX_RESULTS)
        results = [
            SearchResult(
                kind=hit.document.kind,
                title=hit.document.title,
                organisation=hit.document.organisation,
                county=hit.document.county,
                region=hit.document.region,
                link=permalink(team_domain, hit.channel, hit.ts),
            )
            for hit in hits
        ]
    return results, query.problems
