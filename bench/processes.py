"""The processes a benchmark talks to: the fake Slack, `ccsn-bot serve` and the bare app.

Each runs in its own process with its output in a log file under the run's work directory
(never a pipe nobody reads, which would stall a chatty server), and its working directory
there too, so a developer's `.env` never leaks into a measurement.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CCSN_BOT = Path(sys.executable).parent / "ccsn-bot"
SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-fake"
COORDINATORS = ("UCOORD001", "UCOORD002")
REVIEW_CHANNEL = "CREVIEW01"
PRACTICES_CHANNEL = "CPRACTICE1"


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bot_environment(slack_url: str, database_url: str) -> dict[str, str]:
    """The environment a serving bot (or the baseline) needs, and nothing of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CCSN_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_url,
        DATABASE_URL=database_url,
        CCSN_COORDINATORS=",".join(COORDINATORS),
        CCSN_COORDINATOR_CHANNEL=REVIEW_CHANNEL,
        CCSN_PRACTICES_CHANNEL=PRACTICES_CHANNEL,
    )
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class FakeSlackProcess:
    """A fake Slack Web API running in `bench.fake_slack_server`."""

    url: str

    def counts(self) -> dict[str, int]:
        """Calls answered so far, per method (and `ratelimited` for 429s)."""
        root = self.url.removesuffix("api/")
        return dict(httpx.get(f"{root}_counts", timeout=5).json())


@contextmanager
def fake_slack(workdir: Path, channel_interval: float | None = None) -> Iterator[FakeSlackProcess]:
    """Start a fake Slack in its own process for the duration of the block."""
    command = [sys.executable, "-m", "bench.fake_slack_server"]
    if channel_interval is not None:
        command += ["--channel-interval", str(channel_interval)]
    with (workdir / "fake_slack.log").open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().decode().strip()
        if not url.startswith("http"):
            raise RuntimeError(f"fake Slack did not start; see {workdir / 'fake_slack.log'}")
        yield FakeSlackProcess(url=url)
    finally:
        _stop(process)


@dataclass
class Server:
    """A serving process (the bot or the bare app) and how long it took to become healthy."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    seconds_to_healthy: float

    def rss_bytes(self) -> int:
        """Resident memory of the process and its children (gunicorn's master and workers)."""
        return sum(_rss(pid) for pid in [self.process.pid, *_children(self.process.pid)])


@contextmanager
def serve(name: str, command: list[str], env: dict[str, str], workdir: Path) -> Iterator[Server]:
    """Start a server on a free port and wait for `GET /healthz` to answer 200.

    The time from starting the process to the first healthy answer is kept on the `Server`.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (workdir / f"{name}.log").open("ab") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=workdir, env=env, stdout=log, stderr=log
        )
    try:
        seconds = _wait_healthy(process, url, started, workdir / f"{name}.log")
        yield Server(name=name, process=process, url=url, seconds_to_healthy=seconds)
    finally:
        _stop(process)


def _wait_healthy(
    process: subprocess.Popen[bytes], url: str, started: float, log: Path, timeout: float = 60
) -> float:
    with httpx.Client(timeout=1) as client:
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}; see {log}")
            try:
                if client.get(f"{url}/healthz").status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.01)
    raise RuntimeError(f"server not healthy after {timeout} s; see {log}")


@dataclass
class Stack:
    """A fake Slack, the bot (`ccsn-bot serve`) and the bare app, sharing one fake Slack."""

    slack: FakeSlackProcess
    bot: Server
    bare: Server
    database_url: str


@contextmanager
def stack(database_url: str, workdir: Path, *, workers: int = 1) -> Iterator[Stack]:
    """Start the fake Slack, then the bot, then the bare app, one after the other.

    They start one at a time so each one's time to healthy is measured without the other
    competing for the CPU. `database_url` must already be migrated. Both apps get the same
    number of gunicorn `workers` (1 is `ccsn-bot serve`'s default).
    """
    with ExitStack() as stack:
        slack = stack.enter_context(fake_slack(workdir))
        env = bot_environment(slack.url, database_url)
        scale = ["--workers", str(workers)]
        bot_command = [str(CCSN_BOT), "serve", *scale]
        bot = stack.enter_context(serve("bot", bot_command, env, workdir))
        bare_command = [sys.executable, "-m", "bench.baseline", *scale]
        bare = stack.enter_context(serve("bare", bare_command, env, workdir))
        yield Stack(slack=slack, bot=bot, bare=bare, database_url=database_url)


def _rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from Linux's /proc (none elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _children(pid: int) -> list[int]:
    """Every descendant of `pid`: children, their children, and so on."""
    return [d for child in children(pid) for d in (child, *_children(child))]
