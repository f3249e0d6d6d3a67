"""Running the bot: gunicorn for HTTP mode, Bolt's Socket Mode handler for development."""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.app import Runtime, build_runtime
from bot.memory import (
    freeze_startup_heap,
    limit_malloc_arenas,
    restart_without_thread_caches,
    start_heap_trimmer,
)
from bot.supervisor import PipeWaker, Supervisor, run_background
from bot.web import WebApp
from core.config import Settings

log = logging.getLogger(__name__)


class _WorkerApp(WebApp):
    """The WSGI app of one gunicorn worker, holding its runtime so the exit hook can close it."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime.app, runtime.engine, runtime.deps)
        self.runtime = runtime


def _worker_exit(_server: Any, worker: Any) -> None:
    app = getattr(worker, "wsgi", None)
    if isinstance(app, _WorkerApp):
        app.runtime.close()
        log.info("worker.stopped pid=%s", worker.pid)


def gunicorn_options(*, port: int, workers: int, threads: int) -> dict[str, Any]:
    """How `ccsn-bot serve` runs gunicorn; the benchmarks serve their bare app the same way.

    Each worker serves with waitress (`bot.http_worker`): requests are read in an event loop
    with bounded read times, and `threads` only ever run the app.
    """
    return {
        "bind": f"0.0.0.0:{port}",
        "workers": workers,
        "worker_class": "bot.http_worker.WaitressWorker",
        "threads": threads,
        "graceful_timeout": 20,
        "timeout": 30,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "worker_exit": _worker_exit,
        "proc_name": "ccsn-bot",
    }


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn with waitress workers, each building its own runtime after the fork.

    On SIGTERM gunicorn stops accepting, lets in-flight requests finish (up to
    `graceful_timeout`), then each worker's outbox stops; undelivered messages stay queued in the
    database for the next start. With `wake_fd` the workers run no outbox or scheduler: the
    supervisor's background process does, and each commit wakes it through that pipe.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        port: int,
        workers: int,
        threads: int,
        wake_fd: int | None = None,
    ) -> None:
        self._settings = settings
        self._options = gunicorn_options(port=port, workers=workers, threads=threads)
        self._wake_fd = wake_fd
        super().__init__()

    def load_config(self) -> None:
        """Hand our options to gunicorn instead of reading its command line."""
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> _WorkerApp:
        """Build this worker's runtime after the fork, and start its outbox unless split off."""
        # The master checked the token before forking: a Slack hiccup now must not stop a
        # worker from booting.
        if self._wake_fd is None:
            runtime = build_runtime(self._settings, verify_token=False)
            runtime.start_background()
        else:
            waker = PipeWaker(self._wake_fd)
            runtime = build_runtime(self._settings, verify_token=False, wake=waker)
        frozen = freeze_startup_heap()
        start_heap_trimmer()
        database = self._settings.database_url.split(":", 1)[0]
        log.info("worker.ready database=%s frozen_objects=%s", database, frozen)
        return _WorkerApp(runtime)


# Threads per worker that run the app. None of them waits on a client; one may wait up to
# the guard's deadline for a hung Slack, so there are as many as the guard's listener pool.
THREADS = 16


def serve_http(settings: Settings, *, port: int, workers: int = 1, threads: int = THREADS) -> int:
    """Serve Slack's requests over HTTP until SIGTERM or SIGINT; the exit status.

    On SQLite one process does everything: its own write lock keeps writers out of SQLite's
    busy-wait, which only works within a process. On PostgreSQL the outbox and the scheduler
    run in a process of their own (`bot.supervisor`), so they never slow a request.
    """
    # Returns in the process started again with glibc's per-thread caches off (the token is
    # checked once more there: the command runs from the start).
    restart_without_thread_caches()
    limit_malloc_arenas()  # before anything forks, so every process inherits it
    if not settings.database_url.startswith("postgresql"):
        GunicornServer(settings, port=port, workers=workers, threads=threads).run()
        return 0
    read_fd, write_fd = os.pipe()

    def web() -> int:
        server = GunicornServer(
            settings, port=port, workers=workers, threads=threads, wake_fd=write_fd
        )
        server.run()
        return 0

    return Supervisor(
        web=web,
        background=lambda: run_background(settings, read_fd),
        web_fds=[write_fd],
        background_fds=[read_fd],
    ).run()


def serve_socket_mode(settings: Settings) -> None:
    """Connect to Slack over Socket Mode (development) until SIGTERM or SIGINT."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    runtime = build_runtime(settings)
    assert settings.slack_app_token is not None
    handler = SocketModeHandler(runtime.app, settings.slack_app_token.get_secret_value())
    stopped = threading.Event()

    def stop(_signum: int, _frame: Any) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    runtime.start_background()
    freeze_startup_heap()
    start_heap_trimmer()
    handler.connect()
    log.info("socket_mode.connected")
    stopped.wait()
    handler.close()
    runtime.close()
    log.info("socket_mode.stopped")
