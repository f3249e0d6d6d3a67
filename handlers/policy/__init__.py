"""Policy and funding tracker: `/policy-update`, review, Follow, Update status, reminders.

`KIND` declares policy updates to the review pipeline; `register` adds what only they have
(Follow / Unfollow, the post's Update status, the Home button); `subcommands` is
`/ccsn policy`; `jobs` sends followers' reminders before key dates.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from core.schedule import PeriodicJob, cron
from handlers.ccsn.subcommand import CommandCall, Subcommand
from handlers.deps import Deps
from handlers.policy import query, reminders
from handlers.policy.kind import POLICY as KIND
from handlers.policy.listeners import register
from handlers.replies import TRY_AGAIN

log = logging.getLogger(__name__)

REMINDER_CHECK = timedelta(minutes=15)


def jobs(deps: Deps) -> list[PeriodicJob]:
    """Look for due reminders every fifteen minutes, and once at start-up.

    Each reminder is claimed in `job_runs`, so a restart or a new replica sends what fell due
    meanwhile at once, and every worker doing so together still sends each one once.
    """
    return [
        PeriodicJob(
            name=reminders.REMINDER_JOB,
            trigger=cron("*/15 * * * *", deps.settings.timezone),
            run=lambda _due: _remind(deps),
            grace=REMINDER_CHECK,
        )
    ]


def _remind(deps: Deps) -> None:
    reminders.send_due_reminders(deps)


def subcommands(deps: Deps) -> list[Subcommand]:
    """`/ccsn policy`, for every member."""

    def run(call: CommandCall) -> None:
        try:
            updates, parsed, today = query.find(deps, call.args)
        except SQLAlchemyError:
            log.exception("policy.search_failed")
            call.ack(text=TRY_AGAIN)
            return
        message = query.results_message(call.args, updates, parsed, today, deps.settings.timezone)
        call.ack(text=message["text"], blocks=message["blocks"])

    return [
        Subcommand(
            "policy",
            "bills, budget items, guidance and funding the network tracks, open deadlines "
            "first: words, and `kind:`, `status:`, `pillar:` or `funding:` to narrow them",
            run,
        )
    ]


__all__ = ["KIND", "jobs", "register", "subcommands"]
