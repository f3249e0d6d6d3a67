"""`ccsn-bot serve` on PostgreSQL: the outbox and the scheduler in a process of their own.

In one process the outbox's senders and the scheduler share the GIL with the listeners, and
under load every request waited behind them (issue 17). So `serve` forks two children and
watches them:

- the web process, gunicorn's master with its workers, which only answer requests; each
  commit wakes the outbox by writing a byte to a pipe made before the fork (`PipeWaker`);
- the background process, which delivers the outbox and runs the scheduled jobs, woken by
  that pipe (and every second regardless, for other replicas' messages).

The supervisor passes stop signals to both (and gunicorn's other signals to the web process),
restarts the background process if it dies (with back-off), and exits with the web
process's status when it ends, stopping the other. It cannot be
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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn

from bot.app import build_runtime
from bot.memory import freeze_startup_heap, start_heap_trimmer
from core.config import Settings

log = logging.getLogger(__name__)

RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # after the 1st, 2nd, ... quick death in a row
STEADY = 60.0  # seconds alive after which a death counts as the first again
POLL = 0.1  # seconds between the supervisor's looks at its children
STOP_GRACE = 45.0  # seconds: gunicorn's 20 s graceful stop and the outbox's 15 s, and some
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)
_WEB_SIGNALS = (signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGTTIN, signal.SIGTTOU)
_ALL_SIGNALS = (*_STOP_SIGNALS, *_WEB_SIGNALS)
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
        except OSError as error:
            log.warning("background.wake_relay_ended error=%s", error)
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
    start_heap_trimmer()
    while not stop.wait(1.0):
        pass
    runtime.close()
    log.info("background.stopped pid=%s", os.getpid())
    return 0


@dataclass
class _Child:
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

    SIGTERM, SIGINT and SIGQUIT stop both: the web process gets the same signal (gunicorn's
    graceful stop, or its quick one for INT and QUIT), the background process SIGTERM. The
    signals gunicorn's master acts on while running (HUP to reload, USR1 to reopen its logs,
    USR2, TTIN and TTOU) are passed to the web process, as if `serve` were that master.
    """

    web: Callable[[], int]
    background: Callable[[], int]
    web_fds: list[int] = field(default_factory=list)
    background_fds: list[int] = field(default_factory=list)
    _stopping: bool = False
    _children: dict[int, _Child] = field(default_factory=dict)
    _web: _Child | None = None

    def run(self) -> int:
        """Start both children and supervise them; the web process's exit status, at the end."""
        for signum in _STOP_SIGNALS:
            signal.signal(signum, self._on_stop)
        for signum in _WEB_SIGNALS:
            signal.signal(signum, self._on_web_signal)
        web = self._web = self._start(_Child(self.web, self.background_fds))
        for fd in self.web_fds:
            os.close(fd)
        background = self._start(_Child(self.background, []))
        quick_deaths, restart_at = 0, None
        while True:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                if restart_at is not None and time.monotonic() >= restart_at:
                    restart_at = (
                        None
                        if self._stopping or self._restart(background)
                        else (time.monotonic() + RESTART_DELAYS[-1])
                    )
                time.sleep(POLL)
                continue
            child = self._children.pop(pid, None)
            if child is None:
                continue
            code = _exit_status(status)
            if child is web:
                log.info("web.exited status=%s", code)
                self._stop_all()
                return code
            if self._stopping:
                continue
            lived = time.monotonic() - child.started
            quick_deaths = 1 if lived >= STEADY else quick_deaths + 1
            delay = RESTART_DELAYS[min(quick_deaths, len(RESTART_DELAYS)) - 1]
            log.warning("background.exited status=%s restarting_in=%ss", code, delay)
            restart_at = time.monotonic() + delay

    def _restart(self, child: _Child) -> bool:
        """Fork `child` again; False (and logged) if the system refused a new process."""
        try:
            self._start(child)
        except OSError as error:
            log.error("background.restart_failed error=%s", error)
            return False
        return True

    def _start(self, child: _Child) -> _Child:
        """Fork `child`; signals wait until its pid is known (here) or reset (there)."""
        parent = os.getpid()
        signal.pthread_sigmask(signal.SIG_BLOCK, _ALL_SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:
                for signum in _ALL_SIGNALS:
                    signal.signal(signum, signal.SIG_DFL)
                _die_with_parent(signal.SIGTERM)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _ALL_SIGNALS)
                if os.getppid() != parent:  # the supervisor died before the prctl took effect
                    os._exit(0)
                _run_child(child.target, child.close)
            child.pid, child.started = pid, time.monotonic()
            self._children[pid] = child
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _ALL_SIGNALS)
        if self._stopping:
            _signal(pid, signal.SIGTERM)
        return child

    def _on_stop(self, signum: int, _frame: object) -> None:
        self._stopping = True
        for pid, child in list(self._children.items()):
            _signal(pid, signum if child is self._web else signal.SIGTERM)

    def _on_web_signal(self, signum: int, _frame: object) -> None:
        if self._web is not None and self._web.pid in self._children:
            _signal(self._web.pid, signum)

    def _stop_all(self) -> None:
        """SIGTERM whatever still runs; SIGKILL what has not stopped after `STOP_GRACE`."""
        self._stopping = True
        for pid in list(self._children):
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        while self._children:
            pid, _status = os.waitpid(-1, os.WNOHANG)
            if pid:
                self._children.pop(pid, None)
                continue
            if time.monotonic() >= deadline:
                for late in list(self._children):
                    log.warning("process.killed pid=%s after=%ss", late, STOP_GRACE)
                    _signal(late, signal.SIGKILL)
                deadline = float("inf")
            time.sleep(POLL)


def _exit_status(status: int) -> int:
    """A child's exit status as a shell reports it: 128 + N when signal N ended it."""
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _run_child(target: Callable[[], int], close: list[int]) -> NoReturn:
    """Run a child's work, then leave as any Python program does, never back into the loop.

    A normal exit (not `os._exit`) matters: it waits for threads still finishing work, such
    as a gunicorn worker's lazy listener uploading an export when SIGTERM stopped it.
    """
    try:
        for fd in close:
            os.close(fd)
        code = target()
    except SystemExit:  # gunicorn's master and workers leave this way, with their status
        raise
    except BaseException:
        log.exception("process.crashed")
        code = 1
    raise SystemExit(code)
