"""The weekly digest and personal digests: what goes in, who gets it, and exactly once.

A digest is recorded in `digests` in the same transaction that queues its messages in the
outbox. The unique (channel, period_key) makes that insert the single point where a second
run (a restart, a retry, another process, `ccsn-bot digest post`) finds the period taken and
stops. Slack is never called here: the outbox delivers, so an outage delays a digest without
losing it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

from core.config import Settings
from core.schedule import PeriodicJob, cron
from handlers import blocks
from handlers.deps import Deps
from handlers.digest import period, views
from handlers.digest.layout import DigestIntro, Limits, Message, layout
from handlers.digest.schemas import SubscriptionForm
from handlers.digest.sources import (
    EVERYTHING,
    SOURCES,
    DigestFilter,
    DigestWindow,
    SourceResult,
)
from storage import outbox_links
from storage.models import DigestSubscription
from storage.outbox_links import Links
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

JOB_NAME = "digest"
SCHEDULER = "scheduler"  # the actor recorded for digests nobody asked for by hand
NOT_COORDINATOR = "Only coordinators can preview the digest."
PERSONAL_LIMITS = Limits(messages=1)  # a DM stays one message; the rest is counted


@dataclass(frozen=True)
class PostOutcome:
    """What happened when a digest was asked for."""

    posted: bool
    period_key: str
    messages: int = 0
    reason: str = ""


def trigger(settings: Settings) -> BaseTrigger:
    """The digest's schedule: `CCSN_DIGEST_CRON` in `CCSN_TIMEZONE`, daylight saving included."""
    return cron(settings.ccsn_digest_cron, settings.timezone)


def jobs(deps: Deps) -> list[PeriodicJob]:
    """The weekly run, caught up after downtime within `CCSN_DIGEST_GRACE_HOURS`."""
    return [
        PeriodicJob(
            JOB_NAME,
            trigger(deps.settings),
            lambda due: run_scheduled(deps, due),
            grace=timedelta(hours=deps.settings.ccsn_digest_grace_hours),
        )
    ]


def run_scheduled(deps: Deps, due: datetime) -> None:
    """The scheduled run for `due`: the channel digest, then every personal digest.

    Personal digests go out even if the channel digest failed; the failure is still raised
    afterwards, so the scheduler logs it.
    """
    key = period.period_key(due, deps.settings.timezone)
    try:
        if deps.settings.ccsn_digest_channel:
            outcome = post_digest(deps, due, actor_id=SCHEDULER)
            log.info(
                "digest.run period=%s posted=%s messages=%s",
                key,
                outcome.posted,
                outcome.messages,
            )
        else:
            log.warning("digest.no_channel period=%s setting=CCSN_DIGEST_CHANNEL", key)
    finally:
        sent = send_personal_digests(deps, due)
        log.info("digest.personal period=%s sent=%s", key, sent)


def _window(
    uow: UnitOfWork, settings: Settings, channel: str, due: datetime, now: datetime
) -> DigestWindow:
    """From where the channel's last digest ended (or the previous scheduled time) to now."""
    last = uow.digests.latest(channel)
    if last is not None:
        return DigestWindow(since=last.covered_until, until=now)
    before = period.previous_due(trigger(settings), due)
    return DigestWindow(since=before or due - timedelta(days=7), until=now)


def _collect(
    uow: UnitOfWork, settings: Settings, window: DigestWindow, wanted: DigestFilter, links: Links
) -> list[SourceResult]:
    return [source(uow, window, settings, wanted, links) for source in SOURCES]


def _fallback(title: str, results: Sequence[SourceResult]) -> str:
    counts = [r.section.count(r.section.total) for r in results if r.section.total]
    return blocks.escape(f"{title}: {', '.join(counts) or 'a quiet week'}")


def channel_digest(
    uow: UnitOfWork, settings: Settings, due: datetime, now: datetime, channel: str, links: Links
) -> tuple[DigestWindow, list[Message]]:
    """The network digest for the period starting at `due`, as of `now`, linked with `links`."""
    window = _window(uow, settings, channel, due, now)
    results = _collect(uow, settings, window, EVERYTHING, links)
    title = f"CCSN weekly digest · {period.label(due, settings.timezone)}"
    intro = DigestIntro(
        title=title,
        tally="*This week:* " + " · ".join(r.tally for r in results),
        fallback=_fallback(title, results),
    )
    return window, layout(intro, [r.section for r in results])


def post_digest(deps: Deps, due: datetime, *, actor_id: str) -> PostOutcome:
    """Queue the network digest for the period starting at `due`, unless it already went out.

    The parent message carries a key; any continuation replies name it in `thread_of`, so the
    outbox posts them into its thread once it has a `ts`.
    """
    settings = deps.settings
    channel = settings.ccsn_digest_channel
    assert channel, "callers check CCSN_DIGEST_CHANNEL first"
    key = period.period_key(due, settings.timezone)
    with deps.uow() as uow:
        now = deps.clock()
        if uow.digests.get(channel, key) is not None:
            return PostOutcome(False, key, reason="already posted")
        links = Links()
        window, messages = channel_digest(uow, settings, due, now, channel, links)
        digest = uow.digests.claim(
            channel=channel,
            period_key=key,
            covered_from=window.since,
            covered_until=window.until,
            messages=len(messages),
            at=now,
        )
        if digest is None:
            return PostOutcome(False, key, reason="already posted")
        parent = outbox_links.digest_key(channel, key)
        for number, message in enumerate(messages):
            uow.outbox.enqueue(
                method="chat.postMessage",
                channel=channel,
                payload=message,
                at=now,
                key=parent if number == 0 else None,
                thread_of=parent if number > 0 else None,
                links=links,
            )
        uow.audit.record(
            entity_type="digest", entity_id=digest.id, action="posted", actor_id=actor_id, at=now
        )
        uow.commit()
    return PostOutcome(True, key, messages=len(messages))


