"""`/ccsn policy [words] [kind:…] [status:…] [pillar:…] [funding:…]`: the tracker, searched.

Words go through the full-text index (documents of kind `policy_update`); the filters are
exact, on the vocabulary's values or labels. Updates with a deadline still ahead come first,
soonest first; the rest follow, most recently decided first.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from core.vocabulary import FUNDING_STREAMS, PILLARS, POLICY_KINDS, STAGE_LABELS
from handlers import blocks
from handlers.deps import Deps
from handlers.policy import service, views
from handlers.policy.schemas import key_dates_of
from storage.models import PolicyUpdate
from storage.repositories.search import SearchFilters

SHOWN = 10
WORD_MATCHES = 200  # the most index hits a query's words are matched against
FILTERS = {
    "kind": POLICY_KINDS,
    "status": STAGE_LABELS,
    "pillar": PILLARS,
    "funding": FUNDING_STREAMS,
}
USAGE_HINT = (
    'Narrow it with `kind:bill`, `status:"in committee"`, `pillar:engagement` or `funding:elop`.'
)


@dataclass(frozen=True)
class PolicyQuery:
    """Words, and the slugs each filter asked for; `problems` are values nobody knows."""

    words: str
    chosen: dict[str, tuple[str, ...]]
    problems: tuple[str, ...] = ()


def _norm(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value).strip().lower()


def _match(value: str, options: dict[str, str] | Any) -> str | None:
    """The key whose key or label equals, or whose label alone contains, `value`."""
    wanted = _norm(value)
    for key, label in options.items():
        if wanted in (_norm(key), _norm(label)):
            return str(key)
    hits = [key for key, label in options.items() if wanted and wanted in _norm(label)]
    return str(hits[0]) if len(hits) == 1 else None


def parse_policy_query(text: str) -> PolicyQuery:
    """Split `text` into words and filters; quotes keep multi-word values together."""
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unmatched quote: plain words
        tokens = text.replace('"', " ").replace("'", " ").split()
    words: list[str] = []
    chosen: dict[str, list[str]] = {key: [] for key in FILTERS}
    problems: list[str] = []
    for token in tokens:
        key, colon, value = token.partition(":")
        name = key.lower()
        if colon and name in FILTERS and value:
            match = _match(value, FILTERS[name])
            if match is None:
                problems.append(f"I don't know the {name} “{value[:40]}”.")
            else:
                chosen[name].append(match)
        else:
            words.append(token)
    return PolicyQuery(
        words=" ".join(words),
        chosen={key: tuple(values) for key, values in chosen.items()},
        problems=tuple(problems),
    )


def next_date(update: PolicyUpdate, today: date) -> date | None:
    """The soonest key date still ahead (today counts), if any."""
    ahead = [d.on for d in key_dates_of(update.key_dates) if d.on >= today]
    return min(ahead, default=None)


def _wanted(update: PolicyUpdate, query: PolicyQuery) -> bool:
    chosen = query.chosen
    return (
        (not chosen["kind"] or update.update_kind in chosen["kind"])
        and (not chosen["status"] or update.stage in chosen["status"])
        and (not chosen["pillar"] or not set(chosen["pillar"]).isdisjoint(update.pillars))
        and (not chosen["funding"] or not set(chosen["funding"]).isdisjoint(update.funding_streams))
    )


def find(deps: Deps, text: str) -> tuple[list[PolicyUpdate], PolicyQuery, date]:
    """Every published update matching `text`, open deadlines first; and the parsed query."""
    query = parse_policy_query(text)
    updates, today = search(deps, query)
    return updates, query, today


def search(deps: Deps, query: PolicyQuery) -> tuple[list[PolicyUpdate], date]:
    """Every published update `query` asks for, open deadlines first; and today's date.

    `/ccsn policy` and the public tracker page both read through here, so the order (a
    deadline still ahead first, soonest first; then the most recently decided) is one rule.
    """
    today = deps.clock().astimezone(deps.settings.timezone).date()
    with deps.uow() as uow:
        updates = [u for u in uow.policy_updates.approved() if _wanted(u, query)]
        if query.words:
            hits = uow.search.search(
                query.words, SearchFilters(kinds=(service.SEARCH_KIND,)), limit=WORD_MATCHES
            )
            rank = {hit.document.ref_id: number for number, hit in enumerate(hits)}
            updates = sorted((u for u in updates if u.id in rank), key=lambda u: rank[u.id])
    far = date.max

    def order(update: PolicyUpdate) -> tuple[int, date]:
        upcoming = next_date(update, today)
        return (0, upcoming) if upcoming is not None else (1, far)

    return sorted(updates, key=order), today  # stable: ties keep the order above


def results_message(
    asked: str, updates: list[PolicyUpdate], query: PolicyQuery, today: date, tz: ZoneInfo
) -> dict[str, Any]:
    """The ephemeral answer to `/ccsn policy`."""
    heading = blocks.quote(asked, 200) if asked else "everything being tracked"
    lines = [f"*Policy & funding:* {heading}"]
    lines += [f":grey_question: {blocks.escape(problem)}" for problem in query.problems]
    if not updates:
        lines.append(f"No published update matches. {USAGE_HINT}")
    body = [blocks.section("\n".join(lines))]
    for update in updates[:SHOWN]:
        upcoming = next_date(update, today)
        dated = [d for d in key_dates_of(update.key_dates) if d.on == upcoming]
        when = f"\n:calendar: {views.key_date_line(dated[0], tz)}" if dated else ""
        what = views.kind_label(update.update_kind)
        if update.identifier:
            what += f" · {update.identifier}"
        body.append(
            blocks.section(
                f"*{blocks.escape(update.title)}*\n"
                f"{blocks.escape(what)} · {blocks.escape(views.stage_label(update.stage))} · "
                f"{blocks.escape(views.jurisdiction_label(update))}{when}"
            )
        )
    if len(updates) > SHOWN:
        body.append(blocks.context(f"…and {len(updates) - SHOWN} more. {USAGE_HINT}"))
    text = f"{len(updates)} policy update(s) for {heading}"
    return {"text": text, "blocks": body}
