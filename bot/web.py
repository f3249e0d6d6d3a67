"""The WSGI application served in HTTP mode: Slack's endpoint, a health check, calendars."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.guard import GuardedApp
from bot.slack_endpoint import SlackEndpoint
from handlers.deps import Deps
from handlers.events import feed
from handlers.library.site import PublicSite
from handlers.policy.calendar import DEADLINES_PATH, deadlines_ics
from storage.db import ping

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
CALENDAR_PATH = "/calendar.ics"
EVENT_CALENDAR_PATH = re.compile(r"^/events/([1-9][0-9]{0,11})\.ics$")
MAX_EVENT_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL; a larger one names no event
StartResponse = Callable[..., Any]


class WebApp:
    """Routes `POST /slack/events` to Bolt; answers `GET /healthz` and the calendar files.

    The calendars (events', and `/deadlines.ics` with the policy tracker's key dates) are
    public (people without Slack subscribe to them) and show only what coordinators approved.
    They need `deps` to read the database; without it they are 404.
    """

    def __init__(self, app: GuardedApp, engine: Engine, deps: Deps | None = None) -> None:
        self._slack = SlackEndpoint(app)
        self._engine = engine
        self._deps = deps
        public = deps is not None and deps.settings.ccsn_public_pages
        self._site = PublicSite(deps) if deps is not None and public else None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Route one WSGI request."""
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == SLACK_PATH:
            return self._slack(environ, start_response)
        readable = path == "/healthz" or (self._deps is not None and _is_calendar(path))
        if readable and method not in ("GET", "HEAD"):
            # read-only resources: say so (and what is allowed) rather than "not found"
            return _json(
                start_response,
                "405 Method Not Allowed",
                {"error": "method_not_allowed"},
                (("Allow", "GET, HEAD"),),
            )
        if path == "/healthz":
            return self._health(start_response)
        if self._deps is not None:
            match = EVENT_CALENDAR_PATH.match(path)
            if path == CALENDAR_PATH or (match and int(match[1]) <= MAX_EVENT_ID):
                return self._calendar(start_response, method, int(match[1]) if match else None)
            if path == DEADLINES_PATH:
                return self._calendar(start_response, method, None, deadlines=True)
        if self._site is not None and self._site.handles(path):
            return self._site(environ, start_response)
        return _json(start_response, "404 Not Found", {"error": "not_found"})

    def _calendar(
        self,
        start_response: StartResponse,
        method: str,
        event_id: int | None,
        *,
        deadlines: bool = False,
    ) -> Iterable[bytes]:
        assert self._deps is not None
        try:
            if deadlines:  # policy and funding key dates, as all-day events
                data: bytes | None = deadlines_ics(self._deps)
                name = "ccsn-deadlines.ics"
            elif event_id is None:
                data = feed.calendar_ics(self._deps)
                name = "ccsn-events.ics"
            else:
                data = feed.event_ics(self._deps, event_id)
                name = f"ccsn-event-{event_id}.ics"
        except SQLAlchemyError:
            log.warning("calendar.database_unavailable")
            return _json(start_response, "503 Service Unavailable", {"error": "unavailable"})
        if data is None:
            return _json(start_response, "404 Not Found", {"error": "not_found"})
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Length", str(len(data))),
                ("Content-Disposition", f'inline; filename="{name}"'),
                ("Cache-Control", "public, max-age=300"),
                # member text is inside: never let a browser guess it is a page
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
        return [b""] if method == "HEAD" else [data]

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        if ping(self._engine):
            return _json(start_response, "200 OK", {"status": "ok", "database": "ok"})
        return _json(
            start_response,
            "503 Service Unavailable",
            {"status": "unavailable", "database": "unreachable"},
        )


def _is_calendar(path: str) -> bool:
    return path in (CALENDAR_PATH, DEADLINES_PATH) or EVENT_CALENDAR_PATH.match(path) is not None


def _json(
    start_response: StartResponse,
    status: str,
    body: dict[str, Any],
    headers: tuple[tuple[str, str], ...] = (),
) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(data))),
            ("X-Content-Type-Options", "nosniff"),
            *headers,
        ],
    )
    return [data]
