"""Atom feeds of approved practices, built with `feedgen` (all, per pillar, per region).

Feed readers need absolute links, so every id and link starts from the site's base URL
(`CCSN_PUBLIC_URL` when set). The feed's `updated` is the latest approval in it, never the
wall clock, so the same library always gives the same bytes (and the same ETag).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from core.vocabulary import PILLARS, REGIONS
from storage.models import Practice

# XML 1.0 forbids most control characters; a member's text must not break the feed.
_NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
EMPTY_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)
AUTHOR = "California Community Schools Network"


def slug(name: str) -> str:
    """A region name as it appears in a feed's address: `Bay Area` → `bay-area`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


REGION_SLUGS = {slug(name): name for name in REGIONS}
PILLAR_SLUGS = {key.replace("_", "-"): key for key in PILLARS}


def pillar_feed_path(pillar: str) -> str:
    """Where the feed of one pillar lives."""
    return f"/feeds/pillars/{pillar.replace('_', '-')}.atom"


def region_feed_path(region: str) -> str:
    """Where the feed of one region lives."""
    return f"/feeds/regions/{slug(region)}.atom"


ALL_PATH = "/feeds/practices.atom"


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def atom(practices: Sequence[Practice], *, title: str, base_url: str, path: str) -> bytes:
    """An Atom document with these practices, newest first."""
    feed = FeedGenerator()
    feed.id(base_url + path)
    feed.title(_text(title))
    feed.author({"name": AUTHOR})
    feed.link(href=base_url + path, rel="self", type="application/atom+xml")
    feed.link(href=base_url + "/", rel="alternate", type="text/html")
    feed.language("en")
    feed.subtitle("Practices shared by members of the California Community Schools Network")
    latest = max((p.decided_at for p in practices if p.decided_at), default=None)
    feed.updated(latest or EMPTY_UPDATED)
    for practice in practices:
        entry = feed.add_entry(order="append")
        url = f"{base_url}/practices/{practice.id}"
        entry.id(url)
        entry.title(_text(practice.title))
        entry.link(href=url, rel="alternate", type="text/html")
        entry.summary(_text(practice.summary))
        when = practice.decided_at or EMPTY_UPDATED
        entry.published(when)
        entry.updated(when)
        for pillar in practice.pillars:
            entry.category(term=pillar, label=PILLARS.get(pillar, pillar))
    data: bytes = feed.atom_str(pretty=True)
    return data
