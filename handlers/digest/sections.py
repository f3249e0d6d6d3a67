"""The digest's sections as data: what each lists, grouped, as escaped mrkdwn lines. Pure.

Each kind of content (practices, TA requests, events) has an entry dataclass and a builder
that turns entries into a `DigestSection`. The layout (`layout.py`) knows nothing of practices
or events: it only packs sections into messages within Slack's limits. A new kind of content
needs an entry type, a builder here, and a source in `sources.py`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.vocabulary import EVENT_TYPES, PILLARS, POLICY_KINDS, STAGE_LABELS, TA_COSTS, TA_TOPICS
from handlers import blocks
from storage.outbox_links import Links, filled_length


def measure(text: str) -> int:
    """Characters `text` can have once the outbox has filled in its links to posts."""
    return filled_length(text)


def safe(text: str, limit: int) -> str:
    """Member text as escaped mrkdwn, shown as typed (links come only from `Links`)."""
    return blocks.quote(text, limit)


def titled(title: str, key: str | None, links: Links, limit: int = 200) -> str:
    """A bold title, linked to its post when it has one."""
    text = safe(title, limit)
    return f"*{links.link(key, text)}*" if key else f"*{text}*"


@dataclass(frozen=True)
class DigestGroup:
    """Lines listed under one heading (a pillar, a day); `heading` is escaped mrkdwn or None."""

    heading: str | None
    lines: tuple[str, ...]


@dataclass(frozen=True)
class DigestSection:
    """One titled part of a digest.

    Attributes:
        title: plain-text header, such as "New practices".
        nouns: what one item and several items are, for "and 12 more new practices".
        where: escaped mrkdwn saying where to find items not listed ("in <#C0123>").
        groups: the items as escaped mrkdwn lines, under their headings.
    """

    title: str
    nouns: tuple[str, str]
    where: str
    groups: tuple[DigestGroup, ...]

    @property
    def total(self) -> int:
        """How many items the section has, listed or not."""
        return sum(len(group.lines) for group in self.groups)

    def count(self, number: int) -> str:
        """`1 new practice`, `3 new practices`."""
        return f"{number} {self.nouns[0] if number == 1 else self.nouns[1]}"


@dataclass(frozen=True)
class PracticeEntry:
    """An approved practice as the digest shows it."""

    title: str
    organisation: str
    county: str
    pillars: Sequence[str]
    post_key: str | None = None


@dataclass(frozen=True)
class HelpEntry:
    """An open TA request whose requester allowed the network to see it."""

    topic: str
    region: str
    needed_by: date | None
    post_key: str | None = None


@dataclass(frozen=True)
class EventEntry:
    """An approved event coming up."""

    title: str
    starts_at: datetime
    event_type: str
    region: str | None = None
    post_key: str | None = None


@dataclass(frozen=True)
class OfferingEntry:
    """A TA offering newly listed in the directory."""

    organisation: str
    topics: Sequence[str]
    regions: Sequence[str]
    cost: str
    post_key: str | None = None


@dataclass(frozen=True)
class PolicyEntry:
    """A published policy update that moved in the window (approved or its status changed)."""

    title: str
    kind: str
    stage: str
    identifier: str | None = None
    post_key: str | None = None


@dataclass(frozen=True)
class DeadlineEntry:
    """One key date of a published policy update, coming up."""

    title: str
    label: str
    on: date
    post_key: str | None = None


def channel_hint(channel: str | None, fallback: str) -> str:
    """Where to find the rest: a channel mention when the channel is configured."""
    return f"in <#{channel}>" if channel else fallback


def day(at: date) -> str:
    """A short date such as `Tue Dec 1` (without the platform-specific `%-d`)."""
    return f"{at:%a %b} {at.day}"


def clock_time(at: datetime) -> str:
    """A local clock time such as `9:00 AM PST`."""
    return f"{at.hour % 12 or 12}:{at:%M %p %Z}"


def new_practices(entries: Sequence[PracticeEntry], *, where: str, links: Links) -> DigestSection:
    """Practices approved since the last digest, grouped by their first pillar."""
    by_pillar: dict[str, list[PracticeEntry]] = {}
    for entry in entries:
        pillar = next((p for p in entry.pillars if p in PILLARS), "")
        by_pillar.setdefault(pillar, []).append(entry)
    groups = []
    for pillar in [*PILLARS, ""]:  # the network's order of pillars, then anything untagged
        if pillar not in by_pillar:
            continue
        heading = f"*{blocks.escape(PILLARS.get(pillar, 'Other practices'))}*"
        lines = tuple(
            f"• {titled(e.title, e.post_key, links)} — {safe(e.organisation, 150)}"
            f" · {safe(e.county, 40)} County"
            for e in by_pillar[pillar]
        )
        groups.append(DigestGroup(heading, lines))
    return DigestSection("New practices", ("new practice", "new practices"), where, tuple(groups))


def can_you_help(entries: Sequence[HelpEntry], *, where: str, links: Links) -> DigestSection:
    """Open TA requests a member could help with, soonest need first."""
    undated = date.max
    lines = []
    for entry in sorted(entries, key=lambda e: e.needed_by or undated):
        topic = blocks.escape(TA_TOPICS.get(entry.topic, entry.topic))
        topic = f"*{links.link(entry.post_key, topic)}*" if entry.post_key else f"*{topic}*"
        needed = f"needed by {day(entry.needed_by)}" if entry.needed_by else "no deadline"
        lines.append(f"• {topic} — {safe(entry.region, 60)} · {needed}")
    groups = (DigestGroup(None, tuple(lines)),) if lines else ()
    return DigestSection("Can you help?", ("request for help", "requests for help"), where, groups)


def coming_up(
    entries: Sequence[EventEntry], *, tz: ZoneInfo, where: str, links: Links
) -> DigestSection:
    """Events in the coming days, by local day, each with its local start time."""
    ordered = sorted(entries, key=lambda e: e.starts_at)
    groups = []
    for start, members in itertools.groupby(
        ordered, key=lambda e: e.starts_at.astimezone(tz).date()
    ):
        lines = []
        for entry in members:
            local = entry.starts_at.astimezone(tz)
            kind = blocks.escape(EVENT_TYPES.get(entry.event_type, entry.event_type))
            region = f" · {safe(entry.region, 60)}" if entry.region else ""
            title = titled(entry.title, entry.post_key, links)
            lines.append(f"• {clock_time(local)} — {title} · {kind}{region}")
        groups.append(DigestGroup(f"*{start:%A, %B} {start.day}*", tuple(lines)))
    return DigestSection("Coming up", ("event", "events"), where, tuple(groups))


def new_ta_available(
    entries: Sequence[OfferingEntry], *, where: str, links: Links
) -> DigestSection:
    """Offerings approved since the last digest, in the order they were listed."""
    lines = []
    for entry in entries:
        topics = ", ".join(TA_TOPICS.get(t, t) for t in entry.topics[:2])
        more = f" (+{len(entry.topics) - 2})" if len(entry.topics) > 2 else ""
        regions = ", ".join("Statewide" if r == "statewide" else r for r in entry.regions)
        cost = TA_COSTS.get(entry.cost, entry.cost)
        lines.append(
            f"• {titled(entry.organisation, entry.post_key, links, 150)} — "
            f"{safe(topics, 200)}{more} · {safe(regions, 200)} · {safe(cost, 40)}"
        )
    groups = (DigestGroup(None, tuple(lines)),) if lines else ()
    return DigestSection("New TA available", ("new TA offering", "new TA offerings"), where, groups)


def policy_and_funding(
    moved: Sequence[PolicyEntry],
    deadlines: Sequence[DeadlineEntry],
    *,
    where: str,
    links: Links,
) -> DigestSection:
    """Policy updates that moved in the window, then every key date coming up, soonest first."""
    groups = []
    if moved:
        lines = []
        for entry in moved:
            what = POLICY_KINDS.get(entry.kind, entry.kind)
            if entry.identifier:
                what += f" {entry.identifier}"
            stage = STAGE_LABELS.get(entry.stage, entry.stage)
            lines.append(
                f"• {titled(entry.title, entry.post_key, links)} — {safe(what, 60)} · "
                f"{safe(stage, 40)}"
            )
        groups.append(DigestGroup("*New and moving*", tuple(lines)))
    if deadlines:
        lines = [
            f"• {day(entry.on)} — {safe(entry.label, 60)}: "
            f"{titled(entry.title, entry.post_key, links)}"
            for entry in sorted(deadlines, key=lambda e: e.on)
        ]
        groups.append(DigestGroup("*Key dates in the next two weeks*", tuple(lines)))
    return DigestSection("Policy & funding", ("policy item", "policy items"), where, tuple(groups))
