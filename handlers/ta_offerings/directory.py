"""Finding TA: `/ccsn find-ta [words] [topic:…] [region:…] [format:…] [cost:free]` and Find TA.

Home's Find TA form asks the same search field by field. Words go through the full-text
index (kind `ta_offering`, ranked as `/ccsn search` ranks); the filters are exact, against the
listed offerings themselves, so an offering serving several regions (or statewide) is found
from any of them.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.vocabulary import REGIONS, TA_OFFER_FORMATS, TA_TOPICS
from handlers import forms
from handlers.deps import Deps
from handlers.ta_offerings import ids
from handlers.ta_offerings.views import FIND_WORDS_MAX, FREE, KIND_NAME, DirectoryQuery
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
            hint = " (only cost:free is a filter)" if key == "cost" else ""
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


def parse_find_form(values: forms.StateValues) -> FindQuery | dict[str, str]:
    """Home's Find TA form as a search, or `{block_id: message}` for Slack to show.

    Every field is optional (nothing chosen lists the most recently confirmed offerings);
    only a value Slack could not have offered (a forged or stale option, over-long words) is
    refused, on its own field.
    """
    errors: dict[str, str] = {}
    words = forms.text_value(values, ids.FIND_WORDS_BLOCK, ids.FIND_WORDS_INPUT)
    if len(words) > FIND_WORDS_MAX:
        errors[ids.FIND_WORDS_BLOCK] = f"Use at most {FIND_WORDS_MAX} characters."

    def chosen(block_id: str, action_id: str, known: Any, noun: str) -> str | None:
        value = forms.selected_value(values, block_id, action_id)
        if value is not None and value not in known:
            errors[block_id] = f"Choose a {noun} from the list."
            return None
        return value

    topic = chosen(ids.FIND_TOPIC_BLOCK, ids.FIND_TOPIC_INPUT, TA_TOPICS, "topic")
    region = chosen(ids.FIND_REGION_BLOCK, ids.FIND_REGION_INPUT, REGIONS, "region")
    offered_as = chosen(ids.FIND_FORMAT_BLOCK, ids.FIND_FORMAT_INPUT, TA_OFFER_FORMATS, "format")
    cost = forms.selected_values(values, ids.FIND_COST_BLOCK, ids.FIND_COST_INPUT)
    if cost is None or any(value != FREE for value in cost):
        errors[ids.FIND_COST_BLOCK] = "Choose from the list."
    if errors:
        return errors
    return FindQuery(
        words=words,
        filters=OfferingFilters(
            topics=(topic,) if topic else (),
            region=region,
            formats=(offered_as,) if offered_as else (),
            free_only=bool(cost),
        ),
    )


def choices(query: FindQuery) -> dict[str, Any]:
    """What the form showed, to carry in the results' metadata and fill Search again with."""
    filters = query.filters
    return {
        "words": query.words,
        "topic": filters.topics[0] if filters.topics else None,
        "region": filters.region,
        "format": filters.formats[0] if filters.formats else None,
        "free": filters.free_only,
    }


def describe(query: FindQuery) -> str:
    """The search in words, as the results repeat it (raw text; the view escapes it)."""
    filters = query.filters
    parts = [query.words] if query.words else []
    parts += [TA_TOPICS.get(topic, topic) for topic in filters.topics]
    parts += [filters.region] if filters.region else []
    parts += [TA_OFFER_FORMATS.get(f, f) for f in filters.formats]
    parts += ["free"] if filters.free_only else []
    return " · ".join(parts)


def search(deps: Deps, query: FindQuery) -> list[TaOffering]:
    """The best listed offerings for `query`, at most `MAX_RESULTS`.

    By word rank when words are given, else the most recently confirmed first.
    """
    with deps.uow() as uow:
        among = matching(uow, query.words)
        return uow.ta_offerings.listed(query.filters, among=among, limit=MAX_RESULTS)


def asked(query: FindQuery, text: str) -> DirectoryQuery:
    """What the answer repeats of the search: its text, its first topic, what was not read."""
    topic = query.filters.topics[0] if query.filters.topics else None
    return DirectoryQuery(text=text, topic=topic, problems=query.problems)


def find(deps: Deps, text: str) -> tuple[DirectoryQuery, list[TaOffering]]:
    """`/ccsn find-ta <text>`: what was asked, and the best listed offerings for it."""
    query = parse_find(text)
    return asked(query, text), search(deps, query)
