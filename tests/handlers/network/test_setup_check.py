"""The set-up check names what to fix; submissions wait for the review channel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import build_runtime
from core.config import Settings
from demokit import simulate
from demokit.fake_slack import DEFAULT_SCOPES, FakeSlack
from handlers.ccsn import ids as ccsn_ids
from handlers.network import guard, ids
from handlers.network import service as network_service
from handlers.practices import ids as practice_ids
from tests.conftest import COORDINATORS, MEMBER, PRACTICES_CHANNEL, make_settings
from tests.handlers.ccsn.conftest import command_answer
from tests.handlers.digest.conftest import DIGEST_CHANNEL
from tests.handlers.home.conftest import buttons, click, published, texts
from tests.handlers.network.conftest import notice
from tests.harness import Bot, FrozenClock, body_json

COORD = COORDINATORS[0]


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema, ccsn_digest_channel=DIGEST_CHANNEL)


def test_the_set_up_check_names_a_channel_the_bot_is_not_in_and_joins_it(bot: Bot) -> None:
    """Home's check says the bot is not in the practices channel and offers Join, which works."""
    bot.slack.channels[PRACTICES_CHANNEL] = {"is_member": False}

    click(bot, ids.SETUP_ACTION, "check", COORD)

    shown = texts(published(bot, COORD)[-1])
    assert (
        f":warning: CCSN Hub is not in the practices channel <#{PRACTICES_CHANNEL}>: press *Join* "
        "so it can post there." in shown
    )
    assert "No events channel is chosen yet, so events cannot be announced" in shown
    assert "The app has every scope the features need." in shown
    assert ("Join", ids.JOIN_ACTION, PRACTICES_CHANNEL) in buttons(published(bot, COORD)[-1])

    click(bot, ids.JOIN_ACTION, PRACTICES_CHANNEL, COORD)

    assert [c.params["channel"] for c in bot.slack.calls_to("conversations.join")] == [
        PRACTICES_CHANNEL
    ]
    assert notice(bot, COORD) == f"CCSN Hub joined <#{PRACTICES_CHANNEL}>."
    assert f"The practices channel <#{PRACTICES_CHANNEL}> is ready" in texts(
        published(bot, COORD)[-1]
    )


def test_ccsn_setup_reports_private_channels_missing_scopes_and_refuses_members(
    bot: Bot,
) -> None:
    """`/ccsn setup` tells a coordinator to /invite the bot and which scopes are missing."""
    bot.slack.channels[DIGEST_CHANNEL] = {"is_private": True, "is_member": False}
    bot.slack.scopes = tuple(s for s in DEFAULT_SCOPES if s != "channels:join")

    answer = command_answer(bot.send(simulate.slash_command(ccsn_ids.CCSN_COMMAND, COORD, "setup")))

    assert answer["text"].startswith("*Set-up check:* ")
    assert f"The digest channel (`{DIGEST_CHANNEL}`) was not found" in answer["text"]
    assert "Invite @ccsn-hub with `/invite @ccsn-hub` there" in answer["text"]
    assert "The app is missing the scopes `channels:join`" in answer["text"]
    asked = len(bot.slack.calls_to("auth.test"))
    member = command_answer(
        bot.send(simulate.slash_command(ccsn_ids.CCSN_COMMAND, MEMBER, "setup"))
    )
    assert member["text"] == network_service.NOT_COORDINATOR_SETUP
    assert len(bot.slack.calls_to("auth.test")) == asked  # a member's check asks Slack nothing


def test_a_crafted_join_from_a_member_is_refused(bot: Bot) -> None:
    """A member's Join click joins nothing."""
    click(bot, ids.JOIN_ACTION, PRACTICES_CHANNEL, MEMBER)

    assert bot.slack.calls_to("conversations.join") == []
    assert notice(bot, MEMBER) == network_service.NOT_COORDINATOR_SETUP


def test_the_digest_follows_the_day_and_hour_chosen_in_home(bot: Bot, clock: FrozenClock) -> None:
    """Thursdays at 10 in New York: the scheduler moves the digest there without a restart."""
    for action, value in (
        (ids.TIMEZONE_ACTION, "America/New_York"),
        (ids.DIGEST_DAY_ACTION, "thu"),
        (ids.DIGEST_HOUR_ACTION, "10"),
    ):
        body = simulate.home_select(
            action, ids.DIGEST_BLOCK, COORD, selected_option={"value": value}
        )
        assert bot.send(body).status == 200
    assert notice(bot, COORD) == "Saved: the digest time is now Thursdays at 10:00 am."
    clock.now = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)  # Thursday 10:30 in New York
    scheduler = bot.runtime.scheduler
    scheduler.catch_up()
    bot.deliver()
    assert bot.slack.posts(DIGEST_CHANNEL) == []  # the old Monday slot is long past

    assert "digest" in scheduler.refresh()  # (the 5-minute reminder check follows the zone too)
    scheduler.catch_up()
    bot.deliver()

    [post, *_] = bot.slack.posts(DIGEST_CHANNEL)
    assert post["text"].startswith("CCSN weekly digest")
    assert scheduler.refresh() == []


def test_submissions_wait_for_the_review_channel(
    slack: FakeSlack, schema: str, clock: FrozenClock
) -> None:
    """With no review channel chosen, sharing is refused politely and nothing is saved."""
    runtime = build_runtime(
        make_settings(slack, schema, ccsn_coordinator_channel=None), clock=clock
    )
    try:
        bot = Bot(runtime=runtime, slack=slack, clock=clock, secret="test-signing-secret")
        command = body_json(bot.send(simulate.slash_command(practice_ids.SHARE_COMMAND, MEMBER)))
        assert command["text"] == guard.NO_REVIEW_CHANNEL

        answer = body_json(bot.share(MEMBER, title="Homework club"))

        assert answer["response_action"] == "update"
        assert guard.NO_REVIEW_CHANNEL in str(answer["view"])
        assert bot.practices() == []
        assert bot.slack.calls_to("views.open") == []
    finally:
        runtime.close()
