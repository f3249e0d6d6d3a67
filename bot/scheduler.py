"""Scheduled jobs: APScheduler for timing, the database for "exactly once".

APScheduler's in-memory store decides *when* to try; it knows nothing of other processes or
of restarts. Each job therefore claims its run in `job_runs` inside the transaction that does
its work, so several replicas, a restart or a retry still run it once per due time. On start,
a cron run missed while the bot was down is caught up if it is within the job's grace window,
and skipped (with a log line) if it is older.

A coordinator can move the digest from Home while the bot runs: every minute the scheduler
asks the features for their jobs again (`refresh`) and reschedules any whose trigger changed,
so the new day, hour or time zone applies in every process within a minute, no restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.clock import Clock
from core.schedule import PeriodicJob, last_due

log = logging.getLogger(__name__)


def same_schedule(a: BaseTrigger, b: BaseTrigger) -> bool:
    """Whether two triggers fire at the same times (an interval's start is not compared)."""
    if isinstance(a, CronTrigger) and isinstance(b, CronTrigger):
        return str(a) == str(b) and str(a.timezone) == str(b.timezone)
    if isinstance(a, IntervalTrigger) and isinstance(b, IntervalTrigger):
        return a.interval == b.interval
    return repr(a) == repr(b)


REFRESH_JOB = "scheduler.refresh"
REFRESH_SECONDS = 60


class JobScheduler:
    """Runs `PeriodicJob`s in a background thread of the serving process.

    `refresh`, when given, returns the jobs as they should be now (built from the effective
    settings); see `refresh`.
    """

    def __init__(
        self,
        jobs: Sequence[PeriodicJob],
        tz: ZoneInfo,
        clock: Clock,
        refresh: Callable[[], Sequence[PeriodicJob]] | None = None,
    ) -> None:
        self._jobs = list(jobs)
        self._refresh = refresh
        self._tz = tz
        self._clock = clock
        self._scheduler = BackgroundScheduler(timezone=tz)

    @property
    def jobs(self) -> list[PeriodicJob]:
        """The jobs this scheduler runs."""
        return list(self._jobs)

    def catch_up(self) -> None:
        """Run each cron job's latest due time within its grace window, once.

        A run older than the window is not attempted; it is logged as skipped so the operator
        knows a digest (say) did not go out.
        """
        now = self._clock()
        for job in self._jobs:
            if not job.catch_up:
                continue
            due = last_due(job.trigger, now, job.grace)
            if due is not None:
                self._run(job, due)
            else:
                missed = last_due(job.trigger, now, job.grace * 8)
                if missed is not None:
                    log.warning("scheduler.skipped job=%s due=%s", job.name, missed.isoformat())

    def start(self) -> None:
        """Catch up, then run every job at its due times until `stop`."""
        self.catch_up()
        for job in self._jobs:
            self._scheduler.add_job(
                self._fire,
                trigger=job.trigger,
                args=[job],
                id=job.name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=int(job.grace.total_seconds()),
            )
        if self._refresh is not None:
            self._scheduler.add_job(
                self.refresh,
                trigger="interval",
                seconds=REFRESH_SECONDS,
                id=REFRESH_JOB,
                coalesce=True,
                max_instances=1,
            )
        self._scheduler.start()

    def refresh(self) -> list[str]:
        """Take each job's trigger from the settings as they are now; the names rescheduled.

        A job whose schedule did not change keeps its place (APScheduler's next run time is
        left alone); one that did is rescheduled, and later catch-ups use the new trigger.
        """
        if self._refresh is None:
            return []
        try:
            wanted = {job.name: job for job in self._refresh()}
        except Exception:  # the settings could not be read: keep the schedule we have
            log.exception("scheduler.refresh_failed")
            return []
        moved: list[str] = []
        for index, job in enumerate(self._jobs):
            new = wanted.get(job.name)
            if new is None or same_schedule(new.trigger, job.trigger):
                continue
            self._jobs[index] = new
            moved.append(job.name)
            if self._scheduler.get_job(job.name) is not None:
                self._scheduler.reschedule_job(job.name, trigger=new.trigger)
                self._scheduler.modify_job(job.name, args=[new])
            log.info("scheduler.rescheduled job=%s trigger=%s", job.name, new.trigger)
        return moved

    def stop(self) -> None:
        """Stop scheduling; a run in progress finishes."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)

    def _fire(self, job: PeriodicJob) -> None:
        due = last_due(job.trigger, self._clock(), timedelta(minutes=5)) or self._clock()
        self._run(job, due)

    def _run(self, job: PeriodicJob, due: datetime) -> None:
        try:
            job.run(due)
        except Exception:  # one failed run must not stop the scheduler
            log.exception("scheduler.job_failed job=%s due=%s", job.name, due.isoformat())
