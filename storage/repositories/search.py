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

from storage import search_index
from storage.models import OutboxMessage, SearchDocument

MAX_TERMS = 12
# Where the words are, best first: all in the title, all in the title or organisation, anywhere.
TIERS: tuple[tuple[str, ...], ...] = (("title",), ("title", "organisation"), ())
# The per-column vectors PostgreSQL has GIN indexes on (storage/search_index.py).
VECTORS = {"title": search_index.TITLE_VECTOR, "organisation": search_index.ORGANISATION_VECTOR}
WEIGHTS = {"title": "A", "organisation": "B"}  # the same columns in the weighted tsvector
# The FTS5 table each tier asks on SQLite: one over just those columns, so a word absent from
# them is absent from its index rather than looked for row by row (storage/search_index.py).
SQLITE_TABLES = {
    ("title",): search_index.TITLE_FTS,
    ("title", "organisation"): search_index.HEADING_FTS,
    (): "search_fts",
}
# Rows read beyond those needed, then put in exact `published_at` order. Rows go into the
# index as items are published, so row order is publication order except where writers that
# queued on the write lock together committed out of the order they read the clock in: a
# few rows at most. Every extra row costs most when matches are rare (a word and a county).
SQLITE_SLACK = 10
POSTGRESQL_WINDOW = 2000  # newest items looked at before asking the GIN index for all matches


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

        Best first means by where the words are: every word in the title first, then every
        word in the title or organisation, then anywhere; each of these tiers newest first.
        A tier is read only while fewer than `limit` results are found, and only as far as it
        can still reach the results, so a common word costs about what a rare one does.
        With no words, the most recently published items that pass the filters.
        """
        terms = query_terms(words)
        dialect = self._session.get_bind().dialect.name
        if not terms and dialect == "postgresql":
            params: dict[str, Any] = {"limit": limit}
            where = _filter_clauses(filters, dialect, params)
            ids = self._postgresql_newest(where, params)
        elif not terms:
            params = {"limit": limit}
            where = _filter_clauses(filters, dialect, params)
            sql = (
                "SELECT d.id FROM search_documents d"  # fixed fragments; values are parameters
                + (" WHERE " + " AND ".join(where) if where else "")
                + " ORDER BY d.published_at DESC LIMIT :limit"
            )
            ids = [row[0] for row in self._session.execute(text(sql), params)]
        elif dialect == "postgresql":
            ids = self._postgresql_words(terms, filters, limit)
        else:
            ids = []
            for columns in TIERS:
                tier = self._sqlite_tier(terms, columns, filters, limit, ids)
                ids += tier[: limit - len(ids)]
                if len(ids) >= limit:
                    break
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

    def _sqlite_tier(
        self,
        terms: list[str],
        columns: tuple[str, ...],
        filters: SearchFilters,
        limit: int,
        found: list[int],
    ) -> list[int]:
        """The tier's newest matches not in `found`, at most `limit`, newest first.

        FTS5 walks its index newest row first and stops at the `LIMIT` (rows are added as
        items are published, so row order is publication order); the few rows read are then
        put in exact `published_at` order, which settles rows published in the same instant.
        Each tier asks the index of only its columns (`SQLITE_TABLES`).
        """
        table = SQLITE_TABLES[columns]
        params: dict[str, Any] = {
            "match": " AND ".join(f'"{term}"*' for term in terms),
            "limit": limit + len(found) + SQLITE_SLACK,
        }
        where = [f"search_fts.{table} MATCH :match", *_filter_clauses(filters, "sqlite", params)]
        # Whichever index a tier reads goes by the one name, so only the FROM differs.
        sql = (
            f"SELECT d.id, d.published_at FROM {table} AS search_fts"
            " JOIN search_documents d ON d.id = search_fts.rowid"
            f" WHERE {' AND '.join(where)}"
            " ORDER BY search_fts.rowid DESC LIMIT :limit"
        )
        skip = set(found)
        rows = [row for row in self._session.execute(text(sql), params) if row[0] not in skip]
        rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
        return [row[0] for row in rows[:limit]]

    def _postgresql_words(self, terms: list[str], filters: SearchFilters, limit: int) -> list[int]:
        """The newest `limit` matches of `terms`, tier by tier (see `search`).

        One pass over the newest `POSTGRESQL_WINDOW` items (of the county or region, when the
        search names one) finds every match there and the tier of each: the first whose
        weighted query it meets. A tier with enough matches there has its newest of all;
        only a tier without enough asks the GIN indexes for all its matches (`_everywhere`).
        Reading the window once, not once per tier, is what keeps a rare word (few matches
        anywhere, so every tier goes to the indexes) from paying for three windows.
        """
        params: dict[str, Any] = {"limit": limit, "window": POSTGRESQL_WINDOW}
        rest = _filter_clauses(filters, "postgresql", params)
        for n, columns in enumerate(TIERS):
            weights = "".join(WEIGHTS[column] for column in columns)
            # to_tsquery leaves out a stop word ("the") among others, as it does in documents
            params[f"tier_{n}"] = " & ".join(f"{term}:*{weights}" for term in terms)
        last = len(TIERS) - 1
        tier_of = " ".join(
            f"WHEN d.search_vector @@ to_tsquery('english', :tier_{n}) THEN {n}"
            for n in range(last)
        )
        place = _place_clauses(rest)
        inner, newest = _newest_items(place)
        conditions = [f"d.search_vector @@ to_tsquery('english', :tier_{last})", *rest]
        window = (
            f"SELECT d.id, CASE {tier_of} ELSE {last} END FROM {newest}"
            f" WHERE {' AND '.join(conditions)}"
            " ORDER BY d.published_at DESC, d.id DESC"
        )
        seen = self._session.execute(text(window), params).all()
        # A place with fewer items than the window had all of them in it: nothing is missing.
        whole: bool | None = None if place else False
        ids: list[int] = []
        for n, columns in enumerate(TIERS):
            wanted = limit - len(ids)
            here = [row[0] for row in seen if row[1] == n]
            if len(here) < wanted and whole is None:
                whole = self._fewer_than_window(inner, params)
            if len(here) >= wanted or whole:
                ids += here[:wanted]
            else:
                ids += self._everywhere(terms, columns, rest, params, ids)[:wanted]
            if len(ids) >= limit:
                break
        return ids

    def _everywhere(
        self,
        terms: list[str],
        columns: tuple[str, ...],
        rest: list[str],
        params: dict[str, Any],
        found: list[int],
    ) -> list[int]:
        """The tier's newest `:limit` matches in the whole archive not in `found`, from GIN.

        Its GIN index (the weighted vector's) cannot say where a word is, so a tier of a title
        or organisation is looked up in those columns' own GIN indexes.
        """
        n = TIERS.index(columns)
        words = [f"d.search_vector @@ to_tsquery('english', :tier_{n})"]
        if columns:
            words = []
            for t, term in enumerate(terms):
                params[f"term_{t}"] = f"{term}:*"
                query = f"to_tsquery('english', :term_{t})"
                either = " OR ".join(f"{VECTORS[column]} @@ {query}" for column in columns)
                words.append(f"({either})")
        conditions = [*words, "NOT (d.id = ANY(:found))", *rest]
        return self._collect_newest(conditions, {**params, "found": found})

    def _collect_newest(self, conditions: list[str], params: dict[str, Any]) -> list[int]:
        """The newest `:limit` of every item meeting `conditions`, found through the indexes."""
        # MATERIALIZED: collect the matches, then sort the few; never walk the whole table
        # newest first looking for them.
        every = (
            "WITH matches AS MATERIALIZED (SELECT d.id, d.published_at FROM search_documents d"
            f" WHERE {' AND '.join(conditions) or 'TRUE'})"
            " SELECT id FROM matches ORDER BY published_at DESC, id DESC LIMIT :limit"
        )
        return [row[0] for row in self._session.execute(text(every), params)]

    def _postgresql_newest(self, conditions: list[str], params: dict[str, Any]) -> list[int]:
        """The newest `:limit` items meeting the filter `conditions` (a search with no words).

        First among the newest `POSTGRESQL_WINDOW` items only: if `:limit` match there, they
        are the newest of all. Otherwise the matches are few, and the indexes find them all.
        The planner cannot estimate JSON containment, so it is not left to choose between
        walking the newest rows and collecting every match.

        A county or region filter narrows the window to that place's newest items, read
        through its `(county, published_at)` or `(region, published_at)` index; and when the
        place has fewer items than the window holds, the window was all of them, so what
        matched there is every match.
        """
        place = _place_clauses(conditions)
        inner, newest = _newest_items(place)
        window = (
            f"SELECT d.id FROM {newest} WHERE {' AND '.join(conditions) or 'TRUE'}"
            " ORDER BY d.published_at DESC, d.id DESC LIMIT :limit"
        )
        bounded = {**params, "window": POSTGRESQL_WINDOW}
        ids = [row[0] for row in self._session.execute(text(window), bounded)]
        if len(ids) >= params["limit"]:
            return ids
        if place and self._fewer_than_window(inner, bounded):
            return ids
        return self._collect_newest(conditions, params)

    def _fewer_than_window(self, inner: str, params: dict[str, Any]) -> bool:
        """Whether the items meeting `inner` number fewer than the window (from the index)."""
        count = f"SELECT count(*) FROM (SELECT 1 FROM search_documents d{inner} LIMIT :window) w"
        return bool(self._session.execute(text(count), params).scalar_one() < params["window"])

    def _posts(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        if not keys:
            return {}
        rows = self._session.execute(
            select(OutboxMessage.key, OutboxMessage.channel, OutboxMessage.ts).where(
                OutboxMessage.key.in_(keys)
            )
        )
        return {key: {"channel": channel, "ts": ts} for key, channel, ts in rows if key and ts}


def _newest_items(place: Sequence[str]) -> tuple[str, str]:
    """The WHERE of `place` (or nothing), and the newest `:window` items meeting it, as `d`."""
    inner = " WHERE " + " AND ".join(place) if place else ""
    newest = (
        f"(SELECT * FROM search_documents d{inner}"
        " ORDER BY d.published_at DESC, d.id DESC LIMIT :window) d"
    )
    return inner, newest


def _place_clauses(clauses: Sequence[str]) -> list[str]:
    """The county and region conditions among `clauses`: those an index reads newest first."""
    return [c for c in clauses if c.startswith(("d.county IN", "d.region IN"))]


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
