"""Follow / Unfollow: answered only to the clicker, counted on the post, replay-safe."""

from __future__ import annotations

import json

from storage.models import AuditEntry
from tests.handlers.policy.helpers import follow, post_now, published, share, stored, unfollow
from tests.harness import Bot

ANA, BEN = "UANA00001", "UBEN00001"


def test_follow_is_answered_ephemerally_and_counted_on_the_post(bot: Bot) -> None:
    """Two members follow: each is told privately, and the post shows 2 followers."""
    update = published(bot)
    follow(bot, update.id, ANA)
    follow(bot, update.id, BEN)
    bot.deliver()

    [reply] = bot.ephemerals(ANA)
    assert reply.startswith("You're following *Community schools coordinators")
    assert "7 and 1 days before each key date" in reply
    assert "*2 followers*" in json.dumps(post_now(bot))


def test_a_replayed_follow_changes_nothing(bot: Bot) -> None:
    """Follow clicked twice (or replayed by Slack) stays followed, counted once."""
    update = published(bot)
    follow(bot, update.id, ANA)
    follow(bot, update.id, ANA)
    bot.deliver()

    assert bot.ephemerals(ANA)[0] == bot.ephemerals(ANA)[1]
    assert "*1 follower*" in json.dumps(post_now(bot))
    followed = [a for a in bot.audit() if isinstance(a, AuditEntry) and a.action == "followed"]
    assert len(followed) == 1


def test_unfollow_stops_following_and_is_idempotent_too(bot: Bot) -> None:
    """Unfollow twice: one change, the count back to none."""
    update = published(bot)
    follow(bot, update.id, ANA)
    unfollow(bot, update.id, ANA)
    unfollow(bot, update.id, ANA)
    bot.deliver()

    assert bot.ephemerals(ANA)[-1].startswith("You're not following")
    assert "*No followers yet*" in json.dumps(post_now(bot))


def test_an_update_not_yet_published_cannot_be_followed(bot: Bot) -> None:
    """A forged Follow on a pending update is refused and changes nothing."""
    share(bot)
    [pending] = stored(bot)
    follow(bot, pending.id, ANA)
    assert bot.ephemerals(ANA) == ["This update is not published, so it cannot be followed."]
