"""Changing an announced event: live edits (a member's new links held for review) and cancelling.

Submitting, reviewing and resubmitting an event are the review pipeline's
(`handlers.review.submissions`, declared by `handlers.events.kind.EVENTS`). Each change here is
one unit of work: the compare-and-set UPDATE, its audit row, the announcement's `chat.update`
and every DM it owes, committed together.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from core.config import Settings
from handlers.deps import Deps
from handlers.events import messages
from handlers.review import service as review
from handlers.review.schemas import SubmissionRef
from handlers.review.submissions import OUT_OF_DATE, SubmitResult
from storage.models import Event, EventStatus, SearchDocument
from storage.uow import UnitOfWork

# What members are told changed, by field.
_LABELS = {
    "title": "title",
    "event_type": "type",
    "starts_at": "time",
    "ends_at": "time",
    "location": "location",
    "virtual_link": "virtual link",
    "registration_link": "registration link",
    "host_organisation": "host",
    "region": "region",
    "description": "description",
}


# A member's live edit changing one of these waits for a coordinator (see `held_links`).
LINK_FIELDS = ("virtual_link", "registration_link")


def events_enabled(settings: Settings) -> bool:
    """Events need a channel to be announced in; until it is set, the form explains that."""
    return settings.ccsn_events_channel is not None


def announcement_key(event_id: int) -> str:
    """Outbox key of the event's announcement (its publication after review)."""
    return review.published_key(SubmissionRef("event", event_id))


def search_document(event: Event, *, post_key: str, at: datetime) -> SearchDocument:
    """The searchable copy of an approved event, also rebuilt when it is edited.

    Title, description and host are searched; the region (or statewide) filters.
    """
    return SearchDocument(
        kind="event",
        ref_id=event.id,
        title=event.title,
        body=event.description,
        organisation=event.host_organisation,
        county=None,
        region=event.region,
        pillars=[],
        funding_streams=[],
        post_key=post_key,
        published_at=at,
    )


def changed_labels(event: Event, fields: Mapping[str, object]) -> list[str]:
    """What an edit changes, as members read it (`time`, `location`), without repeats."""
    labels: list[str] = []
    for field, value in fields.items():
        if getattr(event, field) != value and _LABELS[field] not in labels:
            labels.append(_LABELS[field])
    return labels


def held_links(event: Event, fields: dict[str, object]) -> dict[str, object]:
    """Take the changed links out of a member's live edit: they wait for a coordinator.

    Returns the new links by field; `fields` keeps the links the event has now, so the rest of
    the edit can go live while nobody is sent to an address no coordinator has seen.
    """
    held = {field: fields[field] for field in LINK_FIELDS if fields[field] != getattr(event, field)}
    for field in held:
        fields[field] = getattr(event, field)
    return held


def manage_problem(
    event: Event | None, user_id: str, settings: Settings, now: datetime
) -> str | None:
    """Why `user_id` may not edit or cancel this approved event now, or None when they may.

    Decided from settings and the user Slack vouched for, never from a button's value.
    """
    if event is None:
        return "That event no longer exists."
    if event.submitter_id != user_id and not settings.is_coordinator(user_id):
        return "Only the member who announced this event or a coordinator can change it."
    if event.status is EventStatus.CANCELLED:
        return "This event has been cancelled."
    if event.status is not EventStatus.APPROVED:
        return "This event has not been announced, so there is nothing to change yet."
    if event.starts_at <= now:
        return "This event has already started, so it can no longer be changed."
    return None


def update_announcement(uow: UnitOfWork, deps: Deps, event: Event, now: datetime) -> None:
    """Queue the announcement rewritten from the event as it now stands.

    The post is always rewritten whole, so older edits still queued are dropped first.
    """
    settings = deps.settings
    key = announcement_key(event.id)
    if event.status is EventStatus.CANCELLED:
        payload = messages.cancelled_announcement(
            event,
            cancelled_by=event.cancelled_by or event.submitter_id,
            reason=event.cancel_reason,
            tz=settings.timezone,
        )
    else:
        about = messages.Announcement(
            event_id=event.id,
            submitter_id=event.submitter_id,
            going=uow.rsvps.count(event.id),
            calendar_url=messages.calendar_url(settings.ccsn_public_url, event.id),
        )
        payload = messages.announcement(event, about, settings.timezone)
    uow.outbox.discard_superseded_updates(key, now)
    uow.outbox.enqueue(
        method="chat.update",
        channel=settings.ccsn_events_channel or "",
        payload=payload,
        at=now,
        update_of=key,
    )


def _tell_everyone_involved(
    uow: UnitOfWork, event: Event, actor_id: str, payload: dict[str, object], now: datetime
) -> None:
    """DM everyone who RSVP'd, and the member who announced it, except whoever acted."""
    people = [rsvp.user_id for rsvp in uow.rsvps.for_event(event.id)]
    people.append(event.submitter_id)
    for user_id in dict.fromkeys(people):
        if user_id != actor_id:
            uow.outbox.enqueue(
                method="chat.postMessage", channel=user_id, payload=dict(payload), at=now
            )


