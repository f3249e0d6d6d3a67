"""Full-text search over published practices and events, one interface for both databases.

Words go through the database's own index (FTS5 `MATCH` on SQLite, `tsvector @@ tsquery` with
a GIN index on PostgreSQL), so a search never scans the table; filters then narrow the matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.models import OutboxMessage, SearchDocument

MAX_TERMS = 12


def _is_word_character(character: str) -> bool:
    """Letters (with their combining marks) and decimal digits: what both indexes keep.

    FTS5's unicode61 and PostgreSQL's parser both split on punctuation and drop `_`;
    PostgreSQL also drops `²` and other non-decimal numbers. A query term made of anything
    else would match nothing, and one such term in an AND would hide every result.
    """
    category = unicodedata.category(character)
    return category[0] in "LM" or category == "Nd"


def query_terms(words: str) -> list[str]:
    """The indexable terms in `words`, lower-cased; everything between them is dropped."""
    terms: list[str] = []
    current: list[str] = []
    for character in words.lower() + " ":
        if _is_word_character(character):
            current.append(character)
        elif current:
            terms.append("".join(current))
            current = []
    return terms[:MAX_TERMS]


@dataclass(frozen=True)
class SearchFilters:
    """Exact filters from `pillar:`, `county:`, `region:` and `funding:` terms.

    `kinds` keeps only documents of those kinds (the TA directory searches `ta_offering`,
    `/ccsn policy` searches `policy_update`).
    """

    pillars: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    funding_streams: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """One result: the document and the `ts`/channel of its published post, when sent."""

    document: SearchDocument
    channel: str | None = None
    ts: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class SearchRepository:
    """Indexes published items and finds them again."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def index(self, document: SearchDocument) -> None:
        """Add or replace the searchable copy of one item (kind + ref_id)."""
        existing = (
            self._session.query(SearchDocument)
            .filter_by(kind=document.kind, ref_id=document.ref_id)
            .one_or_none()
        )
        if existing is not None:
            self._session.delete(existing)
            self._session.flush()
        self._session.add(document)
        self._session.flush()

    def remove(self, kind: str, ref_id: int) -> None:
        """Take an item out of search (e.g. a cancelled event)."""
        self._session.query(SearchDocument).filter_by(kind=kind, ref_id=ref_id).delete()

    def search(
        self, words: str, filters: SearchFilters = SearchFilters(), limit: int = 10
    ) -> Sequence[SearchHit]:
        """The best matches for `words` (all must appear, as prefixes), newest first on ties.

        With no words, the most recently published items that pass the filters.
        """
        terms = query_terms(words)
        dialect = self._session.get_bind().dialect.name
        params: dict[str, Any] = {"limit": limit}
        where: list[str] = []
        if not terms:
            source, order = "search_documents d", "d.published_at DESC"
        elif dialect == "sqlite":
            params["match"] = " AND ".join(f'"{term}"*' for term in terms)
            source = "search_fts JOIN search_documents d ON d.id = search_fts.rowid"
            where.append("search_fts MATCH :match")
            order = "bm25(search_fts, 10.0, 1.0, 4.0), d.published_at DESC"
        else:
            # to_tsquery leaves out a stop word ("the") among others, as it does in documents
            params["query"] = " & ".join(f"{term}:*" for term in terms)
            source = "search_documents d"
            where.append("d.search_vector @@ to_tsquery('english', :query)")
            order = (
                "ts_rank_cd(d.search_vector, to_tsquery('english', :query)) DESC, "
                "d.published_at DESC"
            )
        where += _filter_clauses(filters, dialect, params)
        sql = (
            f"SELECT d.id FROM {source}"  # fixed fragments only; every value is a bound parameter
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {order} LIMIT :limit"
        )
        ids = [row[0] for row in self._session.execute(text(sql), params)]
        if not ids:
            return []
        documents = {
            d.id: d for d in self._session.query(SearchDocument).filter(SearchDocument.id.in_(ids))
        }
        posts = self._posts([d.post_key for d in documents.values() if d.post_key])
        return [
            SearchHit(document=doc, **posts.get(doc.post_key or "", {}))
            for doc in (documents[i] for i in ids)
        ]

    def _posts(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        if not keys:
            return {}
        rows = self._session.execute(
            select(OutboxMessage.key, OutboxMessage.channel, OutboxMessage.ts).where(
                OutboxMessage.key.in_(keys)
            )
        )
        return {key: {"channel": channel, "ts": ts} for key, channel, ts in rows if key and ts}


def _filter_clauses(filters: SearchFilters, dialect: str, params: dict[str, Any]) -> list[str]:
    clauses: list[str] = []
    for column, values in (
        ("county", filters.counties),
        ("region", filters.regions),
        ("kind", filters.kinds),
    ):
        if values:
            names = [f"{column}_{n}" for n in range(len(values))]
            params.update(zip(names, values, strict=True))
            clauses.append(f"d.{column} IN ({', '.join(':' + n for n in names)})")
    for column, values in (
        ("pillars", filters.pillars),
        ("funding_streams", filters.funding_streams),
    ):
        for n, value in enumerate(values):
            name = f"{column}_{n}"
            params[name] = value
            if dialect == "sqlite":
                clauses.append(
                    f"EXISTS (SELECT 1 FROM json_each(d.{column}) WHERE json_each.value = :{name})"
                )
            else:
                clauses.append(
                    f"CAST(d.{column} AS jsonb) @> jsonb_build_array(CAST(:{name} AS text))"
                )
    return clauses
