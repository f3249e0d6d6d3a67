"""Where each digest section's content comes from: one small query function per section.

A source reads what it needs through the unit of work, keeps what the reader asked for, and
returns a section (built in `sections.py`) and a phrase for the week's one-line count. The
digest lists sources in `SOURCES`; the layout treats them all alike.

Still to plug in, once their models land (see the README, "Weekly digest"):
- "Can you help?": open TA requests whose requester allowed it, filtered by region and TA
  topic, as `sections.can_you_help(...)`; tally: requests resolved in the window.
- "Coming up": approved events starting within `EVENTS_AHEAD` of the window's end, filtered
  by region, as `sections.coming_up(...)`; tally: events coming up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.config import Settings
from handlers.digest.sections import DigestSection, PracticeEntry, channel_hint, new_practices
from handlers.review.service import published_key
from storage.models import OutboxStatus
from storage.uow import UnitOfWork

EVENTS_AHEAD = timedelta(days=14)


@dataclass(frozen=True)
class DigestWindow:
    """What a digest covers: things that happened after `since` and up to `until` (now)."""

    since: datetime
    until: datetime


@dataclass(frozen=True)
class DigestFilter:
    """What a member's personal digest keeps; an empty set keeps everything."""

    regions: frozenset[str] = field(default_factory=frozenset)
    pillars: frozenset[str] = field(default_factory=frozenset)
    ta_topics: frozenset[str] = field(default_factory=frozenset)

    def wants_region(self, region: str | None) -> bool:
        """Whether something in `region` belongs (anything does when no region was chosen)."""
        return not self.regions or region in self.regions

    def wants_pillars(self, pillars: Iterable[str]) -> bool:
        """Whether something tagged with `pillars` belongs."""
        return not self.pillars or not self.pillars.isdisjoint(pillars)

    def wants_topic(self, topic: str) -> bool:
        """Whether a TA request on `topic` belongs."""
        return not self.ta_topics or topic in self.ta_topics


EVERYTHING = DigestFilter()


@dataclass(frozen=True)
class SourceResult:
    """A section, and its part of the week's count ("3 practices shared")."""

    section: DigestSection
    tally: str


class SectionSource(Protocol):
    """Reads one section's content for a window, keeping what `wanted` asks for."""

    def __call__(
        self, uow: UnitOfWork, window: DigestWindow, settings: Settings, wanted: DigestFilter
    ) -> SourceResult:
        """The section and its tally."""


def plural(count: int, one: str, many: str) -> str:
    """`1 practice shared`, `3 practices shared`."""
    return f"{count} {one if count == 1 else many}"


def linked_posts(uow: UnitOfWork, keys: Iterable[str]) -> set[str]:
    """The outbox keys among `keys` that can be linked: queued or sent, not failed.

    A source gives an entry its post's key only if it is here, so the outbox never has to
    fill a link to a post that was never going to exist.
    """
    posts = uow.outbox.by_keys(list(keys))
    return {key for key, post in posts.items() if post.status is not OutboxStatus.FAILED}


def practices_source(
    uow: UnitOfWork, window: DigestWindow, settings: Settings, wanted: DigestFilter
) -> SourceResult:
    """Practices approved in the window, each linked to its post in the practices channel."""
    approved = [
        practice
        for practice in uow.practices.approved_between(window.since, window.until)
        if wanted.wants_region(practice.region) and wanted.wants_pillars(practice.pillars)
    ]
    linked = linked_posts(uow, (published_key(p.id) for p in approved))
    entries = [
        PracticeEntry(
            title=p.title,
            organisation=p.organisation,
            county=p.county,
            pillars=p.pillars,
            post_key=published_key(p.id) if published_key(p.id) in linked else None,
        )
        for p in approved
    ]
    where = channel_hint(settings.ccsn_practices_channel, "in the practices channel")
    return SourceResult(
        new_practices(entries, where=where),
        plural(len(entries), "practice shared", "practices shared"),
    )


SOURCES: tuple[SectionSource, ...] = (practices_source,)
