"""Outbox delivery: retries on 429/5xx/connection errors, permanent failures, order, restarts."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import timedelta
from typing import cast

import pytest

from bot.app import build_runtime
from bot.outbox import OutboxDelivery, OutboxWorker, Pass
from bot.slack_client import make_client
from core.config import Settings
from storage.db import make_engine, make_session_factory
from storage.models import OutboxStatus
from storage.repositories.outbox import NewMessage
from storage.uow import UnitOfWork
from tests.conftest import COORDINATORS, MEMBER, REVIEW_CHANNEL, SIGNING_SECRET, make_settings
from tests.harness import Bot, FrozenClock

pytestmark = pytest.mark.reliability


def post(bot: Bot, channel: str, text: str, key: str | None = None) -> None:
    with bot.runtime.deps.uow() as uow:
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=channel,
            payload={"text": text},
            at=bot.clock(),
            key=key,
        )
        uow.commit()


def texts(bot: Bot, channel: str) -> list[str]:
    return [p["text"] for p in bot.slack.posts(channel)]


def test_rate_limited_message_waits_for_retry_after(bot: Bot, clock: FrozenClock) -> None:
    """A 429 with Retry-After: 30 is retried no sooner than 30 seconds later, then delivered."""
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=30)
    post(bot, "CNEWS0001", "hello")

    assert bot.deliver() == 0
    clock.advance(seconds=29)
    assert bot.deliver() == 0
    clock.advance(seconds=1)
    assert bot.deliver() == 1
    assert texts(bot, "CNEWS0001") == ["hello"]
    [message] = bot.outbox()
    assert message.status is OutboxStatus.SENT
    assert message.attempts == 2


def test_server_errors_back_off_then_deliver_once(bot: Bot, clock: FrozenClock) -> None:
    """A burst of 503s and 500s delays the message with growing back-off; one post results."""
    bot.slack.fail_next("chat.postMessage", times=3, status=503)
    bot.slack.fail_next("chat.postMessage", status=500)
    post(bot, "CNEWS0001", "hello")

    delays = []
    while not bot.slack.posts():
        assert bot.deliver() == 0
        [message] = bot.outbox()
        delays.append(message.next_attempt_at - clock())
        clock.now = message.next_attempt_at
        bot.deliver()

    assert texts(bot, "CNEWS0001") == ["hello"]
    assert delays == sorted(delays)
    assert delays[0] >= timedelta(seconds=1)


def test_ok_false_transient_errors_are_retried(bot: Bot, clock: FrozenClock) -> None:
    """`ok: false` with `internal_error` is retried, not dropped."""
    bot.slack.fail_next("chat.postMessage", error="internal_error")
    post(bot, "CNEWS0001", "hello")

    bot.deliver()
    clock.advance(minutes=1)
    bot.deliver()

    assert texts(bot, "CNEWS0001") == ["hello"]


def test_refused_for_good_is_marked_failed_with_the_reason(bot: Bot, clock: FrozenClock) -> None:
    """`channel_not_found` fails the message (kept, with the reason) and later ones still go."""
    bot.slack.fail_next("chat.postMessage", error="channel_not_found")
    post(bot, "CGONE0001", "lost channel")
    post(bot, "CGONE0001", "next one")

    bot.deliver()

    first, second = bot.outbox()[:2]
    assert first.status is OutboxStatus.FAILED
    assert first.last_error == "channel_not_found"
    assert second.status is OutboxStatus.SENT


def test_coordinators_are_told_once_about_a_failing_channel(bot: Bot) -> None:
    """Each coordinator gets one DM naming the channel and error, however many messages fail."""
    bot.slack.fail_next("chat.postMessage", times=3, error="not_in_channel", channel="CLOCKED01")
    for n in range(3):
        post(bot, "CLOCKED01", f"message {n}")

    bot.deliver()

    for coordinator in COORDINATORS:
        [notice] = bot.slack.posts(coordinator)
        assert "<#CLOCKED01>" in notice["text"]
        assert "`not_in_channel`" in notice["text"]
        assert "ccsn-bot outbox retry" in notice["text"]
    failed = [m for m in bot.outbox() if m.status is OutboxStatus.FAILED]
    assert len(failed) == 3


def test_posts_to_one_channel_are_paced_about_a_second_apart(bot: Bot, clock: FrozenClock) -> None:
    """Several posts to one channel go out one per second; another channel is not held up."""
    for n in range(3):
        post(bot, "CBUSY0001", f"message {n}")
    post(bot, "CQUIET001", "elsewhere")
    start = clock()

    assert bot.runtime.delivery.drain() == 2
    assert texts(bot, "CQUIET001") == ["elsewhere"]
    bot.deliver()

    sent = [m for m in bot.outbox() if m.channel == "CBUSY0001"]
    gaps = [(b.sent_at - a.sent_at).total_seconds() for a, b in itertools.pairwise(sent)]
    assert gaps == [1.0, 1.0]
    assert sent[0].sent_at == start


def test_messages_reach_each_channel_in_order(bot: Bot, clock: FrozenClock) -> None:
    """While a channel's first message waits out a 429, its later messages wait behind it."""
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=5)
    for n in range(3):
        post(bot, "CORDER001", f"message {n}")
    post(bot, "COTHER001", "elsewhere")

    bot.deliver()
    assert texts(bot, "CORDER001") == []
    assert texts(bot, "COTHER001") == ["elsewhere"]
    clock.advance(seconds=5)
    bot.deliver()

    assert texts(bot, "CORDER001") == ["message 0", "message 1", "message 2"]


