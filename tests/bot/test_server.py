"""`ccsn-bot serve` for real: gunicorn, signed HTTP requests, outbox delivery, clean SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.practices import ids
from storage.db import make_engine
from storage.models import OutboxMessage, OutboxStatus, Practice
from tests.conftest import COORDINATORS, MEMBER, PRACTICES_CHANNEL, REVIEW_CHANNEL, SIGNING_SECRET

pytestmark = pytest.mark.reliability

BIN = Path(sys.executable).parent / "ccsn-bot"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def serve_environment(
    slack: FakeSlack, database_url: str, *, migrate: bool = True, **extra: str
) -> dict[str, str]:
    """The environment of `ccsn-bot serve` talking to `slack`, with `extra` settings.

    The database is migrated first (as a deployment does before starting the bot) unless its
    tables were made another way.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CCSN_"))}
    env.update(
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.url,
        DATABASE_URL=database_url,
        CCSN_COORDINATORS=",".join(COORDINATORS),
        CCSN_COORDINATOR_CHANNEL=REVIEW_CHANNEL,
        CCSN_PRACTICES_CHANNEL=PRACTICES_CHANNEL,
    )
    env.update(extra)
    if migrate:
        subprocess.run([BIN, "db", "upgrade"], env=env, check=True, capture_output=True)
    return env


@pytest.fixture
def environment(slack: FakeSlack, database_url: str) -> dict[str, str]:
    return serve_environment(slack, database_url)


@pytest.fixture
def server(environment: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    process = subprocess.Popen(
        [BIN, "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def signed_post(url: str, body: str) -> httpx.Response:
    headers = {
        **simulate.sign(SIGNING_SECRET, body),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return httpx.post(f"{url}/slack/events", content=body, headers=headers, timeout=10)


def count(database_url: str, model: type, *where: object) -> int:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        value = connection.execute(select(func.count()).select_from(model).where(*where)).scalar()
    engine.dispose()
    return int(value or 0)


def test_serve_answers_slack_and_delivers_through_the_outbox(
    server: tuple[subprocess.Popen[str], str], slack: FakeSlack, database_url: str
) -> None:
    """Over real HTTP on gunicorn, a practice is saved and the background outbox posts it.

    The command opens the modal, the submission is saved, and the review request reaches the
    coordinators' channel without the test draining anything.
    """
    _process, url = server

    assert signed_post(url, simulate.slash_command(ids.SHARE_COMMAND, MEMBER)).status_code == 200
    assert [c.method for c in slack.calls_to("views.open")] == ["views.open"]
    body = simulate.view_submission(
        ids.PRACTICE_MODAL, MEMBER, simulate.practice_values(), view_id="VSERVE001"
    )
    assert signed_post(url, body).status_code == 200

    wait_for(lambda: len(slack.posts(REVIEW_CHANNEL)) == 1)
    assert count(database_url, Practice) == 1


def test_sigterm_stops_cleanly_and_keeps_undelivered_messages(
    server: tuple[subprocess.Popen[str], str], slack: FakeSlack, database_url: str
) -> None:
    """With Slack failing, SIGTERM exits 0 and the owed messages stay queued for next time."""
    process, url = server
    slack.fail_next("chat.postMessage", times=1000, status=503)
    body = simulate.view_submission(
        ids.PRACTICE_MODAL, MEMBER, simulate.practice_values(), view_id="VSERVE002"
    )
    assert signed_post(url, body).status_code == 200

    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)

    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert count(database_url, OutboxMessage, OutboxMessage.status == OutboxStatus.PENDING) == 2


def test_serve_without_settings_names_the_missing_variable() -> None:
    """No Slack settings: serve refuses in one line that names what to set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CCSN_"))}

    result = subprocess.run([BIN, "serve"], env=env, capture_output=True, text=True, timeout=30)

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "ccsn-bot: SLACK_BOT_TOKEN is not set; see .env.example"
    ]


def test_serve_publishes_the_calendar_feed(server: tuple[subprocess.Popen[str], str]) -> None:
    """Each gunicorn worker serves /calendar.ics (empty until events are approved) and 404s."""
    _process, url = server

    feed = httpx.get(f"{url}/calendar.ics", timeout=10)

    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.text.startswith("BEGIN:VCALENDAR\r\n")
    assert httpx.get(f"{url}/events/1.ics", timeout=10).status_code == 404
