"""Query plans of what a piece of the bot runs, against a database holding a long history.

`python -m bench.plans` fills a fresh database with `--history` delivered outbox messages
and a few pending ones, then shows the plan of every SELECT the outbox runs to claim its next
messages. `explain_queries` works for any function that takes a unit of work, so the digest
and search benchmarks can show their plans the same way.
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

from bench import generate
from bench.databases import fresh_database, label
from bot.clock import utc_now
from bot.outbox import LEASE
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


def main() -> None:
    """Print the outbox claim plans on SQLite, and on PostgreSQL when given a URL."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--history", type=int, default=100_000, help="delivered messages")
    parser.add_argument("--postgres-url", help="also show PostgreSQL's plan")
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres_url else [])
    with tempfile.TemporaryDirectory(prefix="ccsn-plans-") as tmp:
        for kind in kinds:
            with fresh_database(kind, Path(tmp), args.postgres_url) as url:
                print(f"## {label(url)}, {args.history:,} delivered messages\n")
                for plan in outbox_claim_plans(url, args.history):
                    print(plan + "\n")


if __name__ == "__main__":
    main()