def test_a_channel_behind_a_long_backlog_is_not_held_up_by_it(bot: Bot, clock: FrozenClock) -> None:
    """Hundreds of posts waiting on one channel's pace do not hide another channel's message.

    The claim reads pending messages a few hundred at a time; the quiet channel's message comes
    after more than two such reads of the busy channel's backlog.
    """
    with bot.runtime.deps.uow() as uow:
        backlog = [
            NewMessage("chat.postMessage", "CBACKLOG1", {"text": f"backlog {n}"})
            for n in range(450)
        ]
        uow.outbox.enqueue_all(backlog, clock())
        uow.commit()
    post(bot, "CLATE0001", "late")

    bot.runtime.delivery.drain()
    assert texts(bot, "CLATE0001") == ["late"]
    assert texts(bot, "CBACKLOG1") == ["backlog 0"]
    clock.advance(seconds=1)
    bot.runtime.delivery.drain()

    assert texts(bot, "CBACKLOG1") == ["backlog 0", "backlog 1"]


def test_a_message_behind_hundreds_of_waiting_channels_is_found(
    bot: Bot, clock: FrozenClock
) -> None:
    """Past the channels a claim leaves out in the database, it skips the rest itself.

    700 channels each hold one message not due for a minute; the one due message comes after
    all of them.
    """
    with bot.runtime.deps.uow() as uow:
        waiting = [
            NewMessage("chat.postMessage", f"CWAIT{n:04d}", {"text": "later"}) for n in range(700)
        ]
        uow.outbox.enqueue_all(waiting, clock() + timedelta(minutes=1))
        uow.commit()
    post(bot, "CLATE0001", "late")

    assert bot.runtime.delivery.drain() == 1

    assert texts(bot, "CLATE0001") == ["late"]


def test_connection_refused_is_retried_when_slack_is_back(
    bot: Bot, settings: Settings, clock: FrozenClock
) -> None:
    """With Slack unreachable nothing is lost; a later pass against Slack delivers it."""
    post(bot, "CNEWS0001", "hello")
    down = settings.model_copy(update={"slack_api_url": "http://127.0.0.1:9/api/"})
    engine = make_engine(settings.database_url)
    unreachable = OutboxDelivery(
        lambda: UnitOfWork(make_session_factory(engine)),
        make_client(down, for_outbox=True),
        clock,
    )

    assert unreachable.deliver_due().delivered == 0
    [message] = bot.outbox()
    assert message.status is OutboxStatus.PENDING
    assert message.last_error is not None and message.last_error.startswith("connection")
    assert not message.maybe_sent  # refused: surely not posted, so no lookup before the retry
    clock.advance(minutes=1)
    assert bot.deliver() == 1
    assert texts(bot, "CNEWS0001") == ["hello"]
    engine.dispose()


def test_a_dropped_connection_mid_request_is_retried(bot: Bot, clock: FrozenClock) -> None:
    """Slack hanging up without an answer counts as a connection error, not a success."""
    bot.slack.fail_next("chat.postMessage", drop=True)
    post(bot, "CNEWS0001", "hello")

    bot.deliver()
    clock.advance(minutes=1)
    bot.deliver()

    assert texts(bot, "CNEWS0001") == ["hello"]


def test_update_waits_for_the_message_it_edits(bot: Bot, clock: FrozenClock) -> None:
    """A chat.update is not sent before the original post has a ts, and then edits that ts."""
    bot.slack.fail_next("chat.postMessage", status=503)
    post(bot, "CNEWS0001", "original", key="greeting")
    with bot.runtime.deps.uow() as uow:
        uow.outbox.enqueue(
            method="chat.update",
            channel="CNEWS0001",
            payload={"text": "edited"},
            at=clock(),
            update_of="greeting",
        )
        uow.commit()

    bot.deliver()
    assert bot.slack.calls_to("chat.update") == []
    clock.advance(minutes=1)
    bot.deliver()

    [update] = bot.slack.calls_to("chat.update")
    assert update.params["ts"] == bot.slack.posts("CNEWS0001")[0]["ts"]


