"""Reminders: unclaimed requests bumped, stale claims nudged, each exactly once, time frozen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger

from core.schedule import PeriodicJob
from handlers.ta import ids
from tests.conftest import MEMBER, REVIEW_CHANNEL, FrozenClock
from tests.handlers.ta.conftest import TA_SETTINGS
from tests.handlers.ta.support import (
    BAY_GROUP,
    BAY_PROVIDER,
    NETWORK_PROVIDER,
    TA_CHANNEL,
    asked,
    buttons,
    resolve_with,
)
from tests.harness import Bot


def reminder_job(bot: Bot) -> PeriodicJob:
    [job] = [job for job in bot.runtime.scheduler.jobs if job.name == "ta.reminders"]
    return job


def run_reminders(bot: Bot) -> None:
    """One run of the scheduled job, as the scheduler would make it, then delivery."""
    reminder_job(bot).run(bot.clock())
    bot.deliver()


def bumps(bot: Bot) -> list[dict[str, object]]:
    return [m for m in bot.slack.posts(TA_CHANNEL) if str(m["text"]).startswith("Still waiting")]


def nudges(bot: Bot, provider: str) -> list[dict[str, object]]:
    return [m for m in bot.slack.posts(provider) if str(m["text"]).startswith("Reminder:")]


def test_the_reminder_job_runs_every_15_minutes_without_catch_up(bot: Bot) -> None:
    """Every serving process schedules the job; a missed run needs no catch-up."""
    job = reminder_job(bot)

    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(minutes=15)
    assert job.catch_up is False


def test_unclaimed_request_is_bumped_once_after_the_remind_days(
    bot: Bot, clock: FrozenClock
) -> None:
    """Not a minute before 3 days; at 3 days one bump and one note to coordinators; never again."""
    request_id = asked(bot, MEMBER)

    clock.advance(days=3, minutes=-1)
    run_reminders(bot)
    assert bumps(bot) == []

    clock.advance(minutes=1)
    run_reminders(bot)
    clock.advance(minutes=15)
    run_reminders(bot)
    clock.advance(days=10)
    run_reminders(bot)

    [bump] = bumps(bot)
    assert f"TA request TA-{request_id} (Bay Area) has been open for 3 days" in str(bump["text"])
    assert f"<@{BAY_PROVIDER}> <!subteam^{BAY_GROUP}>" in str(bump["text"])
    assert buttons(bump) == ["Claim"]
    [note] = bot.slack.posts(REVIEW_CHANNEL)
    assert f"TA-{request_id} (Bay Area) from <@{MEMBER}> has not been claimed in 3 days" in str(
        note["text"]
    )


def test_the_bump_is_not_repeated_after_a_restart_or_by_another_process(
    bot: Bot, clock: FrozenClock, bot_with: Callable[..., Bot]
) -> None:
    """A second bot process on the same database finds the reminder already sent."""
    asked(bot, MEMBER)
    clock.advance(days=3)
    run_reminders(bot)

    restarted = bot_with(**TA_SETTINGS)
    run_reminders(restarted)

    assert len(bumps(bot)) == 1
    assert len(bot.slack.posts(REVIEW_CHANNEL)) == 1


def test_two_processes_running_the_job_at_once_send_one_bump(
    bot: Bot, clock: FrozenClock, bot_with: Callable[..., Bot]
) -> None:
    """Two replicas firing the job at the same instant: the job_runs claim lets one send."""
    asked(bot, MEMBER)
    clock.advance(days=3)
    other = bot_with(**TA_SETTINGS)
    barrier = threading.Barrier(2)

    def run(process: Bot) -> None:
        barrier.wait()
        reminder_job(process).run(clock())

    threads = [threading.Thread(target=run, args=(b,)) for b in (bot, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.deliver()

    assert len(bumps(bot)) == 1
    assert len(bot.slack.posts(REVIEW_CHANNEL)) == 1


def test_a_claimed_request_is_not_bumped(bot: Bot, clock: FrozenClock) -> None:
    """A request claimed within the window is never bumped as unclaimed."""
    request_id = asked(bot, MEMBER)
    clock.advance(days=1)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)

    clock.advance(days=5)
    run_reminders(bot)

    assert bumps(bot) == []
    assert bot.slack.posts(REVIEW_CHANNEL) == []


def test_the_unclaimed_clock_restarts_when_a_request_is_released(
    bot: Bot, clock: FrozenClock
) -> None:
    """Released on day 2, a request is bumped 3 days after the release, not after asking."""
    request_id = asked(bot, MEMBER)
    clock.advance(days=1)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)
    clock.advance(days=1)
    bot.click(ids.RELEASE_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)

    clock.advance(days=2)
    run_reminders(bot)
    assert bumps(bot) == []

    clock.advance(days=1)
    run_reminders(bot)
    assert len(bumps(bot)) == 1


def test_remind_days_comes_from_settings(clock: FrozenClock, bot_with: Callable[..., Bot]) -> None:
    """With CCSN_TA_REMIND_DAYS=1 the bump comes after one day."""
    bot = bot_with(**TA_SETTINGS, ccsn_ta_remind_days=1)
    asked(bot, MEMBER)

    clock.advance(days=1)
    run_reminders(bot)

    [bump] = bumps(bot)
    assert "has been open for 1 day." in str(bump["text"])


def test_a_claim_left_unresolved_for_14_days_reminds_the_claimer_once(
    bot: Bot, clock: FrozenClock
) -> None:
    """Day 14 after the claim: one DM to the claimer with Mark resolved and Release."""
    request_id = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)

    clock.advance(days=14, minutes=-1)
    run_reminders(bot)
    assert nudges(bot, BAY_PROVIDER) == []

    clock.advance(minutes=1)
    run_reminders(bot)
    clock.advance(days=3)
    run_reminders(bot)

    [nudge] = nudges(bot, BAY_PROVIDER)
    assert f"you claimed TA request *TA-{request_id}*" in str(nudge["text"])
    assert "14 days ago" in str(nudge["text"])
    assert buttons(nudge) == ["Mark resolved", "Release"]
    assert bumps(bot) == []


def test_each_new_claim_gets_its_own_reminder(bot: Bot, clock: FrozenClock) -> None:
    """Released after a reminder and claimed by someone else, the new claimer is reminded too."""
    request_id = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)
    clock.advance(days=14)
    run_reminders(bot)
    bot.click(ids.RELEASE_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)
    bot.click(ids.CLAIM_ACTION, request_id, NETWORK_PROVIDER, TA_CHANNEL)

    clock.advance(days=14)
    run_reminders(bot)

    assert len(nudges(bot, BAY_PROVIDER)) == 1
    assert len(nudges(bot, NETWORK_PROVIDER)) == 1


def test_resolved_and_cancelled_requests_are_left_alone(bot: Bot, clock: FrozenClock) -> None:
    """Nothing reminds anyone about a request that is finished."""
    resolved = asked(bot, MEMBER)
    cancelled = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, resolved, BAY_PROVIDER, TA_CHANNEL)
    resolve_with(bot, BAY_PROVIDER, resolved, "Sent the guide", "VRESREM01")
    bot.click(ids.CANCEL_ACTION, cancelled, MEMBER, "DMEMBER01")

    clock.advance(days=30)
    run_reminders(bot)

    assert bumps(bot) == []
    assert nudges(bot, BAY_PROVIDER) == []
    assert bot.slack.posts(REVIEW_CHANNEL) == []
