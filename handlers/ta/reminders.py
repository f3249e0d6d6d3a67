"""Reminders so no TA request is forgotten: unclaimed ones are bumped, stale claims nudged.

The job runs every 15 minutes in every serving process. Each reminder is claimed in `job_runs`
in the same transaction as the messages it queues, so it is sent once however many processes
run the job, and a restart neither repeats nor loses one. A run missed while the bot was down
needs no catching up: the next run finds everything that became due meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from core.schedule import PeriodicJob
from handlers.deps import Deps
from handlers.ta import notices, routing
from storage.models import TaStatus
from storage.repositories.ta_requests import claimed_period, unclaimed_period

log = logging.getLogger(__name__)

JOB = "ta.reminders"
UNCLAIMED_JOB = "ta.unclaimed_reminder"
CLAIMED_JOB = "ta.claimed_reminder"
CLAIMED_REMIND_DAYS = 14
INTERVAL = timedelta(minutes=15)


def jobs(deps: Deps) -> list[PeriodicJob]:
    """The reminder job, for the scheduler of each serving process."""
    trigger = IntervalTrigger(
        seconds=int(INTERVAL.total_seconds()), timezone=deps.settings.timezone
    )

    def run(_due: datetime) -> None:
        # Reminders fall due by the clock, not by this run's slot: any run finds them all.
        send_reminders(deps)

    return [PeriodicJob(name=JOB, trigger=trigger, run=run, grace=INTERVAL, catch_up=False)]


def send_reminders(deps: Deps) -> int:
    """Send every reminder that is due now and not yet sent; returns how many were sent."""
    if not deps.settings.ccsn_ta_channel:
        return 0  # no request can have been made without the TA channel
    return _bump_unclaimed(deps) + _nudge_claimers(deps)


def _each(request_ids: list[int], remind: Callable[[int], bool], job: str) -> int:
    """Run `remind` for each request in its own transaction; one failure skips only itself."""
    sent = 0
    for request_id in request_ids:
        try:
            sent += remind(request_id)
        except Exception:  # the rest are still owed their reminders
            log.exception("ta.reminder_failed job=%s request=%s", job, request_id)
    return sent


def _bump_unclaimed(deps: Deps) -> int:
    days = deps.settings.ccsn_ta_remind_days
    now = deps.clock()
    cutoff = now - timedelta(days=days)
    with deps.uow() as uow:
        due = [request.id for request in uow.ta_requests.open_since(cutoff, job=UNCLAIMED_JOB)]

    def bump(request_id: int) -> bool:
        with deps.uow() as uow:
            request = uow.ta_requests.get(request_id)
            if request is None or request.status is not TaStatus.OPEN:
                return False
            if request.opened_at > cutoff:
                return False
            if not uow.job_runs.claim(UNCLAIMED_JOB, unclaimed_period(request), now):
                return False  # another process sent it
            route = routing.route(deps.settings, request.region)
            uow.outbox.enqueue(
                method="chat.postMessage",
                channel=deps.settings.ccsn_ta_channel or "",
                payload=notices.unclaimed_bump(
                    request,
                    recipients=tuple(dict.fromkeys([*request.offering_people, *route.recipients])),
                    days=days,
                ),
                at=now,
            )
            if deps.settings.ccsn_coordinator_channel:
                uow.outbox.enqueue(
                    method="chat.postMessage",
                    channel=deps.settings.ccsn_coordinator_channel,
                    payload=notices.unclaimed_coordinator_note(request, days=days),
                    at=now,
                )
            uow.commit()
        log.info("ta.unclaimed_reminder request=%s", request_id)
        return True

    return _each(due, bump, UNCLAIMED_JOB)


def _nudge_claimers(deps: Deps) -> int:
    now = deps.clock()
    cutoff = now - timedelta(days=CLAIMED_REMIND_DAYS)
    with deps.uow() as uow:
        due = [request.id for request in uow.ta_requests.claimed_since(cutoff, job=CLAIMED_JOB)]

    def nudge(request_id: int) -> bool:
        with deps.uow() as uow:
            request = uow.ta_requests.get(request_id)
            if request is None or request.status is not TaStatus.CLAIMED:
                return False
            if not _claimed_before(request.claimed_at, cutoff) or not request.claimed_by:
                return False
            if not uow.job_runs.claim(CLAIMED_JOB, claimed_period(request), now):
                return False
            uow.outbox.enqueue(
                method="chat.postMessage",
                channel=request.claimed_by,
                payload=notices.claimed_reminder(request, days=CLAIMED_REMIND_DAYS),
                at=now,
            )
            uow.commit()
        log.info("ta.claimed_reminder request=%s", request_id)
        return True

    return _each(due, nudge, CLAIMED_JOB)


def _claimed_before(claimed_at: datetime | None, cutoff: datetime) -> bool:
    return claimed_at is not None and claimed_at <= cutoff
