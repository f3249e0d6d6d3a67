"""`POST /slack/events`: the body is read with a cap and its signature checked before Bolt.

Bolt parses a body as soon as a `BoltRequest` is built, before its own signature check, so
a forged body that does not parse answered 500, and one whose headers made the check raise
reached the error handler (which then posted to the channel the forger named). Here nothing
of an unverified request is parsed: it is 401 with no Slack call. Bolt's own verification
stays on behind this one.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from slack_bolt import BoltRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse

from bot.guard import ARRIVED, GuardedApp
from bot.signature import is_signed

log = logging.getLogger(__name__)

# Slack's largest payloads (a modal's whole view plus its state) are tens of kilobytes; the
# cap leaves ample room and keeps a forger from making us buffer much.
MAX_BODY = 1024 * 1024
ARRIVED_ENVIRON = "ccsn.arrived"  # monotonic seconds when the request's first byte came in
StartResponse = Callable[..., Any]


class SlackEndpoint:
    """The WSGI handler of Slack's endpoint: cap, verify, then `app.dispatch`."""

    def __init__(self, app: GuardedApp) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request to the Slack endpoint."""
        arrived = environ.get(ARRIVED_ENVIRON)
        if not isinstance(arrived, float):
            arrived = time.monotonic()
        if environ.get("REQUEST_METHOD") != "POST":
            return _json(start_response, "405 Method Not Allowed", {"error": "method_not_allowed"})
        length = _content_length(environ.get("CONTENT_LENGTH"))
        if length is None:
            return _json(start_response, "411 Length Required", {"error": "length_required"})
        if length > MAX_BODY:
            log.warning("slack.body_too_large length=%s", length)
            return _json(start_response, "413 Content Too Large", {"error": "too_large"})
        body = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        if len(body) != length or not is_signed(
            self._app.signing_secret, body, timestamp, signature
        ):
            log.warning("slack.unverified")
            return _json(start_response, "401 Unauthorized", {"error": "invalid_request"})
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _json(start_response, "400 Bad Request", {"error": "not_utf8"})
        try:
            request = BoltRequest(
                body=text,
                query=environ.get("QUERY_STRING", ""),
                headers=_headers(environ),
                context={ARRIVED: arrived},
            )
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
            # Bolt parses the body and reads ids out of it while building the request: a
            # signed body that is not a JSON object (`[1]`, `payload=null`, `{bad`) or whose
            # `authorizations`/`team` have odd types raises there, before any error handler.
            log.warning("slack.unreadable_body error=%s", type(error).__name__)
            return _json(start_response, "400 Bad Request", {"error": "invalid_payload"})
        answer = self._app.dispatch(request)
        response = WsgiHttpResponse(status=answer.status, headers=answer.headers, body=answer.body)
        start_response(response.status, response.get_headers())
        return response.get_body()


def _content_length(value: object) -> int | None:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def _headers(environ: dict[str, Any]) -> dict[str, str | Sequence[str]]:
    headers: dict[str, str | Sequence[str]] = {}
    for key, value in environ.items():
        if key in ("CONTENT_LENGTH", "CONTENT_TYPE"):
            headers[key.lower().replace("_", "-")] = value
        elif key.startswith("HTTP_"):
            headers[key[5:].lower().replace("_", "-")] = value
    return headers


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]
