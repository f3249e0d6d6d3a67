"""The Slack Web API client, pointed at `SLACK_API_URL` (Slack itself, a proxy, or a test fake)."""

from __future__ import annotations

import http.client
import io
import select
import threading
import time
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from core.config import Settings, SettingsError

# The outbox waits this long for an answer: Slack sometimes answers a post it accepted after
# 10 seconds or more, and a shorter wait would send it again. No request waits on the outbox.
OUTBOX_TIMEOUT = 30

# Seconds per try for calls made while Slack waits for our answer (views.open with a trigger
# that expires in 3 s, an ephemeral reply): inside the 2.5 s deadline the guard counts from
# arrival, so a hung Slack cannot hold a listener thread much past the answer.
REQUEST_PATH_TIMEOUT = 2

# A kept connection idle longer than this is closed rather than reused: servers close idle
# connections after some seconds of their own choosing, and a post sent just as the server
# closes is one whose fate is unknown (the outbox then looks for it before posting again).
KEEP_ALIVE_IDLE = 4.0


class KeepAliveWebClient(WebClient):
    """A `WebClient` that keeps one connection to Slack open per thread and reuses it.

    slack_sdk's transport is `urllib`, which opens a new connection (and for Slack, a TLS
    handshake) for every call and closes it after. The outbox makes one call per message, so
    a fan-out paid a handshake per member, and the connection set-up cost the outbox and
    Slack more CPU than the post itself (issue 17). This client sends the same request
    (`http.client` is what urllib sends it with) and hands back what urllib would: the body
    (raw bytes for `application/gzip`), an `HTTPError` for an error status, a `URLError` when
    the connection cannot be made or the request cannot be sent, so the rest of slack_sdk (its
    retry handlers, its errors) and the outbox's reading of them are unchanged. Unlike urllib
    it follows no redirect: Slack's Web API sends none, and a 3xx is an `HTTPError`, which
    the outbox retries. A kept connection is used only while it is idle for less than
    `KEEP_ALIVE_IDLE`, the server has not closed it (a closed socket reads as ready, as
    urllib3 checks) and `close()` has not been called since; each call uses the client's
    `timeout` as it is then. A proxy, when set, goes through slack_sdk's own transport.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()
        self._all: set[http.client.HTTPConnection] = set()
        self._all_lock = threading.Lock()

    def close(self) -> None:
        """Close every kept connection; each thread opens a new one if it calls again.

        Only with no call in flight (the outbox closes its client once its senders stopped):
        a connection closed under a call would cut that call's answer short.
        """
        with self._all_lock:
            kept, self._all = self._all, set()
        for connection in kept:
            connection.close()

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy is not None or not url.lower().startswith(("http://", "https://")):
            return dict(super()._perform_urllib_http_request_internal(url, req))
        parts = urlsplit(url)
        selector = parts.path + (f"?{parts.query}" if parts.query else "")
        connection = self._connection(parts.scheme.lower(), parts.netloc)
        if connection.timeout != self.timeout:  # lowered or raised since it was made
            connection.timeout = self.timeout
            if connection.sock is not None:
                connection.sock.settimeout(self.timeout)
        headers = dict(req.header_items())
        try:
            connection.request(req.get_method(), selector, body=req.data, headers=headers)
        except BaseException as exc:  # a request not written whole is never reused half-sent
            self._forget(connection)
            if isinstance(exc, OSError):  # as urllib: refused, unreachable, cut off sending
                raise URLError(exc) from exc
            raise
        try:
            response = connection.getresponse()
            body = response.read()
        except BaseException:
            self._forget(connection)
            raise
        if response.will_close:
            self._forget(connection)
        else:
            self._local.used = time.monotonic()
        if not 200 <= response.status < 300:
            raise HTTPError(
                url, response.status, response.reason, response.headers, io.BytesIO(body)
            )
        answer: dict[str, Any] = {"status": response.status, "headers": response.headers}
        if response.headers.get_content_type() == "application/gzip":
            return {**answer, "body": body}  # as slack_sdk's own transport: the raw bytes
        charset = response.headers.get_content_charset() or "utf-8"
        return {**answer, "body": body.decode(charset)}

    def _connection(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        """This thread's connection to `netloc`, reused while it is fresh and still open."""
        kept: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if kept is not None:
            fresh = time.monotonic() - getattr(self._local, "used", 0.0) < KEEP_ALIVE_IDLE
            # `_closed` also answers for `close()`, which leaves the connection without a socket.
            if fresh and (scheme, netloc) == self._local.target and not _closed(kept):
                return kept
            self._forget(kept)
        connection: http.client.HTTPConnection = (
            http.client.HTTPSConnection(netloc, timeout=self.timeout, context=self.ssl)
            if scheme == "https"
            else http.client.HTTPConnection(netloc, timeout=self.timeout)
        )
        self._local.connection, self._local.target = connection, (scheme, netloc)
        with self._all_lock:
            self._all.add(connection)
        return connection

    def _forget(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        if getattr(self._local, "connection", None) is connection:
            self._local.connection = None
        with self._all_lock:
            self._all.discard(connection)


def _closed(connection: http.client.HTTPConnection) -> bool:
    """Whether an idle kept connection was closed by the server (its socket reads as ready).

    `poll`, not `select`: `select` cannot watch a descriptor numbered 1024 or more.
    """
    sock = connection.sock
    if sock is None:
        return True  # closed already; a new connection is made instead
    poller = select.poll()
    try:
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


def make_client(settings: Settings, *, for_outbox: bool = False) -> WebClient:
    """A client for the bot token.

    The outbox's client keeps its connections open (`KeepAliveWebClient`): it makes one call
    per message. The interactive one calls once or twice per request, from whichever
    listener thread runs it, so it keeps slack_sdk's own transport. The outbox client
    retries nothing itself: the outbox schedules every retry, so a slow Slack
    never blocks a worker thread in a sleep. The interactive client retries a dropped
    connection (refused or reset, which fails fast) once, because a modal must open within
    the 3-second window.
    """
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return (KeepAliveWebClient if for_outbox else WebClient)(
        token=token,
        base_url=settings.slack_api_url,
        timeout=OUTBOX_TIMEOUT if for_outbox else REQUEST_PATH_TIMEOUT,
        retry_handlers=[] if for_outbox else [ConnectionErrorRetryHandler(max_retry_count=1)],
    )


def check_token(settings: Settings) -> None:
    """Ask Slack whether the bot token works, before starting any worker.

    Raises:
        SettingsError: naming SLACK_BOT_TOKEN or SLACK_API_URL.
    """
    try:
        make_client(settings).auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error")
        raise SettingsError(f"SLACK_BOT_TOKEN: Slack refused the token ({error})") from None
    except (URLError, OSError) as exc:
        raise SettingsError(
            f"SLACK_API_URL: cannot reach {settings.slack_api_url} ({type(exc).__name__})"
        ) from None
