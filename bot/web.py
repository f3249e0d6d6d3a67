"""The WSGI application served in HTTP mode: Slack's endpoint plus a health check."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine

from storage.db import ping

SLACK_PATH = "/slack/events"
StartResponse = Callable[..., Any]


class WebApp:
    """Routes `POST /slack/events` to Bolt and answers `GET /healthz`."""

    def __init__(self, app: App, engine: Engine) -> None:
        self._slack = SlackRequestHandler(app, path=SLACK_PATH)
        self._engine = engine

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Route one WSGI request."""
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return self._health(start_response)
        if path == SLACK_PATH:
            return self._slack(environ, start_response)
        return _json(start_response, "404 Not Found", {"error": "not_found"})

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        if ping(self._engine):
            return _json(start_response, "200 OK", {"status": "ok", "database": "ok"})
        return _json(
            start_response,
            "503 Service Unavailable",
            {"status": "unavailable", "database": "unreachable"},
        )


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]
