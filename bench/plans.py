"""Query plans of what a piece of the bot runs, against a database holding a long history.

`python -m bench.plans` shows the plan of every distinct SELECT run by: the outbox claiming
its next messages behind `--history` delivered ones (`outbox`); the weekly digest built over
`--submissions` stored submissions (`digest`); and searches over `--practices` approved
practices (`search`). `explain_queries` works for any function that takes a unit of work.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from bench import digest, generate, search
from bench.databases import fresh_database, label
from bot.outbox import LEASE
from core.clock import utc_now
from handlers.search.schemas import parse_query
from handlers.search.service import to_filters
from handlers.search.views import MAX_RESULTS
from storage.db import make_engine, make_session_factory
from storage.uow import UnitOfWork


def explain_queries(engine: Engine, work: Callable[[UnitOfWork], Any]) -> list[str]:
    """Run `work` in a unit of work that is rolled back; return the plan of each distinct SELECT."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append((sql, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            work(uow)
            uow.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    runs = Counter(sql for sql, _params in statements)
    plans = []
    with engine.connect() as connection:
        first: dict[str, Any] = {}
        for sql, params in statements:
            first.setdefault(sql, params)
        for sql, params in first.items():  # one plan per distinct query, in the order run
            rows = connection.exec_driver_sql(prefix + sql, params).all()
            lines = [str(row[-1]) for row in rows]
            times = f"-- run {runs[sql]} times\n" if runs[sql] > 1 else ""
            plans.append(times + sql.strip() + "\n\n" + "\n".join(lines))
    return plans


def outbox_claim_plans(database_url: str, history: int, pending: int = 100) -> list[str]:
    """Plans of the outbox's claim query with `history` messages already delivered."""
    engine = make_engine(database_url)
    try:
        now = utc_now()
        yesterday = now - timedelta(days=1)
        generate.outbox_messages(engine, history, channels=200, now=yesterday, delivered=True)
        generate.outbox_messages(engine, pending, channels=20, now=now, prefix="CPEND")
        with engine.begin() as connection:  # planners need fresh statistics to choose indexes
            connection.exec_driver_sql("ANALYZE")
        return explain_queries(engine, lambda uow: uow.outbox.claim_due(now, LEASE, 20, "bench"))
    finally:
        engine.dispose()


def digest_plans(database_url: str, submissions: int, recent: int = 1000) -> list[str]:
    """Plans of the weekly digest's queries with `submissions` stored, `recent` this week."""
    engine = make_engine(database_url)
    try:
        digest.fill(engine, submissions, recent)
        settings = digest.bench_settings(database_url)
        return explain_queries(engine, lambda uow: digest.build_digest(uow, settings))
    finally:
        engine.dispose()


def search_plans(database_url: str, practices: int) -> list[str]:
    """Plans of one search of each shape (`search.SHAPES`) over `practices` approved ones."""
    engine = make_engine(database_url)
    try:
        search.fill(engine, practices)
        queries = [parse_query(text) for text in search.EXAMPLES]
        return explain_queries(
            engine,
            lambda uow: [
                uow.search.search(q.words, to_filters(q), limit=MAX_RESULTS) for q in queries
            ],
        )
    finally:
        engine.dispose()


def main() -> None:
    """Print the plans on SQLite, and on PostgreSQL when given a URL."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--what", default="outbox,digest,search", help="some of those three")
    parser.add_argument("--history", type=int, default=100_000, help="delivered messages")
    parser.add_argument("--submissions", type=int, default=100_000, help="for the digest")
    parser.add_argument("--practices", type=int, default=100_000, help="approved, for search")
    parser.add_argument("--postgres-url", help="also show PostgreSQL's plan")
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres_url else [])
    jobs: dict[str, tuple[str, Callable[[str], list[str]]]] = {
        "outbox": (
            f"outbox claim, {args.history:,} delivered messages",
            lambda url: outbox_claim_plans(url, args.history),
        ),
        "digest": (
            f"weekly digest, {args.submissions:,} submissions",
            lambda url: digest_plans(url, args.submissions),
        ),
        "search": (
            f"search, {args.practices:,} approved practices",
            lambda url: search_plans(url, args.practices),
        ),
    }
    with tempfile.TemporaryDirectory(prefix="ccsn-plans-") as tmp:
        for what in args.what.split(","):
            title, plans = jobs[what]
            for kind in kinds:
                with fresh_database(kind, Path(tmp), args.postgres_url) as url:
                    print(f"## {label(url)}: {title}\n")
                    for plan in plans(url):
                        print(plan + "\n")


if __name__ == "__main__":
    main()
