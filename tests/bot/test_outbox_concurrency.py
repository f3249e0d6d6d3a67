"""The outbox beside members: no lock held while Slack answers, many channels at once."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.exc import OperationalError

from bot.outbox import Sent
from storage.models import OutboxStatus
from storage.outbox_links import Links
from tests.conftest import MEMBER
from tests.harness import Bot, FrozenClock, body_json


def queue_post_and_link(bot: Bot) -> None:
    """A post under a key, already sent, and a DM that links to it (the approval DM's shape)."""
    with bot.runtime.deps.uow() as uow:
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel="CNEWS0001",
            payload={"text": "Published"},
            at=bot.clock(),
            key="post:1",
        )
        uow.commit()
    assert bot.deliver() == 1
    links = Links()
    text = f"Your post is {links.link('post:1', 'here')}"
    with bot.runtime.deps.uow() as uow:
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=MEMBER,
            payload={"text": text},
            at=bot.clock(),
            links=links,
        )
        uow.commit()


def test_a_member_can_submit_while_slack_is_slow_to_give_a_link(bot: Bot) -> None:
    """While Slack holds a permalink answer, a submission is still saved at once."""
    queue_post_and_link(bot)
    held = bot.slack.hold_next("chat.getPermalink")
    worker = threading.Thread(target=bot.runtime.delivery.drain)
    worker.start()
    try:
        assert held.arrived.wait(5)
        started = time.monotonic()
        answer = bot.share(MEMBER, view_id="VWHILESLOW")
        elapsed = time.monotonic() - started
    finally:
        held.release()
        worker.join(10)

    assert body_json(answer) == {}
    assert elapsed < 1.0
    assert [p.title for p in bot.practices()] == ["Family resource nights"]
    assert [p["text"] for p in bot.slack.posts(MEMBER)][-1].startswith("Your post is <http")


def queue(bot: Bot, channel: str, text: str) -> None:
    with bot.runtime.deps.uow() as uow:
        uow.outbox.enqueue(
            method="chat.postMessage", channel=channel, payload={"text": text}, at=bot.clock()
        )
        uow.commit()


CHANNELS = [f"UFAN{n:05d}" for n in range(10)]


def test_one_slow_channel_does_not_hold_back_the_others(bot: Bot) -> None:
    """While Slack holds the answer to one DM, the DMs to other members are delivered."""
    held = bot.slack.hold_next("chat.postMessage", channel=CHANNELS[0])
    for channel in CHANNELS:
        queue(bot, channel, f"Your digest, {channel}")
    worker = threading.Thread(target=bot.runtime.delivery.deliver_due)
    worker.start()
    try:
        assert held.arrived.wait(5)
        deadline = time.monotonic() + 5
        while len(bot.slack.posts()) < len(CHANNELS) and time.monotonic() < deadline:
            time.sleep(0.01)
        others = {p["channel"] for p in bot.slack.posts() if p["channel"] != CHANNELS[0]}
    finally:
        held.release()
        worker.join(10)

    assert others == set(CHANNELS[1:])
    assert {p["channel"] for p in bot.slack.posts()} == set(CHANNELS)


def test_side_by_side_each_channel_keeps_its_order_and_its_retry_after(
    bot: Bot, clock: FrozenClock
) -> None:
    """Three DMs each to ten members: each member's arrive in order; a 429 delays only its own."""
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=30, channel=CHANNELS[3])
    for number in range(3):
        for channel in CHANNELS:
            queue(bot, channel, f"{channel} {number}")

    delivery = bot.runtime.delivery
    for _ in range(3):
        delivery.deliver_due()
        clock.advance(seconds=1)
    assert [p["text"] for p in bot.slack.posts(CHANNELS[3])] == []
    assert all(len(bot.slack.posts(channel)) == 3 for channel in CHANNELS if channel != CHANNELS[3])

    clock.advance(seconds=26)  # 29 s after the 429
    delivery.deliver_due()
    assert bot.slack.posts(CHANNELS[3]) == []
    clock.advance(seconds=1)
    for _ in range(3):
        delivery.deliver_due()
        clock.advance(seconds=1)

    for channel in CHANNELS:
        assert [p["text"] for p in bot.slack.posts(channel)] == [f"{channel} {n}" for n in range(3)]


def test_posts_sent_side_by_side_are_not_repeated_when_recording_them_fails(
    bot: Bot, clock: FrozenClock
) -> None:
    """The database fails once Slack took a pass's posts: the next pass finds each one.

    A pass records what it sent side by side in one transaction at its end; until then the
    leases it holds are the only trace, and once they run out the next claim looks for those
    posts in Slack (each DM's channel read back) and records their `ts` instead of posting.
    """
    for channel in CHANNELS:
        queue(bot, channel, f"Your digest, {channel}")
    delivery = bot.runtime.delivery

    def database_gone(sent: list[Sent], token: str) -> None:
        raise OperationalError("UPDATE outbox_messages", {}, Exception("connection lost"))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "_record_sent", database_gone)
        with pytest.raises(OperationalError):
            delivery.deliver_due()
    assert len(bot.slack.posts()) == len(CHANNELS)

    clock.advance(minutes=3)  # the dead pass's leases run out
    assert delivery.deliver_due().delivered == len(CHANNELS)
    assert delivery.deliver_due().tried == 0

    assert sorted(p["channel"] for p in bot.slack.posts()) == sorted(CHANNELS)
    assert all(m.status is OutboxStatus.SENT and m.ts for m in bot.outbox())
