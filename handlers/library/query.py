"""The library's query string, checked: anything unknown falls back, with a notice, never a 500.

A reader (or a crawler) may send any bytes. Filter values must be in the network's
vocabulary, the page a positive number within range, the search words short; whatever is
wrong is dropped and named in a notice, and the page still renders.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from core.vocabulary import FUNDING_STREAMS, PILLARS, REGION_OF_COUNTY, REGIONS
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


def parse(query_string: str) -> LibraryQuery:
    """Read `q`, `page` and the four filters; drop what is invalid and say so."""
    try:
        raw = parse_qs(query_string, keep_blank_values=True, max_num_fields=20)
    except ValueError:
        return LibraryQuery(notices=("That address had too many parameters; showing everything.",))
    notices: list[str] = []
    chosen: dict[str, str | None] = {}
    for facet, options in CHOICES.items():
        value = _first(raw, facet)
        if value and value not in options:
            notices.append(
                f"That {LABELS[facet]} is not one we know; showing every {LABELS[facet]}."
            )
            value = ""
        chosen[facet] = value or None
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
    return LibraryQuery(LibraryFilters(**chosen), words, page, tuple(notices))


def _first(raw: dict[str, list[str]], name: str) -> str:
    values = raw.get(name)
    return values[0].strip() if values else ""
