"""The network digest: on schedule, exactly once, caught up after downtime, never lost."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError

from bot.app import build_runtime
from core.config import Settings
from core.schedule import fire_times
from handlers.digest import jobs, period, service
from storage.models import Digest, OutboxStatus
from tests.conftest import PRACTICES_CHANNEL, FrozenClock
from tests.handlers.digest.conftest import (
    DIGEST_CHANNEL,
    DUE,
    approved,
    post_ts,
    section_texts,
)
from tests.harness import Bot

PACIFIC = ZoneInfo("America/Los_Angeles")


def digests(bot: Bot) -> list[Digest]:
    with bot.runtime.deps.uow() as uow:
        return list(uow.session.query(Digest).order_by(Digest.id))


def test_the_schedule_fires_at_nine_local_in_both_daylight_saving_states(bot: Bot) -> None:
    """The digest job runs Mondays at 9:00 Pacific: 17:00 UTC in winter, 16:00 UTC in summer."""
    [job] = jobs(bot.runtime.deps)

    march = fire_times(
        job.trigger, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 22, tzinfo=UTC)
    )
    november = fire_times(
        job.trigger, datetime(2026, 10, 26, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC)
    )

    assert [t.astimezone(UTC).hour for t in march] == [17, 16, 16]  # DST began 8 March
    assert [t.astimezone(UTC).hour for t in november] == [16, 17, 17]  # DST ended 1 November
    assert {t.astimezone(PACIFIC).strftime("%a %H:%M") for t in march + november} == {"Mon 09:00"}
    assert job.grace == timedelta(hours=24)
    assert job.name in [j.name for j in bot.runtime.scheduler.jobs]


def test_period_keys_name_the_local_scheduled_time() -> None:
    """Each scheduled time has its own key, the same whichever process computes it."""
    summer = datetime(2026, 7, 6, 16, 0, tzinfo=UTC)
    winter = DUE

    assert period.period_key(summer, PACIFIC) == "2026-07-06T09:00"
    assert period.period_key(winter, PACIFIC) == "2026-11-30T09:00"
    assert period.period_key(winter + timedelta(days=7), PACIFIC) == "2026-12-07T09:00"


def test_the_database_allows_one_digest_per_channel_and_period(bot: Bot, clock) -> None:
    """A second row for the same channel and period is refused; another channel's is not."""
    row = {"period_key": "2026-11-30T09:00", "covered_from": DUE, "covered_until": DUE}

    with bot.runtime.deps.uow() as uow:
        uow.session.add(Digest(channel=DIGEST_CHANNEL, messages=1, created_at=DUE, **row))
        uow.session.add(Digest(channel="UMEMBER01", messages=1, created_at=DUE, **row))
        uow.commit()
    with pytest.raises(IntegrityError), bot.runtime.deps.uow() as uow:
        uow.session.add(Digest(channel=DIGEST_CHANNEL, messages=1, created_at=DUE, **row))
        uow.commit()


def test_the_scheduled_digest_lists_the_weeks_practices_linked_to_their_posts(
    bot: Bot, clock: FrozenClock
) -> None:
    """Practices approved this week appear by pillar with organisation, county and a link."""
    approved(bot, 1, title="Family resource nights <!channel>", county="Alameda")
    [onboarding] = approved(bot, 1, title="Coordinator onboarding", pillars=["leadership"])
    approved(bot, 1, title="Last week's practice", at=DUE - timedelta(days=8))
    clock.now = DUE + timedelta(minutes=1)

    bot.runtime.scheduler.catch_up()
    bot.deliver()

    [digest] = bot.slack.posts(DIGEST_CHANNEL)
    text = section_texts(digest)
    assert digest["text"] == "CCSN weekly digest · Nov 30, 2026: 2 new practices"
    assert "New practices (2)" in text
    assert "*Active family &amp; community engagement*" in text
    assert "*Collaborative leadership &amp; practices*" in text
    assert "Family resource nights &lt;!channel&gt;" in text
    assert "<!channel>" not in str(digest)
    assert "Roosevelt High School · Alameda County" in text
    ts = post_ts(onboarding).replace(".", "")
    assert f"archives/{PRACTICES_CHANNEL}/p{ts}|Coordinator onboarding>*" in text
    assert "Last week's practice" not in text
    assert "*This week:* 2 practices shared" in text


