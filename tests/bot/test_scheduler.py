"""Scheduling: local-time cron across daylight saving, catch-up windows, once per due time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduler import JobScheduler
from core.schedule import PeriodicJob, cron, fire_times, last_due
from storage.db import make_engine, make_session_factory
from storage.uow import UnitOfWork
from tests.harness import FrozenClock

PACIFIC = ZoneInfo("America/Los_Angeles")


def test_monday_nine_am_pacific_in_both_daylight_saving_states() -> None:
    """09:00 local is 17:00 UTC in winter and 16:00 UTC in summer, including the change weeks."""
    trigger = cron("0 9 * * mon", PACIFIC)
    start = datetime(2026, 3, 1, tzinfo=UTC)

    times = fire_times(trigger, start, start + timedelta(days=21))
    november = fire_times(
        trigger, datetime(2026, 10, 26, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC)
    )

    assert [t.astimezone(UTC).hour for t in times] == [17, 16, 16]  # DST began 8 March
    assert [t.astimezone(UTC).hour for t in november] == [16, 17, 17]  # DST ended 1 November
    assert all(t.astimezone(PACIFIC).hour == 9 for t in times + november)


def test_last_due_finds_the_run_missed_within_the_window() -> None:
    """At 10:30 on a Monday the 09:00 run is the latest due one; a day earlier there is none."""
    trigger = cron("0 9 * * mon", PACIFIC)
    monday = datetime(2026, 11, 30, 10, 30, tzinfo=PACIFIC)

    assert last_due(trigger, monday, timedelta(hours=24)) == datetime(
        2026, 11, 30, 9, 0, tzinfo=PACIFIC
    )
    assert last_due(trigger, monday - timedelta(days=1), timedelta(hours=24)) is None


def test_catch_up_runs_a_recent_miss_and_skips_an_old_one(clock: FrozenClock) -> None:
    """Started 3 hours after the due time the job runs for that time; 2 days after, it does not."""
    ran: list[datetime] = []
    job = PeriodicJob("weekly", cron("0 9 * * mon", PACIFIC), ran.append)
    clock.now = datetime(2026, 11, 30, 12, 0, tzinfo=PACIFIC)

    JobScheduler([job], PACIFIC, clock).catch_up()
    clock.now = datetime(2026, 12, 2, 12, 0, tzinfo=PACIFIC)
    JobScheduler([job], PACIFIC, clock).catch_up()

    assert ran == [datetime(2026, 11, 30, 9, 0, tzinfo=PACIFIC)]


def test_a_period_can_be_claimed_once(schema: str, clock: FrozenClock) -> None:
    """The second claim of the same job and period fails, even from another session."""
    engine = make_engine(schema)
    sessions = make_session_factory(engine)

    def claim() -> bool:
        with UnitOfWork(sessions) as uow:
            won = uow.job_runs.claim("digest", "2026-11-30", clock())
            uow.commit()
            return won

    assert [claim(), claim()] == [True, False]
    with UnitOfWork(sessions) as uow:
        assert uow.job_runs.has_run("digest", "2026-11-30")
        assert not uow.job_runs.has_run("digest", "2026-12-07")
    engine.dispose()


def test_a_claim_rolled_back_with_its_work_can_be_taken_again(schema: str, clock) -> None:
    """If the job's work fails before commit, its claim vanishes with it."""
    engine = make_engine(schema)
    sessions = make_session_factory(engine)
    with UnitOfWork(sessions) as uow:
        assert uow.job_runs.claim("digest", "2026-11-30", clock())
        # no commit: the work failed
    with UnitOfWork(sessions) as uow:
        assert uow.job_runs.claim("digest", "2026-11-30", clock())
    engine.dispose()
