"""Two real `ccsn-bot serve` processes on one PostgreSQL database share the work safely."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from bot.clock import utc_now
from bot.fake_slack import FakeSlack
from storage.db import make_engine, make_session_factory
from storage.models import OutboxStatus
from storage.uow import UnitOfWork
from tests.bot.test_server import BIN, free_port, wait_for
from tests.conftest import COORDINATORS, PRACTICES_CHANNEL, REVIEW_CHANNEL, SIGNING_SECRET

pytestmark = pytest.mark.reliability

CHANNELS = [f"CSCALE{n:03d}" for n in range(20)]
PER_CHANNEL = 5


@pytest.fixture
def two_servers(postgres_url: str, slack: FakeSlack) -> Iterator[list[subprocess.Popen[str]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CCSN_"))}
    env.update(
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.url,
        DATABASE_URL=postgres_url,
        CCSN_COORDINATORS=",".join(COORDINATORS),
        CCSN_COORDINATOR_CHANNEL=REVIEW_CHANNEL,
        CCSN_PRACTICES_CHANNEL=PRACTICES_CHANNEL,
    )
    processes = []
    for _ in range(2):
        port = free_port()
        process = subprocess.Popen(
            [BIN, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        processes.append(process)

        def healthy(port: int = port) -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(healthy)
    yield processes
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def test_outbox_rows_are_delivered_once_each_in_order(
    two_servers: list[subprocess.Popen[str]], postgres_url: str, slack: FakeSlack
) -> None:
    """Four workers in two processes drain 100 messages: each posted once, in channel order."""
    engine = make_engine(postgres_url)
    sessions = make_session_factory(engine)
    with UnitOfWork(sessions) as uow:
        for n in range(PER_CHANNEL):
            for channel in CHANNELS:
                uow.outbox.enqueue(
                    method="chat.postMessage",
                    channel=channel,
                    payload={"text": f"{channel} #{n}"},
                    at=utc_now(),
                )
        uow.commit()

    def all_sent() -> bool:
        with UnitOfWork(sessions) as uow:
            return not uow.outbox.list(OutboxStatus.PENDING)

    wait_for(all_sent, seconds=60)
    engine.dispose()

    texts = [post["text"] for post in slack.posts()]
    assert len(texts) == len(CHANNELS) * PER_CHANNEL
    assert Counter(texts).most_common(1)[0][1] == 1
    for channel in CHANNELS:
        assert [p["text"] for p in slack.posts(channel)] == [
            f"{channel} #{n}" for n in range(PER_CHANNEL)
        ]