def test_a_second_post_for_the_same_period_is_refused(bot: Bot, clock: FrozenClock) -> None:
    """Posting the period again, by schedule or by hand, says so and posts nothing."""
    approved(bot)
    clock.now = DUE + timedelta(minutes=1)

    first = service.post_digest(bot.runtime.deps, DUE, actor_id="scheduler")
    again = service.post_current(bot.runtime.deps, actor_id="UCOORD001")
    bot.runtime.scheduler.catch_up()
    bot.deliver()

    assert (first.posted, first.period_key) == (True, "2026-11-30T09:00")
    assert (again.posted, again.reason) == (False, "already posted")
    assert len(bot.slack.posts(DIGEST_CHANNEL)) == 1
    assert [(d.channel, d.period_key) for d in digests(bot)] == [
        (DIGEST_CHANNEL, "2026-11-30T09:00")
    ]
    assert [(e.entity_type, e.action, e.actor_id) for e in bot.audit()] == [
        ("digest", "posted", "scheduler")
    ]


def test_two_bot_processes_on_one_database_post_one_digest(
    bot: Bot, settings: Settings, clock: FrozenClock
) -> None:
    """Two runtimes catching up the same period at the same instant produce one digest."""
    approved(bot, 3)
    clock.now = DUE + timedelta(minutes=2)
    other = build_runtime(settings, clock=clock)
    barrier = threading.Barrier(2)

    def catch_up(scheduler) -> None:
        barrier.wait()
        scheduler.catch_up()

    threads = [threading.Thread(target=catch_up, args=(r.scheduler,)) for r in (bot.runtime, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.deliver()
    other.delivery.drain()
    other.close()

    assert len(digests(bot)) == 1
    assert len(bot.slack.posts(DIGEST_CHANNEL)) == 1


def test_a_digest_missed_while_down_goes_out_on_restart_within_the_grace_window(
    bot: Bot, settings: Settings, clock: FrozenClock
) -> None:
    """Started three hours late, the bot posts the 9:00 digest once, however often it restarts."""
    approved(bot)
    clock.now = DUE + timedelta(hours=3)

    bot.runtime.scheduler.catch_up()
    restarted = build_runtime(settings, clock=clock)
    restarted.scheduler.catch_up()
    restarted.close()
    bot.deliver()

    [digest] = bot.slack.posts(DIGEST_CHANNEL)
    assert digest["text"].startswith("CCSN weekly digest · Nov 30, 2026")
    assert [d.period_key for d in digests(bot)] == ["2026-11-30T09:00"]


def test_a_digest_missed_beyond_the_grace_window_is_skipped_and_logged(
    bot: Bot, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Started 30 hours late (grace 24), the bot posts nothing and says what it skipped."""
    approved(bot)
    clock.now = DUE + timedelta(hours=30)

    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        bot.runtime.scheduler.catch_up()
    bot.deliver()

    assert bot.slack.posts(DIGEST_CHANNEL) == []
    assert digests(bot) == []
    assert "scheduler.skipped job=digest due=2026-11-30T09:00:00-08:00" in caplog.text


def test_the_grace_window_follows_its_setting(slack, schema: str, clock: FrozenClock) -> None:
    """With CCSN_DIGEST_GRACE_HOURS=48, a digest 30 hours late still goes out."""
    from tests.conftest import make_settings

    settings = make_settings(
        slack, schema, ccsn_digest_channel=DIGEST_CHANNEL, ccsn_digest_grace_hours=48
    )
    runtime = build_runtime(settings, clock=clock)
    clock.now = DUE + timedelta(hours=30)

    runtime.scheduler.catch_up()
    runtime.delivery.drain()
    runtime.close()

    assert len(slack.posts(DIGEST_CHANNEL)) == 1


def test_a_slack_outage_delays_the_digest_without_losing_it(bot: Bot, clock: FrozenClock) -> None:
    """With Slack answering 503 for a while, the digest is posted once Slack is back."""
    approved(bot)
    clock.now = DUE + timedelta(minutes=1)
    bot.runtime.scheduler.catch_up()
    bot.slack.fail_next("*", times=6, status=503)

    bot.deliver()
    assert bot.slack.posts(DIGEST_CHANNEL) == []
    for _ in range(12):
        clock.advance(minutes=1)
        bot.deliver()

    assert len(bot.slack.posts(DIGEST_CHANNEL)) == 1


def test_each_digest_starts_where_the_last_one_ended(bot: Bot, clock: FrozenClock) -> None:
    """A practice approved after Monday's digest appears the next Monday, and only then."""
    approved(bot, 1, title="Before the first digest")
    clock.now = DUE + timedelta(minutes=1)
    bot.runtime.scheduler.catch_up()
    approved(bot, 1, title="After the first digest", at=DUE + timedelta(hours=2))
    clock.now = DUE + timedelta(days=7, minutes=1)
    bot.runtime.scheduler.catch_up()
    bot.deliver()

    first, second = bot.slack.posts(DIGEST_CHANNEL)
    assert "Before the first digest" in section_texts(first)
    assert "After the first digest" not in section_texts(first)
    assert "After the first digest" in section_texts(second)
    assert "Before the first digest" not in section_texts(second)
    assert second["text"].startswith("CCSN weekly digest · Dec 7, 2026")


def test_a_quiet_week_posts_a_short_friendly_message(bot: Bot, clock: FrozenClock) -> None:
    """Nothing approved this week: one short message, no empty sections."""
    clock.now = DUE + timedelta(minutes=1)

    bot.runtime.scheduler.catch_up()
    bot.deliver()

    [digest] = bot.slack.posts(DIGEST_CHANNEL)
    assert digest["text"] == "CCSN weekly digest · Nov 30, 2026: a quiet week"
    assert "A quiet week in the network" in section_texts(digest)
    assert "New practices" not in section_texts(digest)


def test_a_busy_week_continues_in_thread_replies(bot: Bot, clock: FrozenClock) -> None:
    """300 approved practices: a parent and replies in its thread, every practice accounted for."""
    approved(bot, 300, organisation="Roosevelt High School & Community Partners")
    clock.now = DUE + timedelta(minutes=1)

    bot.runtime.scheduler.catch_up()
    bot.deliver()

    parent, *replies = bot.slack.posts(DIGEST_CHANNEL)
    assert replies
    assert all(reply["thread_ts"] == parent["ts"] for reply in replies)
    assert "thread_ts" not in parent
    listed = 0
    hidden = 0
    for message in (parent, *replies):
        assert len(message["blocks"]) <= 50
        assert message["text"]
        text = section_texts(message)
        assert len(text) < 13_000
        sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
        assert all(len(section) <= 3000 for section in sections)
        listed += text.count("• ")
        if "more new practices" in text:
            hidden += int(text.split("…and ")[1].split(" ")[0])
    assert listed + hidden == 300
    assert hidden > 0 and f"in <#{PRACTICES_CHANNEL}>" in section_texts(replies[-1])


def test_a_practice_whose_post_failed_is_listed_without_a_link(
    bot: Bot, clock: FrozenClock
) -> None:
    """If Slack refused a practice's post, the digest still lists it, just not as a link."""
    [practice_id] = approved(bot, 1, title="Orphaned practice")
    with bot.runtime.deps.uow() as uow:
        post = uow.outbox.by_key(f"practice:{practice_id}:published")
        assert post is not None
        post.status, post.last_error = OutboxStatus.FAILED, "not_in_channel"
        uow.commit()
    clock.now = DUE + timedelta(minutes=1)

    bot.runtime.scheduler.catch_up()
    bot.deliver()

    [digest] = bot.slack.posts(DIGEST_CHANNEL)
    assert "• *Orphaned practice* — Roosevelt High School" in section_texts(digest)
    assert bot.slack.calls_to("chat.getPermalink") == []
