"""Logs of a full run contain no tokens, no signing secret and no request bodies."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from slack_bolt import BoltRequest

from bot.logs import configure_logging
from demokit import simulate
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from tests.conftest import COORDINATORS, MEMBER, REVIEW_CHANNEL, SIGNING_SECRET
from tests.harness import Bot

pytestmark = pytest.mark.reliability


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """The production logging set-up at DEBUG, writing to a buffer the test reads."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    buffer = io.StringIO()
    configure_logging(logging.DEBUG, buffer)
    yield buffer
    root.handlers[:], level = saved
    root.setLevel(level)


def test_a_full_run_logs_no_secrets_or_member_text(bot: Bot, log_output: io.StringIO) -> None:
    """Share, a forged request, a refusal, an approval and delivery, at DEBUG: nothing leaks."""
    bot.send(simulate.slash_command(practice_ids.SHARE_COMMAND, MEMBER))
    secret_title = "Confidential pilot at Lincoln Elementary"
    bot.share(MEMBER, title=secret_title, summary="Private details about a student support plan.")
    forged = simulate.slash_command(practice_ids.SHARE_COMMAND, MEMBER, text="forged body text")
    bot.runtime.app.dispatch(
        BoltRequest(body=forged, headers={**simulate.sign("wrong", forged), "Content-Type": "x"})
    )
    bot.slack.fail_next("chat.postMessage", error="not_in_channel", channel=REVIEW_CHANNEL)
    bot.deliver()
    # The review post was refused, so no button exists to press: send what it would carry.
    bot.click(review_ids.APPROVE_ACTION, "practice:1@1", COORDINATORS[0], REVIEW_CHANNEL)
    bot.deliver()
    logging.getLogger("slack_sdk").debug("token xoxb-fake and xapp-1-ABC in a debug line")
    logging.getLogger("bot.test").warning("oops: token was xoxb-fake-123")

    logs = log_output.getvalue()

    assert "outbox.failed" in logs  # the run did log
    for leaked in (
        bot.slack.bot_token,
        SIGNING_SECRET,
        secret_title,
        "Private details",
        "forged body text",
        "payload=",
        "xapp-1-ABC",
    ):
        assert leaked not in logs
    assert "[redacted]" in logs
