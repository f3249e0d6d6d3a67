"""Finding TA: `/ccsn find-ta [words] [topic:…] [region:…] [format:…] [cost:free]`.

Words go through the full-text index (kind `ta_offering`, ranked as `/ccsn search` ranks);
the filters are exact, against the listed offerings themselves, so an offering serving several
regions (or statewide) is found from any of them.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass

from core.vocabulary import REGIONS, TA_OFFER_FORMATS, TA_TOPICS
from handlers.deps import Deps
from handlers.ta_offerings.views import KIND_NAME, DirectoryQuery
from storage.models import TaOffering
from storage.repositories.search import SearchFilters
from storage.repositories.ta_offerings import OfferingFilters
from storage.uow import UnitOfWork

MAX_RESULTS = 10
# How many full-text matches the filters then narrow; far more than the directory will hold.
WORD_MATCHES = 500
FILTER_KEYS = ("topic", "region", "format", "cost")


@dataclass(frozen=True)
class FindQuery:
    """A parsed `/ccsn find-ta`: free words, exact filters, and what could not be read."""

    words: str
    filters: OfferingFilters
    problems: tuple[str, ...] = ()


def _norm(value: str) -> str:
    return re.sub(r"[\s_\-/&]+", " ", value).strip().lower()


def _match(value: str, options: Mapping[str, str]) -> str | None:
    """The option whose key or label equals, or whose label alone contains, `value`."""
    wanted = _norm(value)
    for key, label in options.items():
        if wanted in (_norm(key), _norm(label)):
            return key
    hits = [key for key, label in options.items() if wanted and wanted in _norm(label)]
    return hits[0] if len(hits) == 1 else None


def parse_find(text: str) -> FindQuery:
    """Split `text` into words and filters; quotes keep multi-word values together."""
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unmatched quote: read the text as plain words
        tokens = text.replace('"', " ").replace("'", " ").split()
    vocabularies: dict[str, Mapping[str, str]] = {
        "topic": TA_TOPICS,
        "region": {region: region for region in REGIONS},
        "format": TA_OFFER_FORMATS,
        "cost": {"free": "free"},
    }
    words: list[str] = []
    found: dict[str, list[str]] = {key: [] for key in FILTER_KEYS}
    problems: list[str] = []
    for token in tokens:
        key, colon, value = token.partition(":")
        key = key.lower()
        if not (colon and key in FILTER_KEYS and value):
            words.append(token)
            continue
        match = _match(value, vocabularies[key])
        if match is None:
            hint = " (only `cost:free` is a filter)" if key == "cost" else ""
            problems.append(f"I don't know the {key} “{value[:60]}”{hint}.")
        else:
            found[key].append(match)
    return FindQuery(
        words=" ".join(words),
        filters=OfferingFilters(
            topics=tuple(dict.fromkeys(found["topic"])),
            region=found["region"][-1] if found["region"] else None,
            formats=tuple(dict.fromkeys(found["format"])),
            free_only=bool(found["cost"]),
        ),
        problems=tuple(problems),
    )


def matching(uow: UnitOfWork, words: str) -> list[int] | None:
    """Offering ids the full-text index ranks for `words`, best first; None without words.

    None means "do not narrow"; an empty list means nothing matched. `/ccsn find-ta` and the
    public directory both narrow this way, so a word finds the same offerings in either.
    """
    if not words.strip():
        return None
    hits = uow.search.search(words, SearchFilters(kinds=(KIND_NAME,)), limit=WORD_MATCHES)
    return [hit.document.ref_id for hit in hits]


def find(deps: Deps, text: str) -> tuple[DirectoryQuery, list[TaOffering]]:
    """The best listed offerings for `text`, at most `MAX_RESULTS`.

    By word rank when words are given, else the most recently confirmed first.
    """
    query = parse_find(text)
    with deps.uow() as uow:
        among = matching(uow, query.words)
        offerings = uow.ta_offerings.listed(query.filters, among=among, limit=MAX_RESULTS)
    topic = query.filters.topics[0] if query.filters.topics else None
    return DirectoryQuery(text=text, topic=topic, problems=query.problems), offerings
