"""Seeded, deterministic rows of a network's history: practices, TA requests and events.

Each generator yields column values for one table: first the history, spread over the five
years before the current week and finished before the week began, then `recent` rows
submitted during the week before `now`. So what a digest for that week must show is the same
whatever the size of the history: a bigger archive adds only rows the digest must skip.

Text is drawn from a domain vocabulary with Zipf-like frequencies, as real writing is: a few
words ("families", "students") appear in most summaries, most words in few. Searches then
range from very common words to rare ones, as members' searches do.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

from core.vocabulary import (
    EVENT_TYPES,
    FUNDING_STREAMS,
    PILLARS,
    REGION_OF_COUNTY,
    REGIONS,
    TA_FORMATS,
    TA_TOPICS,
)
from handlers.events.schemas import STATEWIDE
from storage.models import EventStatus, PracticeStatus, TaFeedback, TaStatus

DEFAULT_SEED = 8
DEFAULT_NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # a Monday, 9:00 in California
COORDINATORS = ("UCOORD001", "UCOORD002")
PROVIDERS = tuple(f"UPROVIDER{n:02d}" for n in range(12))
WEEK = timedelta(days=7)
HISTORY = timedelta(days=5 * 365)

# Status mix of a network's history: most practices were approved long ago.
STATUS_WEIGHTS = {
    PracticeStatus.APPROVED: 80,
    PracticeStatus.REJECTED: 8,
    PracticeStatus.PENDING: 7,
    PracticeStatus.CHANGES_REQUESTED: 5,
}
# Requests older than the week were closed long ago (the reminder jobs see to that); the week's
# own are at every stage.
TA_HISTORY_WEIGHTS = {TaStatus.RESOLVED: 80, TaStatus.CANCELLED: 20}
TA_RECENT_WEIGHTS = {
    TaStatus.OPEN: 50,
    TaStatus.CLAIMED: 25,
    TaStatus.RESOLVED: 20,
    TaStatus.CANCELLED: 5,
}
EVENT_HISTORY_WEIGHTS = {
    EventStatus.APPROVED: 80,
    EventStatus.REJECTED: 8,
    EventStatus.CANCELLED: 7,
    EventStatus.CHANGES_REQUESTED: 5,
}
EVENT_RECENT_WEIGHTS = {
    EventStatus.APPROVED: 60,
    EventStatus.PENDING: 30,
    EventStatus.CHANGES_REQUESTED: 5,
    EventStatus.REJECTED: 5,
}

ACTIVITIES = (
    "family resource nights", "attendance mentoring", "restorative circles", "food pantry",
    "after-school tutoring", "mental health drop-in", "parent leadership academy",
    "home visits", "summer bridge", "college and career nights", "school-based clinic",
    "peer mediation", "coordination of services team", "community walk", "newcomer welcome",
    "dental screening day", "literacy for families", "youth advisory council",
)  # fmt: skip
QUALITIES = (
    "bilingual", "weekly", "student-led", "trauma-informed", "county-wide", "evening",
    "neighbourhood", "data-driven", "low-cost", "year-round", "partner-run", "family-centred",
)  # fmt: skip
# Most frequent first: the n-th word is drawn with weight 1/n.
WORDS = (
    "families", "students", "community", "support", "school", "partners", "teachers",
    "attendance", "wellness", "services", "parents", "health", "program", "staff", "district",
    "county", "coordinator", "meals", "referrals", "counselors", "outcomes", "language",
    "enrollment", "mentors", "leadership", "council", "trust", "schedule", "budget",
    "evenings", "survey", "volunteers", "library", "transport", "grant", "clinic", "tutoring",
    "literacy", "math", "newcomers", "housing", "nutrition", "dental", "vision", "asthma",
    "immunizations", "counseling", "therapy", "mediation", "circles", "restorative",
    "discipline", "suspensions", "chronic", "absence", "belonging", "identity", "culture",
    "celebration", "festival", "garden", "farmers", "market", "pantry", "clothing", "closet",
    "laundry", "internet", "hotspots", "laptops", "workshops", "classes", "citizenship",
    "english", "spanish", "vietnamese", "hmong", "tagalog", "punjabi", "arabic", "interpreters",
    "translation", "promotoras", "navigators", "caseworkers", "nurses", "psychologists",
    "interns", "americorps", "alumni", "graduation", "credits", "internships", "apprenticeships",
    "scholarships", "fafsa", "transcripts", "robotics", "murals", "theater", "soccer", "yoga",
)  # fmt: skip
WORD_CUMULATIVE = tuple(accumulate(1 / rank for rank in range(1, len(WORDS) + 1)))
ORGANISATION_KINDS = ("High School", "Elementary", "Middle School", "Unified", "Academy")
PLACES = (
    "Roosevelt", "Lincoln", "Washington", "Cesar Chavez", "Jefferson", "Oak Grove", "Riverside",
    "Valley View", "Mission", "Sierra Vista", "Bayview", "Hillcrest", "Pacific", "Del Mar",
)  # fmt: skip
SENTENCES = 4096  # summaries are 2-4 sentences from a pool this size: varied, and quick to draw


class _Draw:
    """Quick seeded draws: `random.Random`'s helpers cost more than the rows they fill."""

    def __init__(self, seed: str) -> None:
        rng = random.Random(seed)  # a str seed is hashed the same way in every process
        self.random: Callable[[], float] = rng.random
        self.rng = rng
        self._cumulative: dict[int, tuple[list[Any], list[int]]] = {}
        self.sentences = [self._sentence() for _ in range(SENTENCES)]

    def pick(self, options: Sequence[Any]) -> Any:
        return options[int(self.random() * len(options))]

    def weighted(self, weights: Mapping[Any, int]) -> Any:
        options, cumulative = self._cumulative.get(id(weights)) or self._cache(weights)
        return options[bisect(cumulative, self.random() * cumulative[-1])]

    def _cache(self, weights: Mapping[Any, int]) -> tuple[list[Any], list[int]]:
        self._cumulative[id(weights)] = (list(weights), list(accumulate(weights.values())))
        return self._cumulative[id(weights)]

    def chance(self, p: float) -> bool:
        return self.random() < p

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def number(self) -> int:
        return int(self.random() * 1_000_000_000)

    def some(self, options: Sequence[str], low: int, high: int) -> list[str]:
        return self.rng.sample(options, self.between(low, high))

    def text(self) -> str:
        return " ".join(self.pick(self.sentences) for _ in range(self.between(2, 4)))

    def title(self) -> str:
        return f"{self.pick(QUALITIES).capitalize()} {self.pick(ACTIVITIES)}"

    def organisation(self) -> str:
        return f"{self.pick(PLACES)} {self.pick(ORGANISATION_KINDS)}"

    def _sentence(self) -> str:
        count = self.rng.randint(6, 12)
        words = self.rng.choices(WORDS, cum_weights=WORD_CUMULATIVE, k=count)
        return " ".join(words).capitalize() + "."


