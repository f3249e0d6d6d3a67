"""Two real `ccsn-bot serve` processes on one PostgreSQL database share the work safely."""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.clock import utc_now
from core.vocabulary import REGION_OF_COUNTY
from demokit.fake_slack import FakeSlack
from storage.db import make_engine, make_session_factory
from storage.models import Event, EventStatus, OutboxStatus, Practice, PracticeStatus
from storage.uow import UnitOfWork
from tests.bot.test_server import BIN, free_port, serve_environment, wait_for
from tests.conftest import COORDINATORS

pytestmark = pytest.mark.reliability

CHANNELS = [f"CSCALE{n:03d}" for n in range(20)]
DIGEST_CHANNEL = "CDIGEST01"
EVENTS_CHANNEL = "CEVENTS01"
PER_CHANNEL = 5


def start_two(env: dict[str, str], logs: list[Path] | None = None) -> list[subprocess.Popen[str]]:
    """Two `ccsn-bot serve` processes of two gunicorn workers each, started at the same time.

    Their logs go to `logs` (one file each) when given.
    """
    processes = []
    ports = [free_port(), free_port()]
    for n, port in enumerate(ports):
        output = logs[n].open("w") if logs else subprocess.DEVNULL
        processes.append(
            subprocess.Popen(
                [BIN, "serve", "--port", str(port), "--workers", "2"],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    for port in ports:

        def healthy(port: int = port) -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(healthy, seconds=30)
    return processes


def stop(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


@pytest.fixture
def two_servers(postgres_url: str, slack: FakeSlack) -> Iterator[list[subprocess.Popen[str]]]:
    processes = start_two(serve_environment(slack, postgres_url, migrate=False))
    yield processes
    stop(processes)


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


def seed_due_work(postgres_url: str, now: datetime) -> list[str]:
    """Work that is due: a practice for the digest, an event two hours off with RSVPs.

    The RSVPs were made before the reminder fell due; returns the members who made them.
    """
    engine = make_engine(postgres_url)
    members = [f"URSVP{n:04d}" for n in range(4)]
    with UnitOfWork(make_session_factory(engine)) as uow:
        uow.practices.add(
            Practice(
                status=PracticeStatus.APPROVED,
                submitter_id="UMEMBER01",
                title="Family resource nights",
                summary="Monthly evenings where families meet the school's partners.",
                pillars=["engagement"],
                county="Fresno",
                region=REGION_OF_COUNTY["Fresno"],
                organisation="Roosevelt High School",
                funding_streams=[],
                link=None,
                credit_submitter=True,
                revision=1,
                created_at=now - timedelta(hours=3),
                submitted_at=now - timedelta(hours=3),
                decided_at=now - timedelta(hours=2),
                decided_by=COORDINATORS[0],
            )
        )
        event = uow.events.add(
            Event(
                status=EventStatus.APPROVED,
                submitter_id="UMEMBER01",
                title="Family engagement community of practice",
                event_type="community_of_practice",
                starts_at=now + timedelta(hours=2),
                ends_at=now + timedelta(hours=3),
                virtual_link="https://example.org/zoom/123",
                location=None,
                registration_link=None,
                host_organisation="Learning Policy Institute",
                region="statewide",
                description="Coordinators share how they run family resource nights.",
                revision=1,
                sequence=0,
                created_at=now - timedelta(days=3),
                submitted_at=now - timedelta(days=3),
                updated_at=now - timedelta(days=3),
                decided_at=now - timedelta(days=3),
                decided_by=COORDINATORS[0],
            )
        )
        for member in members:
            uow.rsvps.add(event.id, member, now - timedelta(days=2))
        uow.commit()
    engine.dispose()
    return members


def test_one_digest_and_one_reminder_per_rsvp_across_two_processes(
    postgres_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    """One digest, and one reminder per RSVP, however many processes find them due.

    The background processes of two `serve`s (one each, whatever their gunicorn workers) catch
    up the same due digest and find the same due reminders at start.
    """
    now = datetime.now(UTC)
    members = seed_due_work(postgres_url, now)
    # Due an hour ago, daily: inside the 24-hour grace, so every worker catches it up at start,
    # and not due again while the test runs.
    due = (now - timedelta(hours=1)).astimezone(ZoneInfo("America/Los_Angeles"))
    env = serve_environment(
        slack,
        postgres_url,
        migrate=False,
        CCSN_DIGEST_CHANNEL=DIGEST_CHANNEL,
        CCSN_DIGEST_CRON=f"{due.minute} {due.hour} * * *",
        CCSN_EVENTS_CHANNEL=EVENTS_CHANNEL,
    )
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    processes = start_two(env, logs)
    try:
        wait_for(lambda: len(slack.posts(DIGEST_CHANNEL)) >= 1, seconds=60)
        wait_for(lambda: all(slack.posts(member) for member in members), seconds=60)
    finally:
        stop(processes)

    runs = [line for log in logs for line in log.read_text().splitlines() if "digest.run" in line]
    assert len(runs) == 2, "each serve's background process should have caught the digest up"
    assert sum("posted=True" in line for line in runs) == 1
    [digest] = slack.posts(DIGEST_CHANNEL)
    assert "Family resource nights" in str(digest["blocks"])
    for member in members:
        [reminder] = slack.posts(member)
        assert reminder["text"].startswith("Reminder: *Family engagement community of practice*")
    assert len(slack.posts()) == 1 + len(members)
