"""Full-text search is answered from the database's own index, never by scanning the table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event

from storage.db import make_engine, make_session_factory
from storage.models import SearchDocument
from storage.repositories.search import SearchFilters
from storage.uow import UnitOfWork

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def engine(schema: str) -> Iterator[Engine]:
    engine = make_engine(schema)
    with UnitOfWork(make_session_factory(engine)) as uow:
        for n in range(200):
            uow.search.index(
                SearchDocument(
                    kind="practice",
                    ref_id=n,
                    title=f"Family nights {n}" if n % 50 == 0 else f"Attendance team {n}",
                    body="Weekly sessions with partners.",
                    organisation="Roosevelt High",
                    county="Alameda",
                    region="Bay Area",
                    pillars=["engagement"],
                    funding_streams=["ccspp"],
                    published_at=START + timedelta(hours=n),
                )
            )
        uow.commit()
    yield engine
    engine.dispose()


def search_statements(engine: Engine, words: str) -> tuple[list[tuple[str, Any]], list[str]]:
    """Run a search; the ranked queries it sent (SQL and parameters) and the titles found."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "ORDER BY" in statement and "LIMIT" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            hits = uow.search.search(words, SearchFilters())
            titles = [hit.document.title for hit in hits]
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen, titles


def test_words_are_matched_through_the_full_text_index(engine: Engine) -> None:
    """Every query a search sends reads an index: FTS5; the newest rows or a GIN index.

    On PostgreSQL (sequential scans off) each tier first looks among the newest items through
    `published_at`, then, having found too few, collects its matches through a GIN index.
    """
    statements, titles = search_statements(engine, "famil night")
    assert len(titles) == 4
    assert statements

    with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            connection.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            if engine.dialect.name == "sqlite":
                plan = [
                    row[-1]
                    for row in connection.exec_driver_sql(
                        "EXPLAIN QUERY PLAN " + statement, parameters
                    )
                ]
                assert any(line.startswith("SCAN search_fts VIRTUAL TABLE INDEX") for line in plan)
                assert not any(line.startswith("SCAN d") for line in plan), plan
                assert not any("TEMP B-TREE" in line for line in plan), plan
                continue
            plan = [
                row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters)
            ]
            assert not any("Seq Scan" in line for line in plan), plan
            if statement.startswith("WITH matches"):
                assert any("Bitmap Index Scan on ix_search_documents_" in line for line in plan)
                assert not any("published_at" in line and "Index" in line for line in plan)
            else:
                assert any("ix_search_documents_published_at" in line for line in plan), plan
