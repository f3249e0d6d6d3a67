"""Outbox references used by the digest: thread replies and links to other posts."""

from __future__ import annotations

from bot.outbox import LINK_TOKEN
from storage.models import OutboxStatus
from tests.harness import Bot


def enqueue(bot: Bot, channel: str, text: str, **refs: str) -> None:
    with bot.runtime.deps.uow() as uow:
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=channel,
            payload={
                "text": text,
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
            },
            at=bot.clock(),
            **refs,
        )
        uow.commit()


def test_replies_are_posted_in_the_parent_thread(bot: Bot) -> None:
    """A reply carries the parent's `ts` as `thread_ts`; the parent has none."""
    enqueue(bot, "CDIGEST01", "part 1", key="digest:1")
    enqueue(bot, "CDIGEST01", "part 2", thread_of="digest:1")
    enqueue(bot, "CDIGEST01", "part 3", thread_of="digest:1")

    bot.deliver()

    parent, *replies = bot.slack.posts("CDIGEST01")
    assert [p["text"] for p in (parent, *replies)] == ["part 1", "part 2", "part 3"]
    assert "thread_ts" not in parent
    assert [r["thread_ts"] for r in replies] == [parent["ts"], parent["ts"]]


def test_replies_wait_while_slack_is_down_then_follow_the_parent(bot: Bot, clock) -> None:
    """An outage delays the parent; the replies neither go first nor get lost."""
    bot.slack.fail_next("chat.postMessage", times=3, status=503)
    enqueue(bot, "CDIGEST01", "part 1", key="digest:1")
    enqueue(bot, "CDIGEST01", "part 2", thread_of="digest:1")

    for _ in range(10):
        bot.deliver()
        clock.advance(minutes=1)

    parent, reply = bot.slack.posts("CDIGEST01")
    assert reply["thread_ts"] == parent["ts"]


def test_replies_fail_with_a_parent_slack_refused(bot: Bot) -> None:
    """If the first message can never be sent, its replies are marked failed with the reason."""
    bot.slack.fail_next("chat.postMessage", error="channel_not_found")
    enqueue(bot, "CGONE0001", "part 1", key="digest:1")
    enqueue(bot, "CGONE0001", "part 2", thread_of="digest:1")

    bot.deliver()

    parent, reply = [m for m in bot.outbox() if m.channel == "CGONE0001"]
    assert parent.status is OutboxStatus.FAILED
    assert reply.status is OutboxStatus.FAILED
    assert reply.last_error == "the thread's first message (digest:1) was not sent"


def test_link_tokens_become_permalinks_of_the_named_posts(bot: Bot) -> None:
    """`{permalink:KEY}` is replaced by the link to the post enqueued under KEY, everywhere."""
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")
    enqueue(bot, "CDIGEST01", "see <{permalink:practice:1:published}|it>")

    bot.deliver()

    [digest] = bot.slack.posts("CDIGEST01")
    [published] = bot.slack.posts("CPRACTICE1")
    link = f"archives/CPRACTICE1/p{published['ts'].replace('.', '')}"
    assert link in digest["text"] and link in digest["blocks"][0]["text"]["text"]
    assert not LINK_TOKEN.search(str(digest))


def test_a_link_to_a_post_that_failed_points_at_its_channel(bot: Bot) -> None:
    """A listed post Slack refused still leaves a working link: to the channel it was meant for."""
    bot.slack.fail_next("chat.postMessage", error="not_in_channel")
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")
    enqueue(bot, "CDIGEST01", "see <{permalink:practice:1:published}|it>")

    bot.deliver()

    [digest] = bot.slack.posts("CDIGEST01")
    assert digest["text"] == "see <https://slack.com/app_redirect?channel=CPRACTICE1|it>"


def test_a_link_to_a_post_not_yet_sent_waits_for_it(bot: Bot, clock) -> None:
    """A message linking a queued post goes out after the post, with its link filled in."""
    enqueue(bot, "CDIGEST01", "see <{permalink:practice:1:published}|it>")
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")

    bot.deliver()
    assert bot.slack.posts("CDIGEST01") == []
    clock.advance(seconds=2)
    bot.deliver()

    [digest] = bot.slack.posts("CDIGEST01")
    assert "archives/CPRACTICE1/p" in digest["text"]


def test_permalinks_are_fetched_once_per_post(bot: Bot) -> None:
    """Two messages linking the same post cost one `chat.getPermalink` call."""
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")
    enqueue(bot, "CDIGEST01", "<{permalink:practice:1:published}|one>")
    enqueue(bot, "UMEMBER01", "<{permalink:practice:1:published}|two>")

    bot.deliver()

    assert len(bot.slack.posts()) == 3
    assert len(bot.slack.calls_to("chat.getPermalink")) == 1