COUNTIES = sorted(REGION_OF_COUNTY)
PILLAR_KEYS = sorted(PILLARS)
FUNDING_KEYS = sorted(FUNDING_STREAMS)
TA_TOPIC_KEYS = sorted(TA_TOPICS)
TA_FORMAT_KEYS = sorted(TA_FORMATS)
EVENT_KEYS = sorted(EVENT_TYPES)
REGION_NAMES = sorted(REGIONS)


def _draws(seed: int, stream: str) -> tuple[_Draw, _Draw]:
    """Separate draws for the history and the week, so the week is the same at every size."""
    return _Draw(f"{seed}:{stream}:history"), _Draw(f"{seed}:{stream}:week")


def _when(draw: _Draw, now: datetime, i: int, history: int, *, gap: timedelta) -> datetime:
    """When row `i` was submitted: in the history (ending `gap` before the week) or the week."""
    if i < history:
        return now - WEEK - gap - draw.random() * HISTORY
    return now - draw.random() * WEEK


def practice_rows(
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    now: datetime = DEFAULT_NOW,
    recent: int = 0,
    status_weights: Mapping[PracticeStatus, int] = STATUS_WEIGHTS,
) -> Iterator[dict[str, Any]]:
    """`count` practices as column values; the last `recent` were submitted in the last week.

    Older ones were decided within four days of submission and before the week began; the
    week's were decided by `now`. `status_weights` sets the mix of review states
    (`{PracticeStatus.APPROVED: 1}` for an archive of approved practices only).
    """
    old_draw, week_draw = _draws(seed, "practices")
    history = count - recent
    decision_time = timedelta(days=4)
    for i in range(count):
        draw = old_draw if i < history else week_draw
        submitted = _when(draw, now, i, history, gap=decision_time)
        status = draw.weighted(status_weights)
        decided = None
        if status is not PracticeStatus.PENDING:
            wait = decision_time if i < history else now - submitted
            decided = submitted + draw.random() * wait
        county = draw.pick(COUNTIES)
        yield {
            "status": status,
            "submitter_id": f"UMEMBER{draw.between(0, 4999):04d}",
            "title": draw.title(),
            "summary": draw.text(),
            "pillars": draw.some(PILLAR_KEYS, 1, 2),
            "county": county,
            "region": REGION_OF_COUNTY[county],
            "organisation": draw.organisation(),
            "funding_streams": draw.some(FUNDING_KEYS, 0, 3),
            "link": f"https://example.org/practices/{draw.number()}" if draw.chance(0.6) else None,
            "credit_submitter": draw.chance(0.7),
            "revision": 1,
            "created_at": submitted,
            "submitted_at": submitted,
            "decided_at": decided,
            "decided_by": draw.pick(COORDINATORS) if decided else None,
            "decision_reason": None,
        }


