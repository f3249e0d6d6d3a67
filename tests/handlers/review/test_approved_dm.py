"""The approval DM links the member to their publication, and goes even when no link can be had."""

from __future__ import annotations

import pytest

from handlers.review import ids as review_ids
from handlers.review.views import NO_LINK
from storage.models import OutboxStatus
from tests.conftest import MEMBER
from tests.handlers.test_escaping import Flows
from tests.harness import Bot, FrozenClock

pytestmark = pytest.mark.reliability


def test_a_permalink_slack_never_gives_leaves_the_link_out_and_the_dm_goes(
    bot: Bot, clock: FrozenClock
) -> None:
    """`message_not_found` from `chat.getPermalink`: the DM says so in words; later DMs follow."""
    flows = Flows(bot, text="Family resource nights", link="https://example.org/x")
    practice = flows.share_practice()
    bot.slack.fail_next("chat.getPermalink", times=5, error="message_not_found")
    flows.decide(practice, review_ids.APPROVE_ACTION)
    flows.decide(flows.share_practice(), review_ids.REJECT_ACTION, "Not for the network.")
    for _ in range(3):
        clock.advance(minutes=1)
        bot.deliver()

    texts = [p["text"] for p in bot.slack.posts(MEMBER)]
    [approved] = [t for t in texts if "was approved" in t]
    assert approved.endswith(f"is now published: {NO_LINK}")
    assert any("decided not to publish" in t for t in texts), "the later DM is held back"
    assert [m.key for m in bot.outbox() if m.status is OutboxStatus.PENDING] == []
