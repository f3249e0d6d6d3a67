"""(4) Building the weekly digest as the stored history grows.

For each size the database is emptied and refilled by `bench.generate.submissions`: that many
practices, TA requests and events, `recent` of them in the week before `DEFAULT_NOW` and the
same week's rows at every size, so the digest's content never changes and only the history
behind it grows. The build is the digest's own: `handlers.digest.service.channel_digest`,
every query through the unit of work and the Block Kit layout, as the weekly job runs it
before recording and queueing the messages. Timed as the median of several builds after one
to warm up (statement caches, the database's pages), as on a server that has been running.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, delete

from bench import generate
from bench.databases import label
from bench.load import percentile
from bench.report import Row
from bench.rows import DEFAULT_NOW
from core.config import Settings
from handlers.digest import period, service
from storage.db import make_engine, make_session_factory
from storage.models import Digest, Event, OutboxMessage, Practice, TaRequest
from storage.outbox_links import Links
from storage.uow import UnitOfWork

SIZES = (10_000, 100_000, 1_000_000)
DEFAULT_SIZES = (10_000, 100_000)  # 1M takes minutes to generate per database: opt-in
RECENT = 1000
BUILDS = 9
TARGET_MS = 200.0  # at 100,000 submissions
GROWTH = 2.0  # 1,000,000 may take at most twice as long as 100,000
OPT_IN = "not run: opt-in, `--digest-sizes 10000,100000,1000000` (minutes per database)"
DIGEST_CHANNEL = "CDIGEST"


def bench_settings(database_url: str) -> Settings:
    """The settings a digest reads: channels to name, the network's time zone and schedule."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "ccsn_practices_channel": generate.PRACTICES_CHANNEL,
        "ccsn_ta_channel": generate.TA_CHANNEL,
        "ccsn_events_channel": generate.EVENTS_CHANNEL,
        "ccsn_digest_channel": DIGEST_CHANNEL,
        "ccsn_timezone": "America/Los_Angeles",
        "ccsn_digest_cron": "0 9 * * mon",
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def build_digest(uow: UnitOfWork, settings: Settings) -> list[dict[str, Any]]:
    """The network digest due at `DEFAULT_NOW` (a Monday, 9:00 in California), built now."""
    due = period.current_due(service.trigger(settings), DEFAULT_NOW) or DEFAULT_NOW
    _, messages = service.channel_digest(
        uow, settings, due, DEFAULT_NOW, settings.ccsn_digest_channel or DIGEST_CHANNEL, Links()
    )
    return messages


def fill(engine: Engine, size: int, recent: int) -> None:
    """Replace whatever a previous size stored with `size` submissions, then analyse.

    Fresh statistics, as autovacuum and `ANALYZE` would keep them on a live database, so the
    planners choose as they would in production.
    """
    with engine.begin() as connection:
        for model in (OutboxMessage, Digest, Practice, TaRequest, Event):
            connection.execute(delete(model))
    generate.submissions(engine, size, recent=recent)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def _timed(engine: Engine, settings: Settings, builds: int) -> tuple[float, list[dict[str, Any]]]:
    """Median milliseconds of `builds` builds after one warm-up, and the last build's messages."""
    sessions = make_session_factory(engine)
    times = []
    messages: list[dict[str, Any]] = []
    for n in range(builds + 1):
        began = time.perf_counter()
        with UnitOfWork(sessions) as uow:
            messages = build_digest(uow, settings)
        if n:
            times.append(time.perf_counter() - began)
    return percentile(times, 50) * 1000, messages


def tally(messages: Sequence[dict[str, Any]]) -> str:
    """What the digest counted ("568 new practices, 38 requests for help, 23 events")."""
    fallback = str(messages[0].get("text", "")) if messages else ""
    return fallback.partition(": ")[2]


def measure_digest(
    database_url: str,
    *,
    sizes: Sequence[int] = DEFAULT_SIZES,
    recent: int = RECENT,
    builds: int = BUILDS,
) -> list[Row]:
    """Digest build time at each size of history, each against the size before it.

    The first size's baseline is the week alone (`recent` submissions, no history). Sizes
    in `SIZES` that were not asked for get a row saying how to run them.

    Args:
        database_url: an empty, migrated database; emptied and refilled for each size.
        sizes: how many stored submissions, ascending.
        recent: how many of them in the digest's week.
        builds: timed builds per size (the median is reported).
    """
    settings = bench_settings(database_url)
    engine = make_engine(database_url)
    rows = []
    times: dict[int, float] = {}
    try:
        fill(engine, recent, recent)
        before, before_ms = recent, _timed(engine, settings, builds)[0]
        for size in sizes:
            fill(engine, size, recent)
            ms, messages = _timed(engine, settings, builds)
            times[size] = ms
            target, met = _target(size, ms, times)
            rows.append(
                Row(
                    f"digest build ({label(database_url)}), {size:,} submissions",
                    "ms",
                    ms,
                    before_ms,
                    target=target,
                    met=met,
                    note=f"baseline: {_stored(before, recent)}; median of {builds}; "
                    f"{len(messages)} messages; the week: {tally(messages)}",
                )
            )
            before, before_ms = size, ms
    finally:
        engine.dispose()
    if max(sizes, default=0) in SIZES:  # the sizes: say how to run the larger ones
        for size in (s for s in SIZES if s > max(sizes)):
            rows.append(
                Row.not_measured(
                    f"digest build ({label(database_url)}), {size:,} submissions",
                    "ms",
                    OPT_IN,
                    _target(size, 0.0, {})[0],
                )
            )
    return rows


def _stored(size: int, recent: int) -> str:
    if size == recent:
        return f"the same digest with the week alone ({recent:,} submissions, no history)"
    return f"the same digest with {size:,} submissions stored"


def _target(size: int, ms: float, times: dict[int, float]) -> tuple[str, bool | None]:
    """The issue's target for this size, and whether `ms` meets it (None: no target here)."""
    if size == 100_000:
        return f"< {TARGET_MS:.0f} ms", ms < TARGET_MS
    if size == 1_000_000:
        base = times.get(100_000)
        return f"<= {GROWTH:.0f}x the 100k time", None if base is None else ms <= GROWTH * base
    return "", None
