"""`ccsn-bot serve` on PostgreSQL: the outbox in a process of its own, watched by the supervisor."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.processes import children
from bot.supervisor import PipeWaker, relay_wakes
from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.practices import ids
from tests.bot.test_server import BIN, free_port, serve_environment, signed_post, wait_for
from tests.conftest import MEMBER, REVIEW_CHANNEL

pytestmark = pytest.mark.reliability


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def accepting(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def served(
    slack: FakeSlack, postgres_url: str, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], str, int, Path]]:
    """`ccsn-bot serve` on PostgreSQL, healthy; its process, URL, port and log."""
    env = serve_environment(slack, postgres_url, migrate=False)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [BIN, "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: "background.ready" in log.read_text() and accepting(port), seconds=30)
        yield process, url, port, log
    finally:
        # The whole group, even when the supervisor is gone: no orphan outlives the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def background_of(serve_pid: int) -> int:
    """The supervisor's child that is not gunicorn's master (the master has workers)."""
    wait_for(lambda: len(children(serve_pid)) == 2)
    [background] = [pid for pid in children(serve_pid) if not children(pid)]
    return background


def submit(url: str, view_id: str) -> None:
    body = simulate.view_submission(
        ids.PRACTICE_MODAL, MEMBER, simulate.practice_values(), view_id=view_id
    )
    assert signed_post(url, body).status_code == 200


def delivery_waits(url: str, slack: FakeSlack, idle: list[float], prefix: str) -> list[float]:
    """Seconds from each submission to its review request, each sent after `idle` seconds.

    The outbox is idle between them, in its one-second wait. Without a wake-up a message
    waits for that poll, half a second on average, and the varied pauses keep the two out of
    step: all of five under half a second would be luck about one time in thirty.
    """
    waits = []
    for n, pause in enumerate(idle):
        time.sleep(pause)
        before = len(slack.posts(REVIEW_CHANNEL))
        started = time.monotonic()
        submit(url, f"{prefix}{n:03d}")
        wait_for(lambda before=before: len(slack.posts(REVIEW_CHANNEL)) > before)
        waits.append(time.monotonic() - started)
    return waits


def test_a_killed_outbox_process_is_restarted_and_delivers_what_was_saved_meanwhile(
    served: tuple[subprocess.Popen[str], str, int, Path], slack: FakeSlack
) -> None:
    """SIGKILL the background process: requests are still answered, and its successor delivers.

    The submission is saved while no outbox runs; the restarted one finds it queued and the
    coordinators get the review request, once.
    """
    process, url, _port, log = served
    background = background_of(process.pid)

    os.kill(background, signal.SIGKILL)
    wait_for(lambda: not alive(background))
    submit(url, "VSUPER001")

    wait_for(lambda: len(slack.posts(REVIEW_CHANNEL)) == 1, seconds=30)
    assert "background.exited status=137 restarting_in=1.0s" in log.read_text()
    assert background_of(process.pid) != background
    time.sleep(1.5)  # a second delivery, if there were one, would have gone by now
    assert len(slack.posts(REVIEW_CHANNEL)) == 1
    # The new process is woken by the commits too, through the pipe the first one used.
    assert max(delivery_waits(url, slack, [1.3, 1.6], "VSUPER9")) < 0.5


def test_a_commit_in_a_web_worker_wakes_the_outbox_process_at_once(
    served: tuple[subprocess.Popen[str], str, int, Path], slack: FakeSlack
) -> None:
    """Each review request goes out well within the outbox's one-second idle poll."""
    _process, url, _port, _log = served
    submit(url, "VSUPER002")  # the first pass after start may still be warming up
    wait_for(lambda: len(slack.posts(REVIEW_CHANNEL)) == 1)

    waits = delivery_waits(url, slack, [1.2, 1.45, 1.7, 1.3, 1.55], "VSUPER1")

    assert max(waits) < 0.5, waits


def test_sigterm_stops_the_web_and_outbox_processes_and_exits_0(
    served: tuple[subprocess.Popen[str], str, int, Path],
) -> None:
    """One SIGTERM to `serve` stops gunicorn and the background process cleanly."""
    process, _url, port, log = served
    kids = children(process.pid)

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)

    output = log.read_text()
    assert process.returncode == 0, output
    assert "background.stopped" in output
    assert "Traceback" not in output
    assert not any(alive(pid) for pid in kids)
    assert not accepting(port)


def test_a_killed_supervisor_takes_its_children_with_it(
    served: tuple[subprocess.Popen[str], str, int, Path],
) -> None:
    """No orphan keeps the port or the outbox when `serve` itself is killed."""
    process, _url, port, _log = served
    kids = children(process.pid)
    grandchildren = [pid for kid in kids for pid in children(kid)]

    process.kill()
    process.wait()

    wait_for(lambda: not any(alive(pid) for pid in [*kids, *grandchildren]), seconds=30)
    assert not accepting(port)


def test_a_full_wake_pipe_never_blocks_a_commit() -> None:
    """Wake-ups nobody has read yet are dropped, not waited on; the reader still wakes."""
    read_fd, write_fd = os.pipe()
    waker = PipeWaker(write_fd)
    woken = threading.Event()
    started = time.monotonic()

    for _ in range(200_000):  # far more than a pipe holds
        waker()
    relay = threading.Thread(target=relay_wakes, args=(read_fd, woken.set))
    relay.start()
    os.close(write_fd)
    relay.join(timeout=5)

    assert time.monotonic() - started < 5
    assert woken.is_set()
    assert not relay.is_alive(), "the relay ends once every writer has closed the pipe"
    os.close(read_fd)


def test_a_port_already_taken_ends_serve_with_an_error_and_no_process_left(
    slack: FakeSlack, postgres_url: str, tmp_path: Path
) -> None:
    """With its port taken `serve` exits non-zero, logging why, once its outbox has stopped."""
    env = serve_environment(slack, postgres_url, migrate=False)
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [BIN, "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode != 0
    assert "web.exited" in result.stderr
    assert "Traceback" not in result.stderr