def post_current(deps: Deps, *, actor_id: str) -> PostOutcome:
    """Post the current period's digest now (`ccsn-bot digest post`); once, like the schedule."""
    now = deps.clock()
    due = period.current_due(trigger(deps.settings), now) or now
    return post_digest(deps, due, actor_id=actor_id)


def preview(deps: Deps) -> list[Message]:
    """The coming digest as it would be posted now, without recording or sending anything.

    Links to posts are shown as their labels: the outbox fills them in only when it posts.
    """
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        due = period.next_due(trigger(settings), now) or now
        channel = settings.ccsn_digest_channel or ""
        _, messages = channel_digest(uow, settings, due, now, channel, Links())
    return [outbox_links.unlinked(message) for message in messages]


def coordinator_preview(deps: Deps, user_id: str) -> Message | str:
    """`/ccsn digest`: the preview for a coordinator, or why they cannot see it."""
    if not deps.settings.is_coordinator(user_id):
        return NOT_COORDINATOR
    return views.preview(preview(deps))


def _filter(subscription: DigestSubscription) -> DigestFilter:
    return DigestFilter(
        regions=frozenset(subscription.regions),
        pillars=frozenset(subscription.pillars),
        ta_topics=frozenset(subscription.ta_topics),
        funding_streams=frozenset(subscription.funding_streams or []),
    )


def _send_personal(deps: Deps, subscription: DigestSubscription, due: datetime) -> bool:
    """Queue one member's digest for the period, unless it is empty or already sent."""
    settings = deps.settings
    user_id = subscription.user_id
    key = period.period_key(due, settings.timezone)
    with deps.uow() as uow:
        now = deps.clock()
        if uow.digests.get(user_id, key) is not None:
            return False
        window = _window(uow, settings, user_id, due, now)
        links = Links()
        results = _collect(uow, settings, window, _filter(subscription), links)
        if all(r.section.total == 0 for r in results):
            return False  # nothing for this member this week: no DM rather than an empty one
        title = f"Your CCSN digest · {period.label(due, settings.timezone)}"
        intro = DigestIntro(
            title=title,
            tally=f"For {views.filter_summary(subscription)}",
            fallback=_fallback(title, results),
            footer=(views.manage_buttons(),),
        )
        [message] = layout(intro, [r.section for r in results], PERSONAL_LIMITS)
        digest = uow.digests.claim(
            channel=user_id,
            period_key=key,
            covered_from=window.since,
            covered_until=window.until,
            messages=1,
            at=now,
        )
        if digest is None:
            return False
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=user_id,
            payload=message,
            at=now,
            key=outbox_links.digest_key(user_id, key),
            links=links,
        )
        uow.audit.record(
            entity_type="digest", entity_id=digest.id, action="sent", actor_id=SCHEDULER, at=now
        )
        uow.commit()
    return True


def send_personal_digests(deps: Deps, due: datetime) -> int:
    """Queue every subscriber's digest for the period; how many were queued by this call.

    One transaction per member, so hundreds of members never make one long transaction, and
    one member's failure does not hold back the rest. The outbox paces delivery.
    """
    with deps.uow() as uow:
        subscriptions = list(uow.digest_subscriptions.all())
    sent = 0
    for subscription in subscriptions:
        try:
            sent += _send_personal(deps, subscription, due)
        except Exception:  # one member's digest must not stop everyone else's
            log.exception("digest.personal_failed user=%s", subscription.user_id)
    return sent


def current_subscription(deps: Deps, user_id: str) -> DigestSubscription | None:
    """The member's subscription, to fill the form with."""
    with deps.uow() as uow:
        return uow.digest_subscriptions.get(user_id)


def subscribe(deps: Deps, *, user_id: str, form: SubscriptionForm, view_id: str) -> bool:
    """Save the member's filters and confirm by DM; False when this view was already handled."""
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        if not uow.handled_views.claim(view_id, now):
            return False
        subscription, new = uow.digest_subscriptions.save(
            user_id,
            regions=form.regions,
            pillars=form.pillars,
            ta_topics=form.ta_topics,
            funding_streams=form.funding_streams,
            at=now,
        )
        uow.audit.record(
            entity_type="digest_subscription",
            entity_id=subscription.id,
            action="subscribed" if new else "changed",
            actor_id=user_id,
            at=now,
        )
        next_at = period.next_due(trigger(settings), now)
        when = views.when(next_at, settings.timezone) if next_at else "with the next digest"
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=user_id,
            payload=views.subscribed_message(form, f"on {when}" if next_at else when, new=new),
            at=now,
        )
        uow.commit()
    return True


def unsubscribe(deps: Deps, *, user_id: str) -> str | None:
    """Stop the member's personal digest; a message for them if there was nothing to stop.

    Whose subscription ends comes from the user Slack vouches for, never from the button.
    """
    with deps.uow() as uow:
        now = deps.clock()
        removed = uow.digest_subscriptions.remove(user_id)
        if removed is None:
            return "You're not subscribed to a personal digest. `/ccsn subscribe` starts one."
        uow.audit.record(
            entity_type="digest_subscription",
            entity_id=removed,
            action="unsubscribed",
            actor_id=user_id,
            at=now,
        )
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=user_id,
            payload=views.unsubscribed_message(),
            at=now,
        )
        uow.commit()
    return None
