"""Reminders to followers some days before each key date (`CCSN_POLICY_REMINDER_DAYS`).

Each reminder is claimed in `job_runs` under (update, date, member, days before) in the same
unit of work as its DM, so it goes out once however many processes run the job, across
restarts, and again after a crash only if the first try never committed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.deps import Deps
from handlers.policy import views
from handlers.policy.schemas import key_dates_of
from storage.models import PolicyStatus

REMINDER_JOB = "policy.reminder"
# Reminders go out from 9:00 in the network's time zone on their day, never at night.
REMINDER_TIME = time(9)
# A closed grant or a failed bill has no deadline worth a reminder any more.
SETTLED_STAGES = frozenset({"closed", "vetoed_failed"})


def due_at(on: date, days: int, tz: ZoneInfo) -> datetime:
    """When the reminder `days` before `on` is due: 9:00 that day, network time."""
    return datetime.combine(on - timedelta(days=days), REMINDER_TIME, tzinfo=tz)


def current_offset(on: date, offsets: tuple[int, ...], now: datetime, tz: ZoneInfo) -> int | None:
    """Which of `offsets` (largest first) is due for the date `on` at `now`, if any.

    Each lasts until the next smaller one is due, and the last until the day itself starts,
    so a process back from a long outage sends the one reminder that still makes sense
    ("tomorrow"), not every one it missed.
    """
    start_of_day = datetime.combine(on, time.min, tzinfo=tz)
    for index, days in enumerate(offsets):
        until = due_at(on, offsets[index + 1], tz) if index + 1 < len(offsets) else start_of_day
        if due_at(on, days, tz) <= now < until:
            return days
    return None


def send_due_reminders(deps: Deps) -> int:
    """DM every follower whose reminder is due now; returns how many were queued.

    Nobody is reminded who started following after the reminder was due (they had just
    read the dates), and nothing is sent for a settled update (a closed grant, a failed bill).
    """
    settings = deps.settings
    tz = settings.timezone
    offsets = settings.ccsn_policy_reminder_days
    now = deps.clock()
    if not offsets:
        return 0
    today = now.astimezone(tz).date()
    with deps.uow() as uow:
        update_ids = [u.id for u in uow.policy_updates.with_dates_from(today)]
    sent = 0
    for update_id in update_ids:
        with deps.uow() as uow:
            update = uow.policy_updates.get(update_id)
            if update is None or update.status is not PolicyStatus.APPROVED:
                continue
            if update.stage in SETTLED_STAGES:
                continue
            followers = None
            for key_date in key_dates_of(update.key_dates):
                days = current_offset(key_date.on, offsets, now, tz)
                if days is None:
                    continue
                due = due_at(key_date.on, days, tz)
                dm = views.reminder_message(update, key_date, days, tz)
                followers = (
                    followers if followers is not None else uow.policy_followers.of(update_id)
                )
                for follower in followers:
                    if follower.created_at > due:
                        continue
                    claim = f"{update_id}:{key_date.on.isoformat()}:{follower.user_id}:{days}"
                    if not uow.job_runs.claim(REMINDER_JOB, claim, now):
                        continue
                    uow.outbox.enqueue(
                        method="chat.postMessage",
                        channel=follower.user_id,
                        payload=dict(dm),
                        at=now,
                    )
                    sent += 1
            uow.commit()
    return sent
