"""The outbox beside members: no lock held while Slack answers, many channels at once."""

from __future__ import annotations

import threading
import time

from storage.outbox_links import Links
from tests.conftest import MEMBER
from tests.harness import Bot, body_json


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
