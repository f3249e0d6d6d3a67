"""Where each digest section's content comes from: one small query function per section.

A source reads what it needs through the unit of work, keeps what the reader asked for, and
returns a section (built in `sections.py`) and a phrase for the week's one-line count. The
digest lists sources in `SOURCES`; the layout treats them all alike.

The sections: new practices (approved in the window), "Can you help?" (open TA requests whose
requester allowed it), "Coming up" (approved events starting within `EVENTS_AHEAD`) and "New TA
available" (TA directory offerings approved in the window and still listed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from core.config import Settings
from handlers.digest.sections import (
    DeadlineEntry,
    DigestSection,
    EventEntry,
    HelpEntry,
    OfferingEntry,
    PolicyEntry,
    PracticeEntry,
    can_you_help,
    channel_hint,
    coming_up,
    new_practices,
    new_ta_available,
    policy_and_funding,
)
from handlers.policy.schemas import key_dates_of
from storage.models import OutboxStatus, PolicyUpdate
from storage.outbox_links import Links, published_key, ta_post_key
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
    funding_streams: frozenset[str] = field(default_factory=frozenset)

    def wants_region(self, region: str | None) -> bool:
        """Whether something in `region` belongs (anything does when no region was chosen)."""
        return not self.regions or region in self.regions

    def wants_pillars(self, pillars: Iterable[str]) -> bool:
        """Whether something tagged with `pillars` belongs."""
        return not self.pillars or not self.pillars.isdisjoint(pillars)

    def wants_funding(self, funding_streams: Iterable[str]) -> bool:
        """Whether something tagged with `funding_streams` belongs."""
        return not self.funding_streams or not self.funding_streams.isdisjoint(funding_streams)

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
        self,
        uow: UnitOfWork,
        window: DigestWindow,
        settings: Settings,
        wanted: DigestFilter,
        links: Links,
    ) -> SourceResult:
        """The section and its tally; links to posts are made with `links`."""


def plural(count: int, one: str, many: str) -> str:
    """`1 practice shared`, `3 practices shared`."""
    return f"{count} {one if count == 1 else many}"


def linked_posts(uow: UnitOfWork, keys: Mapping[int, str]) -> dict[int, str | None]:
    """Each item's post key (`keys`, by item id) if that post can be linked, else None.

    A post can be linked while it is queued or sent, not once it failed: a source gives an
    entry its post's key only then, so the outbox never has to fill a link to a post that was
    never going to exist.
    """
    posts = uow.outbox.by_keys(list(keys.values()))
    return {
        item_id: key if key in posts and posts[key].status is not OutboxStatus.FAILED else None
        for item_id, key in keys.items()
    }


def practices_source(
    uow: UnitOfWork,
    window: DigestWindow,
    settings: Settings,
    wanted: DigestFilter,
    links: Links,
) -> SourceResult:
    """Practices approved in the window, each linked to its post in the practices channel."""
    approved = [
        practice
        for practice in uow.practices.approved_between(window.since, window.until)
        if wanted.wants_region(practice.region) and wanted.wants_pillars(practice.pillars)
    ]
    post_keys = linked_posts(uow, {p.id: published_key("practice", p.id) for p in approved})
    entries = [
        PracticeEntry(
            title=p.title,
            organisation=p.organisation,
            county=p.county,
            pillars=p.pillars,
            post_key=post_keys[p.id],
        )
        for p in approved
    ]
    where = channel_hint(settings.ccsn_practices_channel, "in the practices channel")
    return SourceResult(
        new_practices(entries, where=where, links=links),
        plural(len(entries), "practice shared", "practices shared"),
    )


def help_source(
    uow: UnitOfWork,
    window: DigestWindow,
    settings: Settings,
    wanted: DigestFilter,
    links: Links,
) -> SourceResult:
    """Open TA requests the requester allowed us to list, each linked to its TA-channel post."""
    requests = [
        r
        for r in uow.ta_requests.open_for_digest()
        if wanted.wants_region(r.region) and wanted.wants_topic(r.topic)
    ]
    post_keys = linked_posts(uow, {r.id: ta_post_key(r.id) for r in requests})
    entries = [
        HelpEntry(
            topic=r.topic,
            region=r.region,
            needed_by=r.needed_by,
            post_key=post_keys[r.id],
        )
        for r in requests
    ]
    resolved = uow.ta_requests.count_resolved_between(window.since, window.until)
    where = channel_hint(settings.ccsn_ta_channel, "in the TA channel")
    return SourceResult(
        can_you_help(entries, where=where, links=links),
        plural(resolved, "TA request resolved", "TA requests resolved"),
    )


def events_source(
    uow: UnitOfWork,
    window: DigestWindow,
    settings: Settings,
    wanted: DigestFilter,
    links: Links,
) -> SourceResult:
    """Approved events starting in the next two weeks; statewide ones suit every region."""
    events = [
        e
        for e in uow.events.starting_within(window.until, EVENTS_AHEAD)
        if e.region == "statewide" or wanted.wants_region(e.region)
    ]
    post_keys = linked_posts(uow, {e.id: published_key("event", e.id) for e in events})
    entries = [
        EventEntry(
            title=e.title,
            starts_at=e.starts_at,
            event_type=e.event_type,
            region="Statewide" if e.region == "statewide" else e.region,
            post_key=post_keys[e.id],
        )
        for e in events
    ]
    where = channel_hint(settings.ccsn_events_channel, "in the events channel")
    return SourceResult(
        coming_up(entries, tz=settings.timezone, where=where, links=links),
        plural(len(entries), "event coming up", "events coming up"),
    )


def offerings_source(
    uow: UnitOfWork,
    window: DigestWindow,
    settings: Settings,
    wanted: DigestFilter,
    links: Links,
) -> SourceResult:
    """TA offerings approved in the window, each linked to its TA-channel post.

    A personal digest keeps those serving one of its regions (statewide serves all) and
    covering one of its TA topics.
    """
    offerings = [
        o
        for o in uow.ta_offerings.approved_between(window.since, window.until)
        if ("statewide" in o.regions or any(wanted.wants_region(r) for r in o.regions))
        and any(wanted.wants_topic(t) for t in o.topics)
    ]
    post_keys = linked_posts(uow, {o.id: published_key("ta_offering", o.id) for o in offerings})
    entries = [
        OfferingEntry(
            organisation=o.organisation,
            topics=o.topics,
            regions=o.regions,
            cost=o.cost,
            post_key=post_keys[o.id],
        )
        for o in offerings
    ]
    where = channel_hint(settings.ccsn_ta_channel, "with `/ccsn find-ta`")
    return SourceResult(
        new_ta_available(entries, where=where, links=links),
        plural(len(entries), "TA offering listed", "TA offerings listed"),
    )


POLICY_AHEAD = timedelta(days=14)


def policy_source(
    uow: UnitOfWork,
    window: DigestWindow,
    settings: Settings,
    wanted: DigestFilter,
    links: Links,
) -> SourceResult:
    """Policy updates approved or moved in the window, and key dates in the next two weeks.

    A statewide update suits every region; a county's suits its own. Pillars and funding
    streams filter as they do for practices.
    """

    def keep(update: PolicyUpdate) -> bool:
        return (
            (update.region is None or wanted.wants_region(update.region))
            and wanted.wants_pillars(update.pillars)
            and wanted.wants_funding(update.funding_streams)
        )

    tz = settings.timezone
    today = window.until.astimezone(tz).date()
    last = (window.until + POLICY_AHEAD).astimezone(tz).date()
    moved = [u for u in uow.policy_updates.moved_between(window.since, window.until) if keep(u)]
    dated = [u for u in uow.policy_updates.with_dates_from(today) if keep(u)]
    post_keys = linked_posts(uow, {u.id: published_key("policy", u.id) for u in [*moved, *dated]})

    def key(update: PolicyUpdate) -> str | None:
        return post_keys[update.id]

    entries = [
        PolicyEntry(u.title, u.update_kind, u.stage, u.identifier, post_key=key(u)) for u in moved
    ]
    deadlines = [
        DeadlineEntry(u.title, d.label, d.on, post_key=key(u))
        for u in dated
        for d in key_dates_of(u.key_dates)
        if today <= d.on <= last
    ]
    where = channel_hint(settings.ccsn_policy_channel, "in the policy channel")
    return SourceResult(
        policy_and_funding(entries, deadlines, where=where, links=links),
        plural(len(deadlines), "policy deadline ahead", "policy deadlines ahead"),
    )


SOURCES: tuple[SectionSource, ...] = (
    practices_source,
    help_source,
    events_source,
    offerings_source,
    policy_source,
)
