"""The TA directory: offering TA, finding it, and the yearly "still offered?".

`KIND` declares offerings to the review pipeline; `register` adds what only offerings have
(Request from them, the post's ⋯ menu, the yearly question's buttons), `subcommands` the
directory search and `jobs` the yearly reconfirmation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from core.schedule import PeriodicJob
from handlers.deps import Deps
from handlers.ta_offerings import service
from handlers.ta_offerings.kind import TA_OFFERINGS as KIND
from handlers.ta_offerings.listeners import register, subcommands

JOB = "ta_offerings.upkeep"
INTERVAL = timedelta(hours=1)


def jobs(deps: Deps) -> list[PeriodicJob]:
    """Every hour: ask about offerings confirmed a year ago, and label the unanswered ones.

    Each question is claimed in `job_runs`, so every process may run this at once; a run
    missed while the bot was down needs no catching up, the next finds everything due.
    """
    trigger = IntervalTrigger(
        seconds=int(INTERVAL.total_seconds()), timezone=deps.settings.timezone
    )

    def run(_due: datetime) -> None:
        upkeep(deps)

    return [PeriodicJob(name=JOB, trigger=trigger, run=run, grace=INTERVAL, catch_up=False)]


def upkeep(deps: Deps) -> tuple[int, int]:
    """Send the yearly questions due and mark the offerings left unanswered; both counts."""
    if not service.directory_enabled(deps.settings):
        return 0, 0
    return service.send_reconfirmations(deps), service.mark_unconfirmed(deps)


__all__ = ["KIND", "jobs", "register", "subcommands", "upkeep"]
