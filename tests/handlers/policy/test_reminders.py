"""Followers' reminders 7 and 1 days before each key date, exactly once across processes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import MEMBER, FrozenClock
from tests.handlers.policy.helpers import dms, follow, published, run_reminders, update_status
from tests.harness import Bot

PACIFIC = ZoneInfo("America/Los_Angeles")
ANA, BEN, CHE = "UANA00001", "UBEN00001", "UCHE00001"


def reminders(bot: Bot, user: str) -> list[str]:
    bot.deliver()
    return [text for text in dms(bot, user) if text.startswith("Reminder:")]


def test_reminders_go_7_days_and_1_day_before_at_nine(bot: Bot, clock: FrozenClock) -> None:
    """Thu Dec 10 hearing: nothing at 8:59 on Dec 3, one at 9:00, one on Dec 9, no more."""
    update = published(bot, key_dates=[("Hearing", "2026-12-10")])
    follow(bot, update.id, ANA)

    clock.now = datetime(2026, 12, 3, 8, 59, tzinfo=PACIFIC)
    run_reminders(bot)
    assert reminders(bot, ANA) == []

    clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=PACIFIC)
    run_reminders(bot)
    clock.advance(minutes=15)
    run_reminders(bot)
    [week] = reminders(bot, ANA)
    assert week.startswith("Reminder: *Hearing* for *Community schools coordinators")
    assert "is in 7 days, Thu, Dec 10, 2026 (<!date^" in week

    clock.now = datetime(2026, 12, 9, 9, 30, tzinfo=PACIFIC)
    run_reminders(bot)
    run_reminders(bot)
    assert [r.split(" is ")[1][:8] for r in reminders(bot, ANA)] == ["in 7 day", "tomorrow"]

    clock.now = datetime(2026, 12, 10, 9, 0, tzinfo=PACIFIC)
    run_reminders(bot)
    assert len(reminders(bot, ANA)) == 2


def test_each_key_date_is_reminded_separately(bot: Bot, clock: FrozenClock) -> None:
    """Two dates a week apart: the one-day reminder of one and the week's of the other."""
    update = published(bot, key_dates=[("Hearing", "2026-12-10"), ("Floor vote", "2026-12-16")])
    follow(bot, update.id, ANA)
    clock.now = datetime(2026, 12, 9, 10, 0, tzinfo=PACIFIC)
    run_reminders(bot)
    texts = reminders(bot, ANA)
    assert len(texts) == 2
    assert any("*Hearing*" in t and "tomorrow" in t for t in texts)
    assert any("*Floor vote*" in t and "in 7 days" in t for t in texts)


def test_two_processes_and_a_restart_send_each_reminder_once(
    bot: Bot, make_bot: Callable[..., Bot], clock: FrozenClock
) -> None:
    """Two processes tick at the same instant, then one restarts: one DM per follower."""
    update = published(bot)
    for user in (ANA, BEN, CHE):
        follow(bot, update.id, user)
    processes = [bot, make_bot()]
    clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=PACIFIC)
    barrier = threading.Barrier(len(processes))

    def tick(process: Bot) -> None:
        barrier.wait()
        run_reminders(process)

    threads = [threading.Thread(target=tick, args=(process,)) for process in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run_reminders(make_bot())  # a restarted process

    assert [len(reminders(bot, user)) for user in (ANA, BEN, CHE)] == [1, 1, 1]


def test_after_an_outage_only_the_reminder_still_current_goes(bot: Bot, clock: FrozenClock) -> None:
    """Down from before the week's reminder until the day before: only "tomorrow" is sent."""
    update = published(bot)
    follow(bot, update.id, ANA)
    clock.now = datetime(2026, 12, 9, 18, 0, tzinfo=PACIFIC)
    run_reminders(bot)
    [only] = reminders(bot, ANA)
    assert "tomorrow" in only


def test_configured_days_and_settled_updates(
    make_bot: Callable[..., Bot], clock: FrozenClock
) -> None:
    """With CCSN_POLICY_REMINDER_DAYS=3 the DM comes 3 days before; a failed bill gets none."""
    bot = make_bot(ccsn_policy_reminder_days="3")
    update = published(bot)
    failed = published(
        bot, title="A bill that failed in committee", key_dates=[("Hearing", "2026-12-10")]
    )
    follow(bot, update.id, ANA)
    follow(bot, failed.id, ANA)
    update_status(bot, MEMBER, failed.id, "vetoed_failed")

    clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=PACIFIC)
    run_reminders(bot)
    assert reminders(bot, ANA) == []
    clock.now = datetime(2026, 12, 7, 9, 0, tzinfo=PACIFIC) + timedelta(minutes=1)
    run_reminders(bot)
    [reminder] = reminders(bot, ANA)
    assert "in 3 days" in reminder and "failed" not in reminder


def test_a_member_who_follows_after_a_reminder_was_due_waits_for_the_next(
    bot: Bot, clock: FrozenClock
) -> None:
    """Following on Dec 5: no week reminder (it was due Dec 3), but the day-before one."""
    update = published(bot)
    clock.now = datetime(2026, 12, 5, 12, 0, tzinfo=PACIFIC)
    follow(bot, update.id, ANA)
    run_reminders(bot)
    assert reminders(bot, ANA) == []
    clock.now = datetime(2026, 12, 9, 9, 0, tzinfo=PACIFIC)
    run_reminders(bot)
    assert len(reminders(bot, ANA)) == 1