def ta_request_rows(
    count: int, *, seed: int = DEFAULT_SEED, now: datetime = DEFAULT_NOW, recent: int = 0
) -> Iterator[dict[str, Any]]:
    """`count` TA requests; the last `recent` were asked in the last week.

    Older requests were resolved or cancelled within 30 days, before the week began; the
    week's are open, claimed, resolved or cancelled, some of them allowed in the digest.
    """
    old_draw, week_draw = _draws(seed, "ta_requests")
    history = count - recent
    handling = timedelta(days=30)
    for i in range(count):
        draw = old_draw if i < history else week_draw
        created = _when(draw, now, i, history, gap=handling)
        weights = TA_HISTORY_WEIGHTS if i < history else TA_RECENT_WEIGHTS
        status = draw.weighted(weights)
        span = handling if i < history else now - created  # how long it could take, at most
        claimed_at = resolved_at = cancelled_at = None
        if status in (TaStatus.CLAIMED, TaStatus.RESOLVED):
            claimed_at = created + draw.random() * span / 2
        if status is TaStatus.RESOLVED:
            assert claimed_at is not None
            resolved_at = claimed_at + draw.random() * span / 2
        if status is TaStatus.CANCELLED:
            cancelled_at = created + draw.random() * span
        feedback = None
        if resolved_at is not None and draw.chance(0.6):
            feedback = TaFeedback.HELPFUL if draw.chance(0.85) else TaFeedback.NOT_HELPFUL
        county = draw.pick(COUNTIES)
        yield {
            "status": status,
            "requester_id": f"UMEMBER{draw.between(0, 4999):04d}",
            "topic": draw.pick(TA_TOPIC_KEYS),
            "need": draw.text(),
            "county": county,
            "region": REGION_OF_COUNTY[county],
            "organisation": draw.organisation(),
            "needed_by": (created + timedelta(days=draw.between(7, 60))).date(),
            "format": draw.pick(TA_FORMAT_KEYS),
            "share_in_digest": draw.chance(0.4),
            "created_at": created,
            "opened_at": created,
            "claims": 0 if claimed_at is None else 1,
            "claimed_by": None if claimed_at is None else draw.pick(PROVIDERS),
            "claimed_at": claimed_at,
            "resolved_at": resolved_at,
            "resolution": None if resolved_at is None else draw.pick(draw.sentences),
            "cancelled_at": cancelled_at,
            "feedback": feedback,
            "feedback_at": None if feedback is None else resolved_at,
        }


def event_rows(
    count: int, *, seed: int = DEFAULT_SEED, now: datetime = DEFAULT_NOW, recent: int = 0
) -> Iterator[dict[str, Any]]:
    """`count` events; the last `recent` were announced in the last week.

    Older events took place before the week began (announced one to eight weeks ahead); the
    week's start in the next six weeks, so some fall in the digest's two-week "Coming up".
    """
    old_draw, week_draw = _draws(seed, "events")
    history = count - recent
    for i in range(count):
        draw = old_draw if i < history else week_draw
        if i < history:
            starts = now - WEEK - draw.random() * HISTORY
            submitted = starts - timedelta(days=7 + draw.random() * 49)
            status = draw.weighted(EVENT_HISTORY_WEIGHTS)
            wait = timedelta(days=4)
        else:
            submitted = now - draw.random() * WEEK
            starts = now + timedelta(days=1 + draw.random() * 41)
            status = draw.weighted(EVENT_RECENT_WEIGHTS)
            wait = now - submitted
        decided = None if status is EventStatus.PENDING else submitted + draw.random() * wait
        cancelled = status is EventStatus.CANCELLED
        cancelled_at = (
            decided + (starts - decided) * draw.random() if decided and cancelled else None
        )
        virtual = draw.chance(0.6)
        kind = draw.pick(EVENT_KEYS)
        yield {
            "status": status,
            "submitter_id": f"UMEMBER{draw.between(0, 4999):04d}",
            "title": f"{EVENT_TYPES[kind].split(' /')[0]}: {draw.pick(ACTIVITIES)}",
            "event_type": kind,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=draw.between(1, 3)),
            "virtual_link": f"https://zoom.example.org/j/{draw.number()}" if virtual else None,
            "location": None if virtual else f"{draw.pick(PLACES)} Community Center",
            "registration_link": (
                f"https://example.org/events/{draw.number()}" if draw.chance(0.5) else None
            ),
            "host_organisation": draw.organisation(),
            "region": STATEWIDE if draw.chance(0.3) else draw.pick(REGION_NAMES),
            "description": draw.text(),
            "revision": 1,
            "sequence": 1 if cancelled else 0,
            "created_at": submitted,
            "submitted_at": submitted,
            "updated_at": cancelled_at or decided or submitted,
            "rescheduled_at": None,
            "decided_at": decided,
            "decided_by": draw.pick(COORDINATORS) if decided else None,
            "decision_reason": None,
            "cancelled_at": cancelled_at,
            "cancelled_by": draw.pick(COORDINATORS) if cancelled else None,
            "cancel_reason": "Postponed" if cancelled else None,
        }
