"""HTML for the public site: Jinja2 templates with autoescaping on for every template.

Member text reaches the page only through the template engine, which escapes it; nothing here
builds HTML by hand. Links a member typed are shown as links only when they are http(s)
(a policy source only when https, a TA contact only when https or mailto:), else as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from core.vocabulary import (
    FUNDING_STREAMS,
    PILLARS,
    TA_COSTS,
    TA_LANGUAGES,
    TA_OFFER_FORMATS,
    TA_TOPICS,
)
from handlers.events.views import region_label, type_label
from handlers.library.query import (
    CHOICES,
    LABELS,
    POLICY_CHOICES,
    POLICY_LABELS,
    TA_CHOICES,
    TA_LABELS,
    ListingQuery,
)
from handlers.library.service import DirectoryResult, LibraryResult, TrackerResult
from handlers.policy import views as policy_views
from handlers.policy.schemas import key_dates_of
from handlers.ta_offerings.schemas import STATEWIDE, contact_link_error
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


def https_url(url: str | None) -> str | None:
    """`url` if it is an absolute https address (a policy update's source), else None."""
    safe = safe_url(url)
    return safe if safe and urlsplit(safe).scheme.lower() == "https" else None


def contact_url(link: str | None) -> str | None:
    """A TA contact as a link: an https address or a well-formed `mailto:`, else None."""
    if not link or contact_link_error(link) is not None:
        return None
    return link if link.lower().startswith("mailto:") else https_url(link)


def _day(at: datetime | None, tz: ZoneInfo) -> str:
    if at is None:
        return ""
    local = at.astimezone(tz)
    return f"{local:%B} {local.day}, {local.year}"


def _time(at: datetime, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    hour = local.strftime("%I").lstrip("0")
    return f"{local:%a}, {local:%b} {local.day}, {local.year}, {hour}:{local:%M} {local:%p}"


def _history(entry: dict[str, Any], tz: ZoneInfo) -> dict[str, str]:
    """One status change as the public reads it: when, and what (never who: a Slack ID)."""
    try:
        at: datetime | None = datetime.fromisoformat(str(entry.get("at")))
    except ValueError:
        at = None
    what = entry.get("note") or policy_views.stage_label(str(entry.get("stage") or ""))
    return {
        "when": _day(at, tz),
        "iso": at.astimezone(tz).date().isoformat() if at else "",
        "what": str(what),
    }


ENV.filters["safe_url"] = safe_url
ENV.filters["https_url"] = https_url
ENV.filters["contact_url"] = contact_url
ENV.filters["day"] = _day
ENV.filters["time"] = _time
ENV.globals.update(
    site_name=SITE_NAME,
    pillar_label=lambda slug: PILLARS.get(slug, slug),
    funding_label=lambda slug: FUNDING_STREAMS.get(slug, slug),
    region_label=region_label,
    type_label=type_label,
    topic_label=lambda slug: TA_TOPICS.get(slug, slug),
    format_label=lambda slug: TA_OFFER_FORMATS.get(slug, slug),
    cost_label=lambda slug: TA_COSTS.get(slug, slug),
    language_label=lambda slug: TA_LANGUAGES.get(slug, slug),
    served_label=lambda slug: "Statewide" if slug == STATEWIDE else slug,
    kind_label=policy_views.kind_label,
    stage_label=policy_views.stage_label,
    jurisdiction_label=policy_views.jurisdiction_label,
    long_day=policy_views.long_day,
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


def _filters(
    query: ListingQuery, choices: Mapping[str, Mapping[str, str]], labels: Mapping[str, str]
) -> list[dict[str, object]]:
    """The select boxes of a listing: each filter's options, the chosen one marked."""
    return [
        {
            "name": name,
            "label": labels[name].capitalize(),
            "selected": query.value(name),
            "options": [{"value": value, "label": label} for value, label in options.items()],
        }
        for name, options in choices.items()
    ]


def ta_page(result: DirectoryResult, *, tz: ZoneInfo, feeds: Sequence[Feed]) -> bytes:
    """The TA directory: filters, 20 listed offerings and the pager (no Slack IDs shown)."""
    return _render(
        "ta.html",
        result=result,
        query=result.query,
        filters=_filters(result.query, TA_CHOICES, TA_LABELS),
        feeds=feeds,
        tz=tz,
    )


def policy_page(
    result: TrackerResult, *, tz: ZoneInfo, feeds: Sequence[Feed], deadlines: str
) -> bytes:
    """The policy and funding tracker, open deadlines first, each with its status history."""
    return _render(
        "policy.html",
        result=result,
        query=result.query,
        filters=_filters(result.query, POLICY_CHOICES, POLICY_LABELS),
        feeds=feeds,
        tz=tz,
        zone=tz.key,
        deadlines=deadlines,
        dates_of=lambda update: key_dates_of(update.key_dates),
        history_of=lambda update: [_history(entry, tz) for entry in update.history or []],
        today=result.today,
    )


def not_found_page() -> bytes:
    """The same page for an id that never existed and one that is not public."""
    return _render("not_found.html", feeds=())


def unavailable_page() -> bytes:
    """Shown when the database cannot be reached; the reader is asked to try again."""
    return _render("unavailable.html", feeds=())


def _render(template: str, **context: object) -> bytes:
    return ENV.get_template(template).render(**context).encode()
