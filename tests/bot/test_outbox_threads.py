"""Outbox references between messages: thread replies and links to other posts."""

from __future__ import annotations

from storage.models import OutboxStatus
from storage.outbox_links import Links
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


def linking(bot: Bot, channel: str, before: str, to: str, label: str, **refs: str) -> None:
    """Queue `before` followed by `label` linked to the message under the key `to`."""
    links = Links()
    text = before + links.link(to, label)
    with bot.runtime.deps.uow() as uow:
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=channel,
            payload={
                "text": text,
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
            },
            at=bot.clock(),
            links=links,
            **refs,
        )
        uow.commit()


def test_links_become_permalinks_of_the_named_posts(bot: Bot) -> None:
    """A link the row records becomes the permalink of the post enqueued under its key."""
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")
    linking(bot, "CDIGEST01", "see ", "practice:1:published", "it")

    bot.deliver()

    [digest] = bot.slack.posts("CDIGEST01")
    [published] = bot.slack.posts("CPRACTICE1")
    link = f"https://ccsn-demo.slack.com/archives/CPRACTICE1/p{published['ts'].replace('.', '')}"
    assert digest["text"] == f"see <{link}|it>"
    assert digest["blocks"][0]["text"]["text"] == f"see <{link}|it>"


def test_a_link_to_a_post_that_failed_is_left_as_its_label(bot: Bot) -> None:
    """A listed post Slack refused leaves its title unlinked; the message still goes."""
    bot.slack.fail_next("chat.postMessage", error="not_in_channel")
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")
    linking(bot, "CDIGEST01", "see ", "practice:1:published", "it")

    bot.deliver()

    [digest] = bot.slack.posts("CDIGEST01")
    assert digest["text"] == "see it"


def test_a_link_to_a_post_not_yet_sent_waits_for_it(bot: Bot, clock) -> None:
    """A message linking a queued post goes out after the post, with its link filled in."""
    linking(bot, "CDIGEST01", "see ", "practice:1:published", "it")
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")

    bot.deliver()
    assert bot.slack.posts("CDIGEST01") == []
    clock.advance(seconds=2)
    bot.deliver()

    [digest] = bot.slack.posts("CDIGEST01")
    assert "archives/CPRACTICE1/p" in digest["text"]


def test_a_message_linking_itself_does_not_wait_for_itself(bot: Bot) -> None:
    """A link to the message's own key is left as its label instead of waiting forever."""
    linking(bot, "CDIGEST01", "see ", "digest:1", "this", key="digest:1")
    enqueue(bot, "CDIGEST01", "next")

    bot.deliver()

    assert [p["text"] for p in bot.slack.posts("CDIGEST01")] == ["see this", "next"]


def test_typed_link_tokens_are_delivered_as_typed(bot: Bot) -> None:
    """Text shaped like a link token, in a message with no links, reaches Slack unchanged."""
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")
    typed = "{permalink:practice:1:published} <{permalink:practice:1:published}|x> {permalink}"
    enqueue(bot, "CDIGEST01", typed)

    bot.deliver()

    [digest] = bot.slack.posts("CDIGEST01")
    assert digest["text"] == typed
    assert bot.slack.calls_to("chat.getPermalink") == []


def test_permalinks_are_fetched_once_per_post(bot: Bot) -> None:
    """Two messages linking the same post cost one `chat.getPermalink` call."""
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")
    linking(bot, "CDIGEST01", "", "practice:1:published", "one")
    linking(bot, "UMEMBER01", "", "practice:1:published", "two")

    bot.deliver()

    assert len(bot.slack.posts()) == 3
    assert len(bot.slack.calls_to("chat.getPermalink")) == 1


def test_a_permalink_slack_cannot_give_is_left_out_and_the_message_goes(bot: Bot) -> None:
    """`message_not_found` from `chat.getPermalink` leaves the label; later messages follow."""
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")
    bot.slack.fail_next("chat.getPermalink", error="message_not_found")
    linking(bot, "UMEMBER01", "see ", "practice:1:published", "it")
    enqueue(bot, "UMEMBER01", "next")

    bot.deliver()

    assert [p["text"] for p in bot.slack.posts("UMEMBER01")] == ["see it", "next"]


def test_a_permalink_slack_cannot_give_now_is_asked_again(bot: Bot, clock) -> None:
    """A rate-limited or failing `chat.getPermalink` holds the message until a link comes."""
    enqueue(bot, "CPRACTICE1", "a practice", key="practice:1:published")
    bot.slack.fail_next("chat.getPermalink", status=503)
    linking(bot, "UMEMBER01", "see ", "practice:1:published", "it")

    bot.deliver()
    assert bot.slack.posts("UMEMBER01") == []
    clock.advance(minutes=1)
    bot.deliver()

    [dm] = bot.slack.posts("UMEMBER01")
    assert "archives/CPRACTICE1/p" in dm["text"]
