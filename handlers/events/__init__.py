"""Events: `/announce-event`, its shortcut, review, RSVP, reminders and the calendar feed.

`KIND` declares events to the review pipeline; `register` adds what only events have (RSVP,
the announcement's menu, cancelling) and `jobs` their reminders.
"""

from __future__ import annotations

from datetime import timedelta

from core.schedule import PeriodicJob, cron
from handlers.deps import Deps
from handlers.events import attendance
from handlers.events.kind import EVENTS as KIND
from handlers.events.listeners import register

REMINDER_CHECK = timedelta(minutes=5)


def jobs(deps: Deps) -> list[PeriodicJob]:
    """Look for reminders to send every five minutes, and once at start-up.

    Reminders are claimed one by one in `job_runs`, so any run finds whatever is due and not
    yet sent. The start-up run (the scheduler's catch-up of the last five-minute mark) means a
    restart or a new replica sends reminders that fell due meanwhile at once, not up to five
    minutes late; every worker doing so at the same moment still sends each one once.
    """
    return [
        PeriodicJob(
            name=attendance.REMINDER_JOB,
            trigger=cron("*/5 * * * *", deps.settings.timezone),
            run=lambda _due: _remind(deps),
            grace=REMINDER_CHECK,
        )
    ]


def _remind(deps: Deps) -> None:
    attendance.send_due_reminders(deps)


__all__ = ["KIND", "jobs", "register"]
