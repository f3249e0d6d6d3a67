"""`ccsn-bot serve` on PostgreSQL: the outbox and the scheduler in a process of their own.

In one process the outbox's senders and the scheduler share the GIL with the listeners, and
under load every request waited behind them (issue 17). So `serve` forks two children and
watches them:

- the web process, gunicorn's master with its workers, which only answer requests; each
  commit wakes the outbox by writing a byte to a pipe made before the fork (`PipeWaker`);
- the background process, which delivers the outbox and runs the scheduled jobs, woken by
  that pipe (and every second regardless, for other replicas' messages).

The supervisor forwards SIGTERM and SIGINT to both, restarts the background process if it
dies (with back-off), and exits with the web process's status when it ends. It cannot be
gunicorn's master itself: the master reaps every child it has (`waitpid(-1)`), so it would
swallow the background process's exit. If the supervisor is killed, the kernel stops both
children (`PR_SET_PDEATHSIG`), so no orphan keeps the port or the outbox.

Nothing that makes delivery safe depends on this layout: leases, `SKIP LOCKED` and each
channel's order hold across processes, as they do across replicas. SQLite stays in one
process, whose own write lock keeps writers from SQLite's busy-wait (`storage.db`).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.app import build_runtime
from bot.memory import freeze_startup_heap
from core.config import Settings

log = logging.getLogger(__name__)

RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # after the 1st, 2nd, ... quick death in a row
STEADY = 60.0  # seconds alive after which a death counts as the first again
POLL = 0.1  # seconds between the supervisor's looks at its children
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_PR_SET_PDEATHSIG = 1


class PipeWaker:
    """Wakes the background process's outbox: one byte down the pipe, never blocking.

    A full pipe means the outbox has not read the earlier wake-ups yet, so it will pass
    anyway; a closed one means it is restarting and will look at the queue when it starts.
    """

    def __init__(self, fd: int) -> None:
        os.set_blocking(fd, False)
        self._fd = fd

    def __call__(self) -> None:
        """Ask for a delivery pass soon (called after each commit)."""
        # BlockingIOError (full) or the reader gone (BrokenPipeError): both already handled.
        with contextlib.suppress(OSError):
            os.write(self._fd, b"\0")


def relay_wakes(fd: int, wake: Callable[[], None]) -> None:
    """Turn bytes on the pipe into outbox wake-ups until every writer has closed it."""
    while True:
        try:
            data = os.read(fd, 4096)
        except InterruptedError:  # pragma: no cover - PEP 475 retries reads
            continue
        except OSError:
            return
        if not data:
            return
        wake()


def _die_with_parent(signum: int) -> None:
    """Have the kernel send `signum` to this process when the supervisor dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: a killed supervisor leaves them running
        return


def run_background(settings: Settings, wake_fd: int) -> int:
    """The background process: deliver the outbox and run the jobs until SIGTERM or SIGINT."""
    stop = threading.Event()
    for signum in _STOP_SIGNALS:
        signal.signal(signum, lambda *_: stop.set())
    runtime = build_runtime(settings, verify_token=False)
    threading.Thread(
        target=relay_wakes, args=(wake_fd, runtime.worker.wake), name="wake", daemon=True
    ).start()
    runtime.start_background()
    log.info("background.ready pid=%s frozen_objects=%s", os.getpid(), freeze_startup_heap())
    while not stop.wait(1.0):
        pass
    runtime.close()
    log.info("background.stopped pid=%s", os.getpid())
    return 0


@dataclass
class _Child:
    name: str
    target: Callable[[], int]
    close: list[int]
    pid: int = 0
    started: float = 0.0


@dataclass
class Supervisor:
    """Runs the web and background processes; see the module's docstring.

    `web` and `background` are the children's work (run after the fork; each returns its exit
    status). `web_fds` are kept by the web process alone: the supervisor closes them once it
    has forked, so no background process holds them. `background_fds` are closed in the web
    process and kept here for each background process (the first and any restarted one).
    """

    web: Callable[[], int]
    background: Callable[[], int]
    web_fds: list[int] = field(default_factory=list)
    background_fds: list[int] = field(default_factory=list)
    _stopping: bool = False
    _children: dict[int, _Child] = field(default_factory=dict)

    def run(self) -> int:
        """Start both children and supervise them; the web process's exit status, at the end."""
        for signum in _STOP_SIGNALS:
            signal.signal(signum, self._on_signal)
        web = self._start(_Child("web", self.web, self.background_fds))
        for fd in self.web_fds:
            os.close(fd)
        background = self._start(_Child("background", self.background, []))
        quick_deaths, restart_at = 0, None
        while True:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                if restart_at is not None and time.monotonic() >= restart_at:
                    restart_at = None
                    if not self._stopping:
                        self._start(background)
                time.sleep(POLL)
                continue
            child = self._children.pop(pid, None)
            if child is None:
                continue
            code = os.waitstatus_to_exitcode(status)
            if child is web:
                log.info("web.exited status=%s", code)
                self._stop_all()
                self._wait_all()
                return code if code >= 0 else 1
            if self._stopping:
                continue
            lived = time.monotonic() - child.started
            quick_deaths = 1 if lived >= STEADY else quick_deaths + 1
            delay = RESTART_DELAYS[min(quick_deaths, len(RESTART_DELAYS)) - 1]
            log.warning("background.exited status=%s restarting_in=%ss", code, delay)
            restart_at = time.monotonic() + delay

    def _start(self, child: _Child) -> _Child:
        """Fork `child`; stop signals wait until its pid is known (here) or reset (there)."""
        parent = os.getpid()
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:
                for signum in _STOP_SIGNALS:
                    signal.signal(signum, signal.SIG_DFL)
                _die_with_parent(signal.SIGTERM)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
                if os.getppid() != parent:  # the supervisor died before the prctl took effect
                    os._exit(0)
                _exit_child(child.target, child.close)
            child.pid, child.started = pid, time.monotonic()
            self._children[pid] = child
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        if self._stopping:
            _signal(pid, signal.SIGTERM)
        return child

    def _on_signal(self, signum: int, _frame: object) -> None:
        self._stopping = True
        for pid in list(self._children):
            _signal(pid, signum)

    def _stop_all(self) -> None:
        self._stopping = True
        for pid in list(self._children):
            _signal(pid, signal.SIGTERM)

    def _wait_all(self) -> None:
        while self._children:
            pid, _status = os.wait()
            self._children.pop(pid, None)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _exit_child(target: Callable[[], int], close: list[int]) -> None:
    """Run a child's work and leave the process, never returning into the supervisor's loop."""
    code = 1
    try:
        for fd in close:
            os.close(fd)
        code = target()
    except SystemExit as done:  # gunicorn exits this way
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:
        log.exception("process.crashed")
    finally:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
