"""Which period a digest belongs to, from the `CCSN_DIGEST_CRON` schedule. Pure.

A period starts at one scheduled time and runs to the next. Its key is the scheduled time in
the network's time zone ("2026-11-30T09:00"), so every process, and `ccsn-bot digest post`,
names the same digest the same way whatever time it happens to run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

from core.schedule import last_due

# Looking back this far finds the previous run of any sensible schedule without stepping
# through a year of minutes for a schedule that runs every minute.
_LOOKBACK = (timedelta(days=1), timedelta(days=8), timedelta(days=32), timedelta(days=366))


def period_key(due: datetime, tz: ZoneInfo) -> str:
    """The key of the period starting at `due`: its local date and time to the minute."""
    return due.astimezone(tz).strftime("%Y-%m-%dT%H:%M")


def current_due(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The most recent scheduled time at or before `now` (the current period's start)."""
    for window in _LOOKBACK:
        due = last_due(trigger, now, window)
        if due is not None:
            return due
    return None


def previous_due(trigger: BaseTrigger, due: datetime) -> datetime | None:
    """The scheduled time before `due`: where a first digest starts counting from."""
    return current_due(trigger, due - timedelta(microseconds=1))


def next_due(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The next scheduled time after `now` (when the coming digest goes out)."""
    return trigger.get_next_fire_time(None, now + timedelta(microseconds=1))


def label(due: datetime, tz: ZoneInfo) -> str:
    """The period as readers see it in a header: "Nov 30, 2026"."""
    local = due.astimezone(tz)
    return f"{local:%b} {local.day}, {local.year}"
