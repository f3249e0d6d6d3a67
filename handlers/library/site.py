"""The public site as a WSGI app: `/`, `/practices/<id>`, `/events`, `/ta`, `/policy`, feeds.

`bot.web.WebApp` hands it every GET/HEAD for those paths (`PublicSite.handles`); Slack's
endpoint, `/healthz` and the calendar files stay where they are. Every answer, 404s and
errors included, carries the security headers of `handlers.library.http`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from importlib.resources import files
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from core.vocabulary import PILLARS
from handlers.deps import Deps
from handlers.library import feeds, pages, query
from handlers.library.http import ATOM, CSS, Response, cacheable
from handlers.library.pages import Feed
from handlers.library.service import Library
from handlers.policy.calendar import DEADLINES_PATH
from storage.repositories.library import LibraryFilters

log = logging.getLogger(__name__)

PRACTICE_PATH = re.compile(r"^/practices/([1-9][0-9]{0,18})$")
PILLAR_FEED = re.compile(r"^/feeds/pillars/([a-z0-9-]{1,40})\.atom$")
REGION_FEED = re.compile(r"^/feeds/regions/([a-z0-9-]{1,40})\.atom$")
# The largest id PostgreSQL's INTEGER primary key holds; beyond it nothing can exist.
MAX_ID = 2**31 - 1
HOST = re.compile(r"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$")
TA_PATH = "/ta"
POLICY_PATH = "/policy"
STATIC = {"site.css": CSS, "favicon.svg": "image/svg+xml"}
StartResponse = Callable[..., Any]


class PublicSite:
    """Read-only pages of approved content for people without Slack."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._library = Library(deps)
        static = files("handlers.library") / "static"
        self._static = {name: (static / name).read_bytes() for name in STATIC}

    @staticmethod
    def handles(path: str) -> bool:
        """Whether `path` belongs to the public site (the calendar files do not)."""
        return path in ("/", "/events", TA_PATH, POLICY_PATH) or path.startswith(
            ("/practices/", "/feeds/", "/static/")
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one WSGI request."""
        method = environ.get("REQUEST_METHOD", "GET")
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        response = self.respond(
            method,
            environ.get("PATH_INFO", "/"),
            environ.get("QUERY_STRING", ""),
            headers,
            base_url=self._base_url(environ),
        )
        start_response(response.status, response.header_list())
        return [b""] if method == "HEAD" else [response.body]

    def respond(
        self, method: str, path: str, query_string: str, headers: dict[str, str], *, base_url: str
    ) -> Response:
        """The answer to one request, independent of WSGI (tests and benchmarks call it)."""
        if method not in ("GET", "HEAD"):
            return Response(
                "405 Method Not Allowed",
                b"",
                "text/plain; charset=utf-8",
                (("Allow", "GET, HEAD"),),
            )
        try:
            return self._route(path, query_string, headers, base_url)
        except SQLAlchemyError:
            log.warning("library.database_unavailable path=%s", path.split("?")[0][:40])
            return Response("503 Service Unavailable", pages.unavailable_page())

    def _route(
        self, path: str, query_string: str, headers: dict[str, str], base_url: str
    ) -> Response:
        tz = self._deps.settings.timezone
        if path == "/":
            request = query.parse(query_string)
            result = self._library.page(request)
            body = pages.library_page(result, tz=tz, feeds=_listing_feeds(request.filters))
            return cacheable(body, headers, last_modified=result.latest)
        if path == "/events":
            events = self._library.upcoming_events()
            body = pages.events_page(events, tz=tz, feeds=_listing_feeds(LibraryFilters()))
            latest = max((e.updated_at for e in events), default=None)
            return cacheable(body, headers, last_modified=latest)
        if path == TA_PATH:
            listing = query.parse_listing(TA_PATH, query_string, query.TA_CHOICES, query.TA_LABELS)
            offerings = self._library.ta_directory(listing)
            body = pages.ta_page(offerings, tz=tz, feeds=())
            return cacheable(body, headers, last_modified=offerings.latest)
        if path == POLICY_PATH:
            listing = query.parse_listing(
                POLICY_PATH, query_string, query.POLICY_CHOICES, query.POLICY_LABELS
            )
            tracker = self._library.policy_tracker(listing)
            body = pages.policy_page(tracker, tz=tz, feeds=(), deadlines=DEADLINES_PATH)
            return cacheable(body, headers, last_modified=tracker.latest)
        match = PRACTICE_PATH.match(path)
        if match and int(match[1]) <= MAX_ID:
            practice = self._library.practice(int(match[1]))
            if practice is not None:
                body = pages.practice_page(practice, tz=tz, feeds=_listing_feeds(LibraryFilters()))
                return cacheable(body, headers, last_modified=practice.decided_at)
        if path.startswith("/feeds/"):
            feed = self._feed(path, base_url)
            if feed is not None:
                return cacheable(feed, headers, content_type=ATOM, max_age=300)
        if path.startswith("/static/"):
            name = path.removeprefix("/static/")
            if name in self._static:
                return cacheable(self._static[name], headers, content_type=STATIC[name])
        return Response("404 Not Found", pages.not_found_page())

    def _feed(self, path: str, base_url: str) -> bytes | None:
        if path == feeds.ALL_PATH:
            filters, title = LibraryFilters(), "CCSN practices"
        elif (match := PILLAR_FEED.match(path)) and match[1] in feeds.PILLAR_SLUGS:
            pillar = feeds.PILLAR_SLUGS[match[1]]
            filters, title = LibraryFilters(pillar=pillar), f"CCSN practices: {PILLARS[pillar]}"
        elif (match := REGION_FEED.match(path)) and match[1] in feeds.REGION_SLUGS:
            region = feeds.REGION_SLUGS[match[1]]
            filters, title = LibraryFilters(region=region), f"CCSN practices: {region}"
        else:
            return None
        practices = self._library.feed(filters)
        return feeds.atom(practices, title=title, base_url=base_url, path=path)

    def _base_url(self, environ: dict[str, Any]) -> str:
        """`CCSN_PUBLIC_URL`, or the address this request came to (checked, for feeds)."""
        if self._deps.settings.ccsn_public_url:
            return self._deps.settings.ccsn_public_url
        host = str(environ.get("HTTP_HOST") or "")
        if not HOST.match(host):
            host = f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
        scheme = "https" if environ.get("wsgi.url_scheme") == "https" else "http"
        return f"{scheme}://{host}"


def _listing_feeds(filters: LibraryFilters) -> list[Feed]:
    """The feeds a page names: all practices, plus the chosen pillar's and region's."""
    found = [Feed("CCSN practices", feeds.ALL_PATH)]
    if filters.pillar:
        found.append(
            Feed(f"Practices: {PILLARS[filters.pillar]}", feeds.pillar_feed_path(filters.pillar))
        )
    if filters.region:
        found.append(Feed(f"Practices in {filters.region}", feeds.region_feed_path(filters.region)))
    return found