def test_messages_queued_before_a_restart_are_delivered_after_it(
    slack, schema: str, clock: FrozenClock
) -> None:
    """A bot stopped with undelivered messages delivers them when a new process starts."""
    settings = make_settings(slack, schema)
    first = build_runtime(settings, clock=clock)
    bot = Bot(runtime=first, slack=slack, clock=clock, secret=SIGNING_SECRET)
    slack.fail_next("chat.postMessage", times=10, status=503)
    assert bot.share(MEMBER).status == 200
    bot.deliver()
    first.close()
    assert slack.posts() == []

    slack.faults.clear()
    clock.advance(hours=1)
    second = build_runtime(settings, clock=clock)
    second.delivery.drain()
    second.close()

    assert len(slack.posts(REVIEW_CHANNEL)) == 1
    assert len(slack.posts(MEMBER)) == 1


def crash_after_posting(bot: Bot, clock: FrozenClock, channel: str, text: str) -> None:
    """A process claims a post, Slack takes it, and the process dies before recording it."""
    post(bot, channel, text)
    with bot.runtime.deps.uow() as uow:
        [claimed] = uow.outbox.claim_due(clock(), timedelta(seconds=60), 10, "dead-process")
        uow.commit()
    payload = {**claimed.payload, "channel": claimed.channel}
    assert bot.runtime.delivery._send(claimed, payload).ts  # nothing marked the row first
    # ...the process dies here, before mark_sent.


def test_a_post_sent_just_before_a_crash_is_found_not_posted_again(
    bot: Bot, clock: FrozenClock
) -> None:
    """The lease the dead process left behind tells the next claim its post may be in Slack."""
    crash_after_posting(bot, clock, "CNEWS0001", "hello")

    assert bot.deliver() == 0  # still leased by the dead process
    clock.advance(seconds=61)
    assert bot.deliver() == 1
    clock.advance(hours=1)
    assert bot.deliver() == 0

    [posted] = bot.slack.posts("CNEWS0001")
    [message] = bot.outbox()
    assert message.status is OutboxStatus.SENT and message.ts == posted["ts"]
    assert texts(bot, "CNEWS0001") == ["hello"]


def test_a_crash_after_posting_repeats_the_post_at_most_once_when_the_channel_cannot_be_read(
    bot: Bot, clock: FrozenClock
) -> None:
    """Without a history scope the lookup is refused: that single duplicate is the known cost."""
    crash_after_posting(bot, clock, "CNEWS0001", "hello")
    bot.slack.fail_next("conversations.history", error="missing_scope")

    clock.advance(seconds=61)
    assert bot.deliver() == 1
    clock.advance(hours=1)
    assert bot.deliver() == 0

    assert texts(bot, "CNEWS0001") == ["hello", "hello"]


def test_a_lease_given_back_unsent_is_not_looked_for_in_slack(bot: Bot, clock: FrozenClock) -> None:
    """A pass stopped before a post gives its lease back: the next attempt just posts it."""
    post(bot, "CNEWS0001", "hello")
    with bot.runtime.deps.uow() as uow:
        [claimed] = uow.outbox.claim_due(clock(), timedelta(seconds=60), 10, "stopping")
        uow.outbox.release([claimed.id], "stopping")
        uow.commit()

    assert bot.deliver() == 1
    assert texts(bot, "CNEWS0001") == ["hello"]
    assert bot.slack.calls_to("conversations.history") == []


def test_a_worker_slowed_past_its_lease_does_not_send_what_another_took(
    bot: Bot, clock: FrozenClock
) -> None:
    """Worker A's lease runs out mid-pass; B takes and sends the messages; A then skips them."""
    for n in range(3):
        post(bot, f"CLEASE{n:03d}", f"message {n}")
    with bot.runtime.deps.uow() as uow:
        slow_pass = uow.outbox.claim_due(clock(), timedelta(seconds=60), 10, "worker-a")
        uow.commit()

    clock.advance(seconds=61)
    assert bot.deliver() == 3  # worker B, after A's lease expired
    sent_by_a = [bot.runtime.delivery._deliver(message, "worker-a") for message in slow_pass]

    assert sent_by_a == [0, 0, 0]
    assert sorted(p["text"] for p in bot.slack.posts()) == [f"message {n}" for n in range(3)]


def impatient(bot: Bot, settings: Settings, clock: FrozenClock) -> OutboxDelivery:
    """A delivery whose client gives up after half a second, so a test can outwait it."""
    client = make_client(settings, for_outbox=True)
    client.timeout = 0.5
    return OutboxDelivery(bot.runtime.deps.uow, client, clock)


