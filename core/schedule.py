"""When scheduled jobs are due: the definitions features declare, with no scheduler running.

A feature says what it runs and when (`PeriodicJob`, `cron`); `bot.scheduler` runs them. The
time arithmetic lives here too, so a feature can ask when its job was last due (the digest's
period key) without importing the process edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger


@dataclass(frozen=True)
class PeriodicJob:
    """A job and when it is due.

    `run` receives the time the run was due (not the time it happened to start), so every
    process computes the same period key for the same run.
    """

    name: str
    trigger: BaseTrigger
    run: Callable[[datetime], None]
    grace: timedelta = timedelta(hours=24)
    catch_up: bool = True


def cron(expression: str, tz: ZoneInfo) -> CronTrigger:
    """A crontab trigger evaluated in the network's time zone (DST-aware)."""
    return CronTrigger.from_crontab(expression, timezone=tz)


def fire_times(trigger: BaseTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Every time `trigger` fires in (start, end]."""
    times: list[datetime] = []
    previous: datetime | None = None
    now = start + timedelta(microseconds=1)
    while True:
        next_time = trigger.get_next_fire_time(previous, now)
        if next_time is None or next_time > end:
            return times
        times.append(next_time)
        previous, now = next_time, next_time + timedelta(microseconds=1)


def last_due(trigger: BaseTrigger, now: datetime, window: timedelta) -> datetime | None:
    """The most recent time `trigger` was due within `window` before `now`, if any."""
    times = fire_times(trigger, now - window, now)
    return times[-1] if times else None
