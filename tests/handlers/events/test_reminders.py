"""Reminders: a DM to everyone who RSVP'd, the configured hours before, exactly once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tests.conftest import FrozenClock
from tests.handlers.events.helpers import (
    PACIFIC,
    STARTS,
    announced,
    cancel_event,
    dms,
    edit_event,
    rsvp,
    run_reminders,
)
from tests.harness import Bot

ANA, BEN, CHE = "UANA00001", "UBEN00001", "UCHE00001"


def reminders(bot: Bot, user: str) -> list[str]:
    bot.deliver()
    return [text for text in dms(bot, user) if text.startswith("Reminder:")]


def test_reminder_goes_24_hours_before_the_start_and_only_once(
    bot: Bot, clock: FrozenClock
) -> None:
    """A minute early: nothing. At 24 hours before: the DM. Later ticks: nothing more."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)

    clock.now = STARTS - timedelta(hours=24, minutes=1)
    run_reminders(bot)
    assert reminders(bot, ANA) == []

    clock.now = STARTS - timedelta(hours=24)
    run_reminders(bot)
    clock.advance(minutes=5)
    run_reminders(bot)

    [reminder] = reminders(bot, ANA)
    assert reminder.startswith("Reminder: *Family engagement community of practice* starts ")
    assert f"<!date^{int(STARTS.timestamp())}^" in reminder
    assert "(Thu, Dec 10, 2026, 10:00 AM PST)" in reminder


def test_reminder_lead_is_configurable(make_bot: Callable[..., Bot], clock: FrozenClock) -> None:
    """With CCSN_EVENT_REMINDER_HOURS=2 the DM waits until two hours before."""
    bot = make_bot(ccsn_event_reminder_hours=2)
    event = announced(bot)
    rsvp(bot, event.id, ANA)

    clock.now = STARTS - timedelta(hours=24)
    run_reminders(bot)
    assert reminders(bot, ANA) == []

    clock.now = STARTS - timedelta(hours=2)
    run_reminders(bot)
    assert len(reminders(bot, ANA)) == 1


def test_several_processes_and_a_restart_send_each_reminder_once(
    bot: Bot, make_bot: Callable[..., Bot], clock: FrozenClock
) -> None:
    """Three bot processes tick at the same instant, then one restarts: one DM per member."""
    event = announced(bot)
    for user in (ANA, BEN, CHE):
        rsvp(bot, event.id, user)
    processes = [bot, make_bot(), make_bot()]
    clock.now = STARTS - timedelta(hours=23)
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


def test_after_a_daylight_saving_change_the_reminder_is_24_real_hours_before(
    bot: Bot, clock: FrozenClock
) -> None:
    """Sunday 8 March 2026 10:00 PDT is 17:00 UTC; its reminder is Saturday 09:00 PST."""
    clock.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    starts = datetime(2026, 3, 8, 10, 0, tzinfo=PACIFIC)  # clocks went forward at 02:00
    event = announced(bot, starts_at=starts)
    rsvp(bot, event.id, ANA)

    clock.now = datetime(2026, 3, 7, 8, 59, tzinfo=PACIFIC)
    run_reminders(bot)
    assert reminders(bot, ANA) == []

    # 24 real hours before; wall-clock arithmetic (`starts - 24h` in PACIFIC) would say 10:00.
    clock.now = datetime(2026, 3, 7, 9, 0, tzinfo=PACIFIC)
    assert clock.now == starts.astimezone(UTC) - timedelta(hours=24)
    run_reminders(bot)

    [reminder] = reminders(bot, ANA)
    assert "(Sun, Mar 8, 2026, 10:00 AM PDT)" in reminder


def test_no_reminder_for_a_cancelled_event(bot: Bot, clock: FrozenClock) -> None:
    """Cancelled before the reminder was due: the cancellation notice, and no reminder."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)
    cancel_event(bot, "UMEMBER01", event.id, "Speaker unavailable")

    clock.now = STARTS - timedelta(hours=23)
    run_reminders(bot)

    assert reminders(bot, ANA) == []
    assert any("has been cancelled" in text for text in dms(bot, ANA))


def test_no_reminder_for_someone_who_rsvpd_after_it_was_due(bot: Bot, clock: FrozenClock) -> None:
    """An RSVP made 3 hours before the start gets no reminder; earlier ones do."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)
    clock.now = STARTS - timedelta(hours=3)
    rsvp(bot, event.id, BEN)

    run_reminders(bot)

    assert len(reminders(bot, ANA)) == 1
    assert reminders(bot, BEN) == []


def test_a_rescheduled_event_is_reminded_again_for_its_new_time(
    bot: Bot, clock: FrozenClock
) -> None:
    """Reminded, then moved a week later: a second reminder 24 hours before the new start."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)
    clock.now = STARTS - timedelta(hours=20)
    run_reminders(bot)
    later = STARTS + timedelta(days=7)
    edit_event(bot, "UMEMBER01", event.id, starts_at=later)

    run_reminders(bot)
    assert len(reminders(bot, ANA)) == 1
    clock.now = later - timedelta(hours=24)
    run_reminders(bot)

    assert len(reminders(bot, ANA)) == 2


def test_moved_within_the_window_the_change_notice_stands_in_for_the_reminder(
    bot: Bot, clock: FrozenClock
) -> None:
    """Moved to 2 hours later after its reminder was due: told once of the change, no repeat."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)
    clock.now = STARTS - timedelta(hours=20)
    run_reminders(bot)

    edit_event(bot, "UMEMBER01", event.id, starts_at=STARTS + timedelta(hours=2))
    run_reminders(bot)

    assert len(reminders(bot, ANA)) == 1
    assert any("has changed (time)" in text for text in dms(bot, ANA))


def test_a_bot_starting_up_sends_reminders_already_due(bot: Bot, clock: FrozenClock) -> None:
    """The start-up catch-up runs the reminder check, so a restart sends due reminders at once."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)
    clock.now = STARTS - timedelta(hours=3, minutes=2)  # due for 21 hours; the bot was down

    bot.runtime.scheduler.catch_up()
    bot.runtime.scheduler.catch_up()  # another worker starting at the same moment

    assert len(reminders(bot, ANA)) == 1
