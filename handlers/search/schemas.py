"""Reading a search: free words plus `pillar:`, `county:`, `region:` and `funding:` terms."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from core.vocabulary import FUNDING_STREAMS, PILLARS, REGION_OF_COUNTY, REGIONS

FILTER_KEYS = ("pillar", "county", "region", "funding")


@dataclass(frozen=True)
class SearchQuery:
    """What a member asked for: words, exact filters (stored slugs and names), and problems.

    `problems` are filter values we could not recognise, to tell the member about; the search
    runs without them.
    """

    words: str
    pillars: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    funding_streams: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def _norm(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value).strip().lower()


def _match(value: str, options: dict[str, str]) -> str | None:
    """The key of the option whose key or label equals, or whose label contains, `value`."""
    wanted = _norm(value)
    for key, label in options.items():
        if wanted in (_norm(key), _norm(label)):
            return key
    hits = [key for key, label in options.items() if wanted and wanted in _norm(label)]
    return hits[0] if len(hits) == 1 else None


def parse_query(text: str) -> SearchQuery:
    """Split `text` into words and exact filters; quotes keep multi-word values together."""
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unmatched quote: treat the text as plain words
        tokens = text.replace('"', " ").replace("'", " ").split()
    words: list[str] = []
    found: dict[str, list[str]] = {key: [] for key in FILTER_KEYS}
    problems: list[str] = []
    vocabularies = {
        "pillar": dict(PILLARS),
        "county": {c: c for c in REGION_OF_COUNTY},
        "region": {r: r for r in REGIONS},
        "funding": dict(FUNDING_STREAMS),
    }
    for token in tokens:
        key, colon, value = token.partition(":")
        if colon and key.lower() in FILTER_KEYS and value:
            match = _match(value, vocabularies[key.lower()])
            if match is None:
                problems.append(f"I don't know the {key.lower()} “{value}”.")
            else:
                found[key.lower()].append(match)
        else:
            words.append(token)
    return SearchQuery(
        words=" ".join(words),
        pillars=tuple(found["pillar"]),
        counties=tuple(found["county"]),
        regions=tuple(found["region"]),
        funding_streams=tuple(found["funding"]),
        problems=tuple(problems),
    )
