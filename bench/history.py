"""Flat as history grows: the outbox's claim query with a long trail of delivered messages.

Every message the bot ever sent stays in `outbox_messages` as `sent`, and the worker runs its
claim query after every commit and once a second when idle. It must cost the same with years
of history behind the queue as with none.
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import Engine, delete

from bench import generate
from bench.databases import label
from bench.load import percentile
from bench.report import Row
from bot.outbox import LEASE
from core.clock import utc_now
from storage.db import make_engine, make_session_factory
from storage.models import OutboxMessage
from storage.uow import UnitOfWork

PENDING = 100
CLAIMS = 20
FLAT_RATIO = 1.5  # beyond the noise of a median of 20 claims


def _claim_ms(engine: Engine, history: int) -> float:
    """Median time of one claim (20 messages) with `history` delivered messages behind."""
    with engine.begin() as connection:
        connection.execute(delete(OutboxMessage))
    now = utc_now()
    if history:  # older rows first, as they accumulate: the pending ones have the highest ids
        yesterday = now - timedelta(days=1)
        generate.outbox_messages(engine, history, channels=200, now=yesterday, delivered=True)
    generate.outbox_messages(engine, PENDING, channels=20, now=now, prefix="CPEND")
    with engine.begin() as connection:  # planners choose with fresh statistics, as in production
        connection.exec_driver_sql("ANALYZE")
    sessions = make_session_factory(engine)
    times = []
    for _ in range(CLAIMS):
        with UnitOfWork(sessions) as uow:
            began = time.perf_counter()
            uow.outbox.claim_due(now, LEASE, 20, "bench")
            times.append(time.perf_counter() - began)
            uow.rollback()  # leave the same messages due for the next claim
    return percentile(times, 50) * 1000


def measure_outbox_history(database_url: str, *, history: int) -> list[Row]:
    """The outbox claim with `history` delivered messages, against the same claim with none.

    Args:
        database_url: an empty, migrated database.
        history: how many delivered messages to put behind the queue.
    """
    engine = make_engine(database_url)
    try:
        empty = _claim_ms(engine, 0)
        full = _claim_ms(engine, history)
    finally:
        engine.dispose()
    ratio = full / empty if empty else float("inf")
    return [
        Row(
            f"outbox claim ({label(database_url)}), {history:,} delivered behind the queue",
            "ms",
            full,
            empty,
            target=f"<= {FLAT_RATIO}x the empty outbox",
            met=ratio <= FLAT_RATIO,
            note="baseline: the same claim with no history; "
            "`python -m bench.plans` shows the query plan",
        )
    ]
