"""`ccsn-bot serve` for real: gunicorn, signed HTTP requests, outbox delivery, clean SIGTERM."""

from __future__ import annotations

import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
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
def server_log(tmp_path: Path) -> Path:
    """Where the server's output goes: a file, so a chatty server never blocks on a full pipe."""
    return tmp_path / "serve.log"


@pytest.fixture
def server(
    environment: dict[str, str], server_log: Path
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    with server_log.open("w") as log:
        process = subprocess.Popen(
            [BIN, "serve", "--port", str(port)],
            env=environment,
            stdout=log,
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


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")
def test_serve_runs_with_glibcs_per_thread_caches_off(
    server: tuple[subprocess.Popen[str], str],
) -> None:
    """The process answering is the one `serve` started again with the caches off."""
    process, _url = server

    environ = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")

    assert b"GLIBC_TUNABLES=glibc.malloc.tcache_count=0" in environ


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
    server: tuple[subprocess.Popen[str], str],
    server_log: Path,
    slack: FakeSlack,
    database_url: str,
) -> None:
    """With Slack failing, SIGTERM exits 0 and the owed messages stay queued for next time."""
    process, url = server
    slack.fail_next("chat.postMessage", times=1000, status=503)
    body = simulate.view_submission(
        ids.PRACTICE_MODAL, MEMBER, simulate.practice_values(), view_id="VSERVE002"
    )
    assert signed_post(url, body).status_code == 200

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    output = server_log.read_text()

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


class SlowClient(threading.Thread):
    """A client that sends `at_once`, then `slowly` a byte a second, until the server hangs up."""

    def __init__(self, url: str, at_once: bytes, slowly: bytes) -> None:
        super().__init__(daemon=True)
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=20)
        self.sock.sendall(at_once)
        self.slowly = slowly
        self.started = time.monotonic()
        self.cut_off_after: float | None = None

    def run(self) -> None:
        try:
            for byte in self.slowly:
                self.sock.sendall(bytes([byte]))
                time.sleep(1)
        except OSError:  # the server closed the connection
            self.cut_off_after = time.monotonic() - self.started
        finally:
            self.sock.close()


def test_slow_clients_neither_stop_the_server_nor_stay_connected(
    server: tuple[subprocess.Popen[str], str],
) -> None:
    """Twelve clients trickling a request and four silent ones: /healthz and Slack still answer.

    Each slow client is cut off within a bounded time instead of holding a thread meanwhile.
    """
    _process, url = server
    body = simulate.slash_command(ids.SHARE_COMMAND, MEMBER).encode()
    head = f"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Length: {len(body)}\r\n\r\n"
    trickling = [SlowClient(url, b"", head.encode() + body) for _ in range(6)]
    trickling += [SlowClient(url, head.encode(), body) for _ in range(6)]
    silent = [SlowClient(url, b"", b"") for _ in range(4)]
    for client in trickling:
        client.start()
    time.sleep(2)

    started = time.monotonic()
    health = httpx.get(f"{url}/healthz", timeout=5)
    signed = signed_post(url, simulate.slash_command(ids.SHARE_COMMAND, MEMBER))
    answered_in = time.monotonic() - started

    assert health.status_code == 200
    assert signed.status_code == 200
    assert answered_in < 1.5
    for client in trickling:
        client.join(timeout=20)
    assert [c.cut_off_after is not None and c.cut_off_after < 10 for c in trickling] == [True] * 12
    for client in silent:
        assert client.sock.recv(1) == b""  # closed by the server while idle
        assert time.monotonic() - client.started < 12


def signed_request_bytes(body: str) -> bytes:
    """A whole signed POST to the Slack endpoint, as bytes to send in one go."""
    headers = simulate.sign(SIGNING_SECRET, body)
    lines = [
        "POST /slack/events HTTP/1.1",
        "Host: bot",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body.encode())}",
        *(f"{name}: {value}" for name, value in headers.items()),
        "Connection: close",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def test_forty_commands_at_once_are_answered_within_slacks_3_seconds_while_slack_hangs(
    server: tuple[subprocess.Popen[str], str], slack: FakeSlack
) -> None:
    """With views.open hanging, each of 40 simultaneous commands is answered within 3 s.

    The deadline counts from the request's arrival, so time spent waiting for a free thread
    is part of it. Each client is connected beforehand and sends its request in one write, so
    the time measured is the server's.
    """
    _process, url = server
    host, port = url.removeprefix("http://").split(":")
    holds = [slack.hold_next("views.open") for _ in range(40)]
    requests = [
        signed_request_bytes(simulate.slash_command(ids.SHARE_COMMAND, MEMBER)) for _ in range(40)
    ]
    sockets = [socket.create_connection((host, int(port)), timeout=10) for _ in requests]
    ready = threading.Barrier(40)

    def command(sock: socket.socket, request: bytes) -> tuple[bytes, float]:
        ready.wait()
        started = time.monotonic()
        sock.sendall(request)
        try:
            status = sock.recv(12)
        except TimeoutError:
            status = b"timeout"
        return status, time.monotonic() - started

    try:
        with ThreadPoolExecutor(max_workers=40) as pool:
            answers = list(pool.map(command, sockets, requests))
    finally:
        for hold in holds:
            hold.release()
        for sock in sockets:
            sock.close()

    assert [status for status, _ in answers] == [b"HTTP/1.1 200"] * 40
    assert max(seconds for _, seconds in answers) < 3
