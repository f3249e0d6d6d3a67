"""The site's query strings, checked: anything unknown falls back, with a notice, never a 500.

A reader (or a crawler) may send any bytes. Filter values must be in the network's
vocabulary, the page a positive number within range, the search words short; whatever is
wrong is dropped and named in a notice, and the page still renders. The library (`/`) and
the listings (`/ta`, `/policy`: `ListingQuery`) read their parameters by the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from core.vocabulary import (
    FUNDING_STREAMS,
    PILLARS,
    REGION_OF_COUNTY,
    REGIONS,
    TA_COSTS,
    TA_OFFER_FORMATS,
    TA_TOPICS,
)
from handlers.policy.query import FILTERS as POLICY_FILTERS
from storage.repositories.library import LibraryFilters

MAX_WORDS = 200
PAGE = re.compile(r"[1-9][0-9]{0,5}")  # up to 999,999: beyond any real library

CHOICES: Mapping[str, Mapping[str, str]] = {
    "pillar": PILLARS,
    "region": {name: name for name in REGIONS},
    "county": {name: name for name in sorted(REGION_OF_COUNTY)},
    "funding": FUNDING_STREAMS,
}
LABELS = {"pillar": "pillar", "region": "region", "county": "county", "funding": "funding stream"}
# The TA directory's filters, as `/ccsn find-ta` has them (cost: any of the three, not only free).
TA_CHOICES: Mapping[str, Mapping[str, str]] = {
    "topic": TA_TOPICS,
    "region": {name: name for name in REGIONS},
    "format": TA_OFFER_FORMATS,
    "cost": TA_COSTS,
}
TA_LABELS = {"topic": "topic", "region": "region", "format": "format", "cost": "cost"}
# The policy tracker's filters: exactly `/ccsn policy`'s.
POLICY_CHOICES: Mapping[str, Mapping[str, str]] = POLICY_FILTERS
POLICY_LABELS = {
    "kind": "kind",
    "status": "status",
    "pillar": "pillar",
    "funding": "funding stream",
}


@dataclass(frozen=True)
class LibraryQuery:
    """A valid request for one page of the library."""

    filters: LibraryFilters = field(default_factory=LibraryFilters)
    words: str = ""
    page: int = 1
    notices: tuple[str, ...] = field(default=())

    def link(self, **changes: object) -> str:
        """The library's address for this request with some parameters changed.

        The page goes back to 1 unless given, since a new filter makes old page numbers moot.
        """
        values: dict[str, object] = {
            "q": self.words,
            **{facet: getattr(self.filters, facet) for facet in CHOICES},
            "page": None,
        }
        values.update(changes)
        kept = {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}
        return "/?" + urlencode(kept) if kept else "/"

    def with_notice(self, notice: str) -> LibraryQuery:
        """The same request, back on the first page, with one more thing to tell the reader."""
        return LibraryQuery(self.filters, self.words, 1, (*self.notices, notice))


@dataclass(frozen=True)
class ListingQuery:
    """A valid request for one page of `/ta` or `/policy`: one value or None per filter."""

    path: str
    chosen: tuple[tuple[str, str | None], ...]
    words: str = ""
    page: int = 1
    notices: tuple[str, ...] = field(default=())

    def value(self, name: str) -> str | None:
        """The chosen value of filter `name`, if any."""
        return dict(self.chosen).get(name)

    def link(self, **changes: object) -> str:
        """This listing's address with some parameters changed (the page back to 1 unless given)."""
        values: dict[str, object] = {"q": self.words, **dict(self.chosen), "page": None}
        values.update(changes)
        kept = {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}
        return f"{self.path}?{urlencode(kept)}" if kept else self.path

    def with_notice(self, notice: str) -> ListingQuery:
        """The same request, back on the first page, with one more thing to tell the reader."""
        return ListingQuery(self.path, self.chosen, self.words, 1, (*self.notices, notice))


def parse(query_string: str) -> LibraryQuery:
    """Read `q`, `page` and the four filters; drop what is invalid and say so."""
    raw = _parse_qs(query_string)
    if raw is None:
        return LibraryQuery(notices=(TOO_MANY,))
    chosen, notices = _choices(raw, CHOICES, LABELS)
    words, page = _words_and_page(raw, notices)
    return LibraryQuery(LibraryFilters(**chosen), words, page, tuple(notices))


def parse_listing(
    path: str,
    query_string: str,
    choices: Mapping[str, Mapping[str, str]],
    labels: Mapping[str, str],
) -> ListingQuery:
    """Read `q`, `page` and the filters `choices` names, by the library's rules."""
    raw = _parse_qs(query_string)
    if raw is None:
        return ListingQuery(path, tuple((name, None) for name in choices), notices=(TOO_MANY,))
    chosen, notices = _choices(raw, choices, labels)
    words, page = _words_and_page(raw, notices)
    return ListingQuery(path, tuple(chosen.items()), words, page, tuple(notices))


TOO_MANY = "That address had too many parameters; showing everything."


def _parse_qs(query_string: str) -> dict[str, list[str]] | None:
    try:
        return parse_qs(query_string, keep_blank_values=True, max_num_fields=20)
    except ValueError:
        return None


def _choices(
    raw: dict[str, list[str]],
    choices: Mapping[str, Mapping[str, str]],
    labels: Mapping[str, str],
) -> tuple[dict[str, str | None], list[str]]:
    notices: list[str] = []
    chosen: dict[str, str | None] = {}
    for facet, options in choices.items():
        value = _first(raw, facet)
        if value and value not in options:
            notices.append(
                f"That {labels[facet]} is not one we know; showing every {labels[facet]}."
            )
            value = ""
        chosen[facet] = value or None
    return chosen, notices


def _words_and_page(raw: dict[str, list[str]], notices: list[str]) -> tuple[str, int]:
    words = " ".join(_first(raw, "q").split())
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
        notices.append(f"Searches use the first {MAX_WORDS} characters.")
    page = 1
    page_text = _first(raw, "page")
    if page_text:
        if PAGE.fullmatch(page_text):
            page = int(page_text)
        else:
            notices.append("That page number is not valid; showing the first page.")
    return words, page


def _first(raw: dict[str, list[str]], name: str) -> str:
    values = raw.get(name)
    return values[0].strip() if values else ""
