"""The fake Web API's per-channel rate limit and call counts, which the benchmarks rely on."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from demokit.fake_slack import FakeSlack, FakeSlackServer


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def limited(ticks: Ticks) -> Iterator[FakeSlack]:
    fake = FakeSlack(channel_interval=1.0, record=False, monotonic=ticks)
    with FakeSlackServer(fake) as server:
        yield server.fake


def post(fake: FakeSlack, channel: str) -> httpx.Response:
    return httpx.post(
        f"{fake.url}chat.postMessage",
        json={"channel": channel, "text": "hello"},
        headers={"Authorization": f"Bearer {fake.bot_token}"},
    )


def test_second_post_to_a_channel_within_the_interval_is_refused_with_retry_after(
    limited: FakeSlack, ticks: Ticks
) -> None:
    """A channel posted to twice within a second answers 429 with Retry-After: 1."""
    first = post(limited, "C0000001")
    ticks.now += 0.4
    second = post(limited, "C0000001")

    assert first.json()["ok"] is True
    assert second.status_code == 429
    assert second.headers["Retry-After"] == "1"
    assert limited.counts == {"chat.postMessage": 1, "ratelimited": 1}


def test_other_channels_and_later_posts_are_not_limited(limited: FakeSlack, ticks: Ticks) -> None:
    """The limit is per channel, and a channel may post again once the interval has passed."""
    assert post(limited, "C0000001").status_code == 200
    assert post(limited, "C0000002").status_code == 200
    ticks.now += 1.0
    assert post(limited, "C0000001").status_code == 200

    assert limited.calls == []  # record=False keeps only the counts
    counts = httpx.get(limited.url.removesuffix("api/") + "_counts").json()
    assert counts == {"chat.postMessage": 3}


def test_a_held_post_exists_before_its_answer_arrives(slack: FakeSlack) -> None:
    """A held call is carried out at once (the post is recorded) but answered only on release."""
    hold = slack.hold_next("chat.postMessage", channel="C0000001")
    answers: list[httpx.Response] = []
    sender = threading.Thread(target=lambda: answers.append(post(slack, "C0000001")))
    sender.start()

    assert hold.arrived.wait(5)
    assert [p["text"] for p in slack.posts("C0000001")] == ["hello"]
    assert answers == []
    hold.release()
    sender.join(5)

    assert answers[0].json()["ok"] is True
    assert answers[0].json()["ts"] == slack.posts("C0000001")[0]["ts"]
