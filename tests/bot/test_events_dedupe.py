"""Events API retries and repeated event ids are handled once."""

from __future__ import annotations

import pytest
from slack_bolt import BoltRequest

from demokit import simulate
from tests.conftest import MEMBER, SIGNING_SECRET
from tests.harness import Bot

pytestmark = pytest.mark.reliability


def deliver_event(bot: Bot, event_id: str, retry: int | None = None) -> int:
    body = simulate.event_callback(
        {"type": "app_mention", "user": MEMBER, "text": "hi", "channel": "C0GENERAL"}, event_id
    )
    headers = {**simulate.sign(SIGNING_SECRET, body), "Content-Type": "application/json"}
    if retry is not None:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return bot.runtime.app.dispatch(BoltRequest(body=body, headers=headers)).status


def test_a_retried_event_runs_its_listener_once(bot: Bot) -> None:
    """The original and two retries of one event all get 200; the listener runs once."""
    seen: list[str] = []
    bot.runtime.app.event("app_mention")(lambda event: seen.append(event["text"]))

    statuses = [deliver_event(bot, "Ev0001"), *(deliver_event(bot, "Ev0001", n) for n in (1, 2))]

    assert statuses == [200, 200, 200]
    assert seen == ["hi"]


def test_different_events_each_run(bot: Bot) -> None:
    """Deduplication is by event id, not by content."""
    seen: list[str] = []
    bot.runtime.app.event("app_mention")(lambda event: seen.append(event["text"]))

    deliver_event(bot, "Ev0001")
    deliver_event(bot, "Ev0002")

    assert seen == ["hi", "hi"]
