"""HTML for the public site: Jinja2 templates with autoescaping on for every template.

Member text reaches the page only through the template engine, which escapes it; nothing here
builds HTML by hand. Links a member typed are shown as links only when they are http(s).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from core.vocabulary import FUNDING_STREAMS, PILLARS
from handlers.events.views import region_label, type_label
from handlers.library.query import CHOICES, LABELS
from handlers.library.service import LibraryResult
from storage.models import Event, Practice

SITE_NAME = "CCSN Library"
_CONTROL = re.compile(r"[\x00-\x20\x7f]")

ENV = Environment(
    loader=PackageLoader("handlers.library", "templates"),
    autoescape=True,  # every template, whatever its file name
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def safe_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) address, else None (never `javascript:` or `data:`)."""
    if not url or _CONTROL.search(url.strip()):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url.strip()


def _day(at: datetime | None, tz: ZoneInfo) -> str:
    if at is None:
        return ""
    local = at.astimezone(tz)
    return f"{local:%B} {local.day}, {local.year}"


def _time(at: datetime, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    hour = local.strftime("%I").lstrip("0")
    return f"{local:%a}, {local:%b} {local.day}, {local.year}, {hour}:{local:%M} {local:%p}"


ENV.filters["safe_url"] = safe_url
ENV.filters["day"] = _day
ENV.filters["time"] = _time
ENV.globals.update(
    site_name=SITE_NAME,
    pillar_label=lambda slug: PILLARS.get(slug, slug),
    funding_label=lambda slug: FUNDING_STREAMS.get(slug, slug),
    region_label=region_label,
    type_label=type_label,
)


@dataclass(frozen=True)
class Feed:
    """An Atom feed a page names in its `<link rel="alternate">`."""

    title: str
    href: str


def credit(practice: Practice) -> str | None:
    """The name to show, only when the member agreed to be named and it was resolved."""
    if practice.credit_submitter and practice.submitter_name:
        return practice.submitter_name
    return None


def library_page(result: LibraryResult, *, tz: ZoneInfo, feeds: Sequence[Feed]) -> bytes:
    """The library: filters with counts, a search box, 20 practices and the pager."""
    facets = [
        {
            "name": facet,
            "label": LABELS[facet].capitalize(),
            "selected": getattr(result.query.filters, facet),
            "options": [
                {"value": value, "label": label, "count": result.facets[facet].get(value, 0)}
                for value, label in CHOICES[facet].items()
            ],
        }
        for facet in CHOICES
    ]
    return _render(
        "library.html",
        result=result,
        query=result.query,
        facets=facets,
        feeds=feeds,
        tz=tz,
        credit=credit,
    )


def practice_page(practice: Practice, *, tz: ZoneInfo, feeds: Sequence[Feed]) -> bytes:
    """One approved practice with everything the public may see of it."""
    return _render("practice.html", practice=practice, feeds=feeds, tz=tz, name=credit(practice))


def events_page(events: Sequence[Event], *, tz: ZoneInfo, feeds: Sequence[Feed]) -> bytes:
    """Upcoming approved events, their times in the network's time zone."""
    return _render("events.html", events=events, feeds=feeds, tz=tz, zone=tz.key)


def not_found_page() -> bytes:
    """The same page for an id that never existed and one that is not public."""
    return _render("not_found.html", feeds=())


def unavailable_page() -> bytes:
    """Shown when the database cannot be reached; the reader is asked to try again."""
    return _render("unavailable.html", feeds=())


def _render(template: str, **context: object) -> bytes:
    return ENV.get_template(template).render(**context).encode()