def edit_live(
    uow: UnitOfWork,
    deps: Deps,
    event: Event,
    fields: dict[str, object],
    *,
    user_id: str,
    sequence: int,
    now: datetime,
) -> str | None:
    """Apply an edit to an announced event in `uow`; a refusal for the form, or None.

    The announcement is rewritten at once and everyone who RSVP'd is told what changed; the
    coordinators hear about edits made by anyone but themselves, and a member's new link
    waits for one of them to apply it. `sequence` is the version the form was opened on.
    """
    if event.sequence != sequence:
        return OUT_OF_DATE
    held = {} if deps.settings.is_coordinator(user_id) else held_links(event, fields)
    changes = changed_labels(event, fields)
    if changes and not _edit_live(uow, deps, event, user_id, sequence, fields, changes, now):
        return OUT_OF_DATE
    if held:
        _send_links_for_review(uow, deps, event, user_id, held, now)
    return None


def _edit_live(
    uow: UnitOfWork,
    deps: Deps,
    event: Event,
    user_id: str,
    sequence: int,
    fields: Mapping[str, object],
    changes: list[str],
    now: datetime,
) -> bool:
    """Apply an edit to the announced event and tell everyone; False if it changed since."""
    settings = deps.settings
    rescheduled = "time" in changes
    if not uow.events.edit_published(
        event.id, sequence=sequence, changes=fields, at=now, rescheduled=rescheduled
    ):
        return False
    uow.audit.record(
        entity_type="event",
        entity_id=event.id,
        action="edited",
        actor_id=user_id,
        at=now,
        reason=", ".join(changes),
    )
    update_announcement(uow, deps, event, now)
    uow.search.index(search_document(event, post_key=announcement_key(event.id), at=now))
    calendar = messages.calendar_url(settings.ccsn_public_url, event.id)
    notice = messages.changed_message(event, changes, settings.timezone, calendar)
    _tell_everyone_involved(uow, event, user_id, notice, now)
    if not settings.is_coordinator(user_id):
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=settings.ccsn_coordinator_channel or "",
            payload=messages.edited_notice(event.title, event_id=event.id, editor_id=user_id),
            at=now,
        )
    return True


def _send_links_for_review(
    uow: UnitOfWork,
    deps: Deps,
    event: Event,
    user_id: str,
    held: Mapping[str, object],
    now: datetime,
) -> None:
    """Ask the coordinators to check a member's new links; tell the member they wait.

    The announcement keeps its links until a coordinator applies the new ones with Edit
    event (a coordinator's edit goes live), so members never follow an unreviewed address.
    """
    proposed = {field: str(value) if value else None for field, value in held.items()}
    uow.audit.record(
        entity_type="event",
        entity_id=event.id,
        action="link_change_requested",
        actor_id=user_id,
        at=now,
        reason=", ".join(_LABELS[field] for field in held),
    )
    uow.outbox.enqueue(
        method="chat.postMessage",
        channel=deps.settings.ccsn_coordinator_channel or "",
        payload=messages.link_change_request(
            event.title, event_id=event.id, editor_id=user_id, proposed=proposed
        ),
        at=now,
    )
    uow.outbox.enqueue(
        method="chat.postMessage",
        channel=user_id,
        payload=messages.links_held_message(event.title, event_id=event.id),
        at=now,
    )


def load_for_cancel(deps: Deps, *, user_id: str, event_id: int) -> tuple[Event | None, str]:
    """The event to confirm cancelling, or why `user_id` cannot cancel it."""
    with deps.uow() as uow:
        event = uow.events.get(event_id)
        problem = manage_problem(event, user_id, deps.settings, deps.clock())
        if problem is not None:
            return None, problem
        return event, ""


def cancel_event(
    deps: Deps, *, user_id: str, event_id: int, reason: str | None, view_id: str
) -> SubmitResult:
    """Cancel an approved event: the announcement says so and everyone who RSVP'd is told.

    No reminder goes out for it afterwards, and the calendar feed drops it. A refusal is for
    the cancel form's reason field.
    """
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        # A replay of the form that cancelled it closes as the first did, before the check
        # that would now answer "already cancelled".
        if not uow.handled_views.claim(view_id, now):
            return SubmitResult(item_id=event_id)
        event = uow.events.get(event_id)
        problem = manage_problem(event, user_id, settings, now)
        if problem is not None or event is None:
            return SubmitResult(error=problem)
        if not uow.events.cancel(event_id, actor_id=user_id, at=now, reason=reason):
            return SubmitResult(error="This event has already been cancelled.")
        uow.audit.record(
            entity_type="event",
            entity_id=event_id,
            action="cancelled",
            actor_id=user_id,
            at=now,
            reason=reason,
        )
        update_announcement(uow, deps, event, now)
        uow.search.remove("event", event_id)
        notice = messages.cancelled_message(event, reason, settings.timezone)
        _tell_everyone_involved(uow, event, user_id, notice, now)
        uow.commit()
        return SubmitResult(item_id=event_id)
