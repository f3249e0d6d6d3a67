"""Events: `/announce-event`, its shortcut, review, RSVP, reminders and the calendar feed."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger

from bot.deps import Deps
from bot.scheduler import PeriodicJob
from handlers.events import attendance
from handlers.events.listeners import register

REMINDER_CHECK = timedelta(minutes=5)


def jobs(deps: Deps) -> list[PeriodicJob]:
    """Look for reminders to send every few minutes.

    Reminders are claimed one by one in `job_runs`, so a missed tick needs no catch-up: the
    next one finds whatever is due and not yet sent.
    """
    return [
        PeriodicJob(
            name=attendance.REMINDER_JOB,
            trigger=IntervalTrigger(
                seconds=int(REMINDER_CHECK.total_seconds()), timezone=deps.settings.timezone
            ),
            run=lambda _due: _remind(deps),
            grace=REMINDER_CHECK,
            catch_up=False,
        )
    ]


def _remind(deps: Deps) -> None:
    attendance.send_due_reminders(deps)


__all__ = ["jobs", "register"]
