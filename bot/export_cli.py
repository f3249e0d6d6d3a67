"""`ccsn-bot export <practices|ta|events> [--since DATE] [--output FILE]` and `ccsn-bot stats`.

Both read the database only (no Slack settings needed), and build exactly what `/ccsn export`
uploads: the same CSV from the same builder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO, TypeVar

from core.clock import Clock, utc_now
from core.config import Settings
from handlers.deps import Deps
from handlers.exports import service
from handlers.exports.schemas import ExportRequest
from handlers.exports.stats import stats_text
from storage.db import make_engine, make_session_factory
from storage.uow import UnitOfWork

T = TypeVar("T")


def _with_deps(settings: Settings, clock: Clock, work: Callable[[Deps], T]) -> T:
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    try:
        return work(Deps(settings=settings, uow=lambda: UnitOfWork(sessions), clock=clock))
    finally:
        engine.dispose()


def export(
    settings: Settings,
    kind: str,
    since: date | None,
    output: Path | None,
    out: IO[str],
    *,
    clock: Clock = utc_now,
) -> None:
    """Write the export to `output` (saying so on `out`), or to `out` itself."""
    request = ExportRequest(kind, since)
    text, count = _with_deps(settings, clock, lambda deps: service.csv_text(deps, request))
    if output is None:
        out.write(text)
        return
    output.write_text(text, encoding="utf-8", newline="")
    out.write(f"wrote {count} {'row' if count == 1 else 'rows'} to {output}\n")


def stats(
    settings: Settings,
    start: date | None,
    end: date | None,
    out: IO[str],
    *,
    clock: Clock = utc_now,
) -> None:
    """Print the counts by status, region, pillar and TA topic for the dates given."""
    last = end or clock().astimezone(settings.timezone).date()
    numbers = _with_deps(settings, clock, lambda deps: service.network_stats(deps, start, last))
    out.write(stats_text(numbers))
