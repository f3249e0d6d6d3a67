"""Text shaped like an outbox link, typed into any form, is only text.

The outbox once replaced `{permalink:KEY}` and `{permalink}` wherever they appeared, so a
member who typed one made the review post wait on itself (and every later post to the channel
queue behind it), or had a private post's permalink put into their DM. Every text field of
every form gets every token shape here, the whole life of every item is driven, and then the
channels must still deliver, with what the member typed arriving as typed.
"""

from __future__ import annotations

import json

import pytest

from core.config import Settings
from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from storage.models import OutboxStatus
from tests.conftest import MEMBER, REVIEW_CHANNEL, make_settings
from tests.handlers.events.helpers import EVENTS_CHANNEL
from tests.handlers.ta.conftest import TA_SETTINGS
from tests.handlers.ta.support import TA_CHANNEL
from tests.handlers.test_escaping import DIGEST_CHANNEL, Flows
from tests.harness import Bot, FrozenClock

pytestmark = pytest.mark.reliability

# Keys of real posts this run makes (the first practice's and the first TA request's own
# posts, a publication), and the bare token the approval DM once had; under 150 characters.
SHAPES = (
    "{permalink:practice:1:review:1}",
    "{permalink:ta:1:post}",
    "{permalink:event:1:published}",
    "{permalink}",
    "{permalink:practice:2:published}",
)
TYPED = " ".join(SHAPES)
TYPED_LINK = (
    "https://example.org/{permalink:practice:1:review:1}/{permalink}?k={permalink:ta:1:post}"
)


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    """Every feature on, so every form and every message exists."""
    return make_settings(
        slack,
        schema,
        ccsn_events_channel=EVENTS_CHANNEL,
        ccsn_digest_channel=DIGEST_CHANNEL,
        **TA_SETTINGS,
    )


def sent(bot: Bot, channel: str | None = None) -> str:
    """Everything posted or edited (to `channel`), as one JSON text."""
    calls = [
        call.params
        for call in bot.slack.calls
        if call.method in ("chat.postMessage", "chat.update")
        and (channel is None or call.params.get("channel") == channel)
    ]
    return json.dumps(calls, ensure_ascii=False)


def deliver_all(bot: Bot, clock: FrozenClock) -> None:
    for _ in range(5):
        clock.advance(minutes=1)
        bot.deliver()


def test_typed_link_tokens_are_delivered_as_typed_and_hold_nothing_up(
    bot: Bot, clock: FrozenClock
) -> None:
    """Every token shape in every field arrives literally; nothing waits; channels deliver."""
    flows = Flows(bot, text=TYPED, link=TYPED_LINK)
    flows.everything(clock)
    deliver_all(bot, clock)

    waiting = [(m.key, m.last_error) for m in bot.outbox() if m.status is OutboxStatus.PENDING]
    assert waiting == []
    for channel in (REVIEW_CHANNEL, TA_CHANNEL, EVENTS_CHANNEL, DIGEST_CHANNEL, MEMBER):
        posted = sent(bot, channel)
        for shape in SHAPES:
            assert shape in posted, f"{shape} did not reach {channel} as typed"
    assert "slack.com/archives" not in sent(bot, REVIEW_CHANNEL), "a typed token became a link"
    assert f"archives/{REVIEW_CHANNEL}" not in sent(bot, MEMBER), "a private link reached a DM"

    # The coordinators' channel still takes new review posts, in order.
    values = simulate.practice_values(title="After the tokens")
    flows.send(
        simulate.view_submission(
            practice_ids.PRACTICE_MODAL, MEMBER, values, view_id=flows.view_id()
        )
    )
    deliver_all(bot, clock)
    assert "After the tokens" in bot.slack.posts(REVIEW_CHANNEL)[-1]["text"]


def test_a_member_cannot_pull_a_private_posts_link_into_their_dm(
    bot: Bot, clock: FrozenClock
) -> None:
    """A practice titled with the review post's key gets an approval DM linking only its post."""
    flows = Flows(bot, text="{permalink:practice:1:review:1}", link="https://example.org/x")
    flows.decide(flows.share_practice(), review_ids.APPROVE_ACTION)
    deliver_all(bot, clock)

    [dm] = [p for p in bot.slack.posts(MEMBER) if "approved" in p["text"]]
    assert "{permalink:practice:1:review:1}" in dm["text"]
    assert f"archives/{REVIEW_CHANNEL}" not in json.dumps(dm)
    [published] = bot.slack.posts(bot.runtime.deps.settings.ccsn_practices_channel)
    assert f"p{published['ts'].replace('.', '')}|see it here>" in dm["text"]
