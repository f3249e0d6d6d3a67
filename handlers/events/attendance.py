"""RSVPs and reminders: who is going, the live count on the announcement, and the DM before.

A reminder is claimed in `job_runs` in the same unit of work as its DM, so it goes out once
however many processes run the job, and again after a crash only if the first try never
committed.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from handlers.deps import Deps
from handlers.events import messages
from handlers.events.service import update_announcement
from storage.models import EventStatus

REMINDER_JOB = "events.reminder"


def set_rsvp(deps: Deps, *, user_id: str, event_id: int, going: bool, rewrite: bool = False) -> str:
    """Record that `user_id` is going (or not), and queue the new count; what to tell them.

    Idempotent: the click says which state it wants, so a replayed or double-clicked request
    lands in the same state and gets the same answer, and changes nothing the second time.
    `rewrite` rewrites the announcement even then (a click on a post with the old RSVP
    toggle, which this replaces with Going / Not going).

    The event row is locked first, so simultaneous clicks on one event take turns: each sees
    the others' RSVPs when it counts, and the last edit queued shows the true total.
    """
    settings = deps.settings
    lead = timedelta(hours=settings.ccsn_event_reminder_hours)
    with deps.uow() as uow:
        now = deps.clock()
        event = uow.events.lock(event_id)
        if event is None:
            return "That event no longer exists."
        if event.status is EventStatus.CANCELLED:
            return "This event has been cancelled."
        if event.status is not EventStatus.APPROVED:
            return "This event is not open for RSVPs."
        if event.ends_at <= now:
            return "This event has already ended."
        if going:
            changed = uow.rsvps.add(event_id, user_id, now)
        else:
            changed = uow.rsvps.remove(event_id, user_id)
        if changed:
            uow.audit.record(
                entity_type="event",
                entity_id=event_id,
                action="rsvp" if going else "rsvp_withdrawn",
                actor_id=user_id,
                at=now,
            )
        if changed or rewrite:
            update_announcement(uow, deps, event, now)
        uow.commit()
        reminded = now < event.starts_at - lead
        return messages.rsvp_reply(
            event.title,
            going=going,
            reminder_hours=settings.ccsn_event_reminder_hours if reminded else None,
        )


def send_due_reminders(deps: Deps) -> int:
    """DM everyone who RSVP'd to an event starting within the reminder window; returns how many.

    Each (event, member, start time) is reminded once. Nobody is reminded who RSVP'd after the
    reminder was due (they just chose), nor when the time was changed after it was due (the
    change notice told them the new time). The lead is real hours, measured in UTC, so an
    event just after a daylight-saving change is still reminded exactly that long before.
    """
    settings = deps.settings
    lead = timedelta(hours=settings.ccsn_event_reminder_hours)
    # Arithmetic on an aware time in a zone with daylight saving is wall-clock arithmetic
    # (10:00 PST + 24h = 10:00 PDT, 23 real hours); in UTC an hour is always an hour.
    now = deps.clock().astimezone(UTC)
    with deps.uow() as uow:
        event_ids = [event.id for event in uow.events.starting_within(now, lead)]
    sent = 0
    for event_id in event_ids:
        with deps.uow() as uow:
            event = uow.events.get(event_id)
            if event is None or event.status is not EventStatus.APPROVED:
                continue  # cancelled since the list was read
            due = event.starts_at - lead
            if not due <= now < event.starts_at:
                continue
            if event.rescheduled_at is not None and event.rescheduled_at >= due:
                continue
            calendar = messages.calendar_url(settings.ccsn_public_url, event_id)
            dm = messages.reminder_message(event, settings.timezone, calendar)
            start = int(event.starts_at.timestamp())
            for rsvp in uow.rsvps.for_event(event_id):
                if rsvp.created_at > due:
                    continue
                if not uow.job_runs.claim(REMINDER_JOB, f"{event_id}:{rsvp.user_id}:{start}", now):
                    continue
                uow.outbox.enqueue(
                    method="chat.postMessage", channel=rsvp.user_id, payload=dict(dm), at=now
                )
                sent += 1
            uow.commit()
    return sent