@pytest.mark.parametrize("channel", ["CNEWS0001", MEMBER])
def test_a_post_slack_answers_too_late_is_found_not_posted_again(
    bot: Bot, settings: Settings, clock: FrozenClock, channel: str
) -> None:
    """Slack takes a post but answers after the timeout: the retry finds it by its metadata."""
    held = bot.slack.hold_next("chat.postMessage")
    post(bot, channel, "hello")
    delivery = impatient(bot, settings, clock)

    assert delivery.deliver_due().delivered == 0  # timed out; Slack has the post all the same
    held.release()
    clock.advance(minutes=1)
    assert delivery.deliver_due().delivered == 1

    [posted] = bot.slack.posts(channel)
    [message] = bot.outbox()
    assert message.status is OutboxStatus.SENT and message.ts == posted["ts"]
    assert texts(bot, channel) == ["hello"]


def test_a_reply_slack_answers_too_late_is_found_in_its_thread(
    bot: Bot, settings: Settings, clock: FrozenClock
) -> None:
    """A thread reply whose answer timed out is looked for among the thread's replies."""
    post(bot, "CNEWS0001", "part 1", key="digest:1")
    assert bot.deliver() == 1
    with bot.runtime.deps.uow() as uow:
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel="CNEWS0001",
            payload={"text": "part 2"},
            at=clock(),
            thread_of="digest:1",
        )
        uow.commit()
    held = bot.slack.hold_next("chat.postMessage")
    delivery = impatient(bot, settings, clock)
    clock.advance(seconds=2)

    assert delivery.deliver_due().delivered == 0
    held.release()
    clock.advance(minutes=1)
    assert delivery.deliver_due().delivered == 1
    assert texts(bot, "CNEWS0001") == ["part 1", "part 2"]


def test_a_late_answer_is_posted_again_once_when_the_channel_cannot_be_read(
    bot: Bot, settings: Settings, clock: FrozenClock
) -> None:
    """Without a history scope the lookup is refused: one repeat, the promised at-most-one."""
    held = bot.slack.hold_next("chat.postMessage")
    bot.slack.fail_next("conversations.history", error="missing_scope")
    post(bot, "CNEWS0001", "hello")
    delivery = impatient(bot, settings, clock)

    delivery.deliver_due()
    held.release()
    clock.advance(minutes=1)
    assert delivery.deliver_due().delivered == 1
    clock.advance(hours=1)
    delivery.deliver_due()

    assert texts(bot, "CNEWS0001") == ["hello", "hello"]


def test_the_outbox_waits_longer_for_slack_than_slack_has_been_seen_to_take(
    settings: Settings,
) -> None:
    """Slack has answered accepted posts after 11 s; the outbox client waits well past that."""
    assert make_client(settings, for_outbox=True).timeout >= 20


class _CountingDelivery:
    """Stands in for `OutboxDelivery`: counts passes and says each claimed `tried` messages."""

    batch = 16

    def __init__(self, tried: list[int]) -> None:
        self._tried = tried
        self.passes = 0
        self.finished = threading.Event()

    def deliver_due(self, stop: threading.Event | None = None) -> Pass:
        tried = self._tried[self.passes] if self.passes < len(self._tried) else 0
        self.passes += 1
        if self.passes >= len(self._tried):
            self.finished.set()
        return Pass(tried=tried, delivered=tried)

    def close(self) -> None:
        pass


def test_a_burst_of_commits_is_delivered_in_a_few_passes_not_one_per_commit() -> None:
    """Each commit wakes the worker, but passes start at most every `gap` apart.

    Listeners writing hundreds of rows a second do not each pay for a claim query run in
    their process.
    """
    delivery = _CountingDelivery(tried=[1] * 1000)  # always a little to send
    worker = OutboxWorker(cast(OutboxDelivery, delivery), gap_seconds=0.1)
    worker.start()
    try:
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            worker.wake()  # a commit
            time.sleep(0.001)
    finally:
        worker.stop()
    assert 2 <= delivery.passes <= 8  # about 0.5 s / 0.1 s, not ~500


def test_full_passes_follow_each_other_at_once() -> None:
    """A pass that claimed a whole batch is followed without the gap: a fan-out is not slowed."""
    delivery = _CountingDelivery(tried=[16] * 40)
    worker = OutboxWorker(cast(OutboxDelivery, delivery), gap_seconds=0.5)
    started = time.monotonic()
    worker.start()
    try:
        assert delivery.finished.wait(5)
    finally:
        worker.stop()
    assert time.monotonic() - started < 2  # 40 passes with the gap would take 20 s
