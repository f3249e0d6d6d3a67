"""SIGKILL of a real `ccsn-bot serve`: nothing owed to Slack is lost; a post in flight repeats once.

The whole process group (gunicorn's master and its worker) is killed at once, as the kernel's
OOM killer or a lost machine would: no exit hook runs, no lease is given back.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.practices import ids
from storage.db import make_engine
from storage.models import OutboxMessage, OutboxStatus, Practice
from tests.bot.test_server import (
    BIN,
    count,
    free_port,
    serve_environment,
    signed_post,
    wait_for,
)
from tests.conftest import MEMBER, REVIEW_CHANNEL

pytestmark = pytest.mark.reliability

# Long enough that the bot is surely idle, waiting, when the test kills it; short enough that
# the restarted process delivers soon after.
RETRY_AFTER_SECONDS = 3


@dataclass
class Served:
    """A `ccsn-bot serve` process group and the address it answers on."""

    process: subprocess.Popen[bytes]
    url: str

    def kill(self) -> None:
        """SIGKILL gunicorn's master and workers together; nothing gets to clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def launch(slack: FakeSlack, database_url: str) -> Iterator[Callable[[], Served]]:
    """Start `ccsn-bot serve` processes on the test's database; every one is killed at the end."""
    environment = serve_environment(slack, database_url)
    started: list[Served] = []

    def start() -> Served:
        port = free_port()
        process = subprocess.Popen(
            [BIN, "serve", "--port", str(port)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so SIGKILL reaches the worker too
        )
        served = Served(process, f"http://127.0.0.1:{port}")
        started.append(served)

        def healthy() -> bool:
            try:
                return httpx.get(f"{served.url}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(healthy, seconds=30)
        return served

    yield start
    for served in started:
        served.kill()


def outbox(database_url: str) -> list[OutboxMessage]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        messages = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    engine.dispose()
    return messages


def all_sent(database_url: str, expected: int) -> Callable[[], bool]:
    def check() -> bool:
        messages = outbox(database_url)
        return len(messages) == expected and all(m.status is OutboxStatus.SENT for m in messages)

    return check


def let_leases_run_out(database_url: str) -> None:
    """Move every lease into the past: what 60 seconds of waiting would do, without the wait."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.locked_until.is_not(None))
            .values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    engine.dispose()


def submit_practice(served: Served, view_id: str) -> None:
    body = simulate.view_submission(
        ids.PRACTICE_MODAL, MEMBER, simulate.practice_values(), view_id=view_id
    )
    assert signed_post(served.url, body).status_code == 200


def test_killed_before_delivering_a_new_process_delivers_each_message_once(
    launch: Callable[[], Served], slack: FakeSlack, database_url: str
) -> None:
    """SIGKILL after a submission is saved but before Slack took its messages: each goes once.

    Slack answers 429 (Retry-After) until the bot is dead, so both messages are saved, tried,
    and waiting; a second process started afterwards posts the review request and the DM.
    """
    slack.fail_next("chat.postMessage", times=1000, status=429, retry_after=RETRY_AFTER_SECONDS)
    first = launch()
    submit_practice(first, "VKILL0001")

    def both_tried() -> bool:
        messages = outbox(database_url)
        return len(messages) == 2 and all(m.attempts >= 1 for m in messages)

    wait_for(both_tried)
    first.kill()
    assert slack.posts() == []
    assert count(database_url, Practice) == 1

    slack.faults.clear()  # Slack is back
    launch()
    wait_for(all_sent(database_url, 2), seconds=30)

    assert len(slack.posts(REVIEW_CHANNEL)) == 1
    assert len(slack.posts(MEMBER)) == 1
    assert count(database_url, Practice) == 1


def test_killed_while_a_post_is_in_flight_finds_that_post_instead_of_repeating_it(
    launch: Callable[[], Served], slack: FakeSlack, database_url: str
) -> None:
    """SIGKILL after Slack made the post but before the bot heard back: no duplicate, no loss.

    Slack holds its answer to the review request; the bot is killed while waiting for it, so
    the `ts` is never recorded. Once the dead process's lease has run out (`test_outbox.py`
    shows it is respected until then) a new process looks for the post by its metadata before
    posting again, finds it, and records its `ts`: the coordinators see the request once.
    """
    hold = slack.hold_next("chat.postMessage", channel=REVIEW_CHANNEL)
    first = launch()
    submit_practice(first, "VKILL0002")
    assert hold.arrived.wait(15), "the review request was never posted"

    first.kill()
    hold.release()  # Slack answers a connection nobody holds any more
    assert len(slack.posts(REVIEW_CHANNEL)) == 1

    let_leases_run_out(database_url)
    launch()
    wait_for(all_sent(database_url, 2), seconds=30)

    [post] = slack.posts(REVIEW_CHANNEL)
    assert len(slack.posts(MEMBER)) == 1
    [review_row] = [m for m in outbox(database_url) if m.channel == REVIEW_CHANNEL]
    assert review_row.ts == post["ts"]
    assert count(database_url, Practice) == 1
