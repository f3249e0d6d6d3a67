"""A gunicorn worker that serves with waitress, so a slow client never holds a thread.

gunicorn's threaded worker hands each connection to a thread that then blocks reading it:
eight clients sending a byte a second took all eight threads, and `/healthz` with them.
waitress reads every request in one event loop and hands it to a thread only once it is
complete (headers and body buffered), so a thread is never spent waiting on a client. What
waitress lacks is a bound on how long a request may take to arrive: its `channel_timeout`
counts silence, and a byte a second is never silent. `READ_DEADLINE` adds that bound.

gunicorn stays the process manager: its master forks the workers, restarts one that dies,
and on SIGTERM lets each finish what it holds.
"""

from __future__ import annotations

import os
import time
from typing import Any

from gunicorn.workers.base import Worker
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher, WSGITask

from bot.slack_endpoint import ARRIVED_ENVIRON, MAX_BODY

READ_DEADLINE = 5.0  # seconds from a request's first byte to its last; Slack sends at once
IDLE_TIMEOUT = 5  # seconds a connection may stay silent (never sent, or kept alive)
CHECK_EVERY = 1  # seconds between sweeps for connections past either bound
CONNECTION_LIMIT = 512  # open connections per worker before it stops accepting


class _Request(HTTPRequestParser):  # type: ignore[misc]
    """waitress's parser, remembering when the request's first byte arrived."""

    def __init__(self, adj: Adjustments) -> None:
        super().__init__(adj)
        self.arrived = time.monotonic()


class _Task(WSGITask):  # type: ignore[misc]
    """waitress's WSGI task, telling the app when its request arrived (`ccsn.arrived`)."""

    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        environ[ARRIVED_ENVIRON] = self.request.arrived
        return environ


class _Channel(HTTPChannel):  # type: ignore[misc]
    parser_class = _Request
    task_class = _Task


class _Server(TcpWSGIServer):  # type: ignore[misc]
    """One listening socket; its sweep also closes requests that take too long to arrive."""

    channel_class = _Channel

    def maintenance(self, now: float) -> None:
        """Close silent connections (waitress) and those still sending after `READ_DEADLINE`."""
        super().maintenance(now)
        cutoff = time.monotonic() - READ_DEADLINE
        for channel in list(self.active_channels.values()):
            request = channel.request
            if request is not None and not channel.requests and request.arrived < cutoff:
                channel.will_close = True


def adjustments(threads: int) -> Adjustments:
    """The waitress settings of the bot; `threads` run the app, none of them read sockets."""
    return Adjustments(
        threads=threads,
        channel_timeout=IDLE_TIMEOUT,
        cleanup_interval=CHECK_EVERY,
        connection_limit=CONNECTION_LIMIT,
        max_request_body_size=MAX_BODY,
        max_request_header_size=64 * 1024,
        asyncore_use_poll=True,  # select() stops at 1024 file descriptors
        ident="ccsn-bot",
    )


class WaitressWorker(Worker):  # type: ignore[misc]
    """A gunicorn worker process running waitress on the master's listening sockets."""

    def run(self) -> None:
        """Serve until gunicorn stops this worker, then finish in-flight requests."""
        adj = adjustments(self.cfg.threads)
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(adj.threads)
        sockets: dict[int, Any] = {}
        servers = [
            _Server(
                self.wsgi,
                sockets,
                _sock=listener.sock,
                dispatcher=dispatcher,
                adj=adj,
                bind_socket=False,
                sockinfo=(
                    listener.sock.family,
                    listener.sock.type,
                    listener.sock.proto,
                    listener.sock.getsockname(),
                ),
            )
            for listener in self.sockets
        ]
        while self.alive and self.ppid == os.getppid():
            self.notify()
            wasyncore.loop(timeout=1.0, map=sockets, use_poll=True, count=1)
        for server in servers:
            server.accepting = False
        self._finish(servers, sockets)
        dispatcher.shutdown(cancel_pending=True, timeout=2)
        wasyncore.close_all(sockets)

    def _finish(self, servers: list[_Server], sockets: dict[int, Any]) -> None:
        """Answer the requests already taken, for up to gunicorn's `graceful_timeout`."""
        deadline = time.monotonic() + self.cfg.graceful_timeout
        while time.monotonic() < deadline and any(
            channel.requests or channel.total_outbufs_len
            for server in servers
            for channel in server.active_channels.values()
        ):
            self.notify()
            wasyncore.loop(timeout=0.1, map=sockets, use_poll=True, count=1)
