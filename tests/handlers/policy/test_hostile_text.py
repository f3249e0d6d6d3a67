"""Hostile text in every field of an update reaches Slack escaped, wherever it appears."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from demokit import simulate
from tests.conftest import MEMBER, REVIEW_CHANNEL, FrozenClock
from tests.handlers.digest.conftest import DIGEST_CHANNEL, DUE, MIDWEEK
from tests.handlers.policy.helpers import (
    POLICY_CHANNEL,
    follow,
    published,
    run_reminders,
    update_status,
)
from tests.harness import Bot, body_json, mrkdwn_texts

PACIFIC = ZoneInfo("America/Los_Angeles")
ANA = "UANA00001"
EVIL = "<!channel> <@U0BOSS> <https://evil.example|click> *bold* _it_ `code` &amp; <#C0HQ>"
# What Slack would act on in mrkdwn: a ping, a mention, a link, a channel link, formatting.
LIVE = re.compile(r"<!channel>|<@U0BOSS>|<https://evil|<#C0HQ>|\*bold\*|`code`")


def hostile_update(bot: Bot) -> int:
    update = published(
        bot,
        title=f"AB 1 {EVIL}"[:150],
        summary=f"Summary {EVIL}",
        act=f"Act {EVIL}"[:500],
        district=f"District {EVIL}"[:150],
        jurisdiction="Fresno",
        key_dates=[(f"Hearing {EVIL}"[:60], "2026-12-10")],
    )
    return update.id


def assert_inert(message: object) -> None:
    for text in mrkdwn_texts(message):
        assert not LIVE.search(text), text


def test_hostile_text_is_escaped_in_every_message(
    make_bot: Callable[..., Bot], clock: FrozenClock
) -> None:
    """Review post, the channel post and its edits, every DM, the digest, `/ccsn policy`."""
    bot = make_bot(ccsn_digest_channel=DIGEST_CHANNEL)
    clock.now = MIDWEEK
    update_id = hostile_update(bot)
    follow(bot, update_id, ANA)
    update_status(bot, MEMBER, update_id, "passed_one_house", f"Note {EVIL}"[:150])
    clock.now = datetime(2026, 12, 3, 9, 0, tzinfo=PACIFIC)
    run_reminders(bot)
    clock.now = DUE + timedelta(days=7, minutes=1)
    bot.runtime.scheduler.catch_up()
    bot.deliver()
    answer = body_json(bot.send(simulate.slash_command("/ccsn", MEMBER, "policy AB")))

    messages = [
        *bot.slack.posts(REVIEW_CHANNEL),
        *bot.slack.posts(POLICY_CHANNEL),
        *[c.params for c in bot.slack.calls_to("chat.update")],
        *bot.slack.posts(MEMBER),
        *bot.slack.posts(ANA),
        *bot.slack.posts(DIGEST_CHANNEL),
        answer,
    ]
    assert len(bot.slack.posts(ANA)) >= 2, "the follower got the change and the reminder"
    assert bot.slack.posts(DIGEST_CHANNEL), "the digest went out"
    for message in messages:
        assert_inert(message)
    post = json.dumps(bot.slack.posts(POLICY_CHANNEL)[0])
    assert "&lt;!channel&gt;" in post
