"""Announcing an event, and changing it later: resubmitting, editing and cancelling.

Each change is one unit of work: the compare-and-set UPDATE, its audit row, the announcement's
`chat.update` and every DM it owes, committed together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from core.config import Settings
from handlers.deps import Deps
from handlers.events import ids, messages
from handlers.events.reviewable import EVENTS, event_search_document
from handlers.events.schemas import EventForm
from handlers.review import service as review
from handlers.review.schemas import SubmissionRef
from storage.models import Event, EventStatus
from storage.uow import UnitOfWork

OUT_OF_DATE = "This form is out of date; open it again."
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

# An edit of an event in these states goes (back) to the coordinators rather than live.
IN_REVIEW = (EventStatus.PENDING, EventStatus.CHANGES_REQUESTED)


@dataclass(frozen=True)
class SubmitResult:
    """A saved event id, or a message for the form's `block_id` when it was refused."""

    event_id: int | None = None
    error_block: str | None = None
    error: str | None = None


def events_enabled(settings: Settings) -> bool:
    """Events need a channel to be announced in; until it is set, the form explains that."""
    return settings.ccsn_events_channel is not None


def announcement_key(event_id: int) -> str:
    """Outbox key of the event's announcement (its publication after review)."""
    return review.published_key(SubmissionRef(EVENTS.name, event_id))


def _fields(form: EventForm) -> dict[str, object]:
    return form.model_dump()


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


def submit_event(deps: Deps, *, submitter_id: str, form: EventForm, view_id: str) -> int | None:
    """Save a new event as pending, thank the member, and ask coordinators to review.

    A view submitted twice saves one event; the repeat returns None.
    """
    with deps.uow() as uow:
        now = deps.clock()
        if not uow.handled_views.claim(view_id, now):
            return None
        event = uow.events.add(
            Event(
                status=EventStatus.PENDING,
                submitter_id=submitter_id,
                revision=1,
                sequence=0,
                created_at=now,
                submitted_at=now,
                updated_at=now,
                **_fields(form),
            )
        )
        review.send_for_review(
            uow,
            deps,
            EVENTS,
            event,
            now,
            action="submitted",
            actor_id=submitter_id,
            receipt=messages.thanks_message(form, event.id),
        )
        uow.commit()
        return event.id


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


def edit_problem(
    event: Event | None, user_id: str, settings: Settings, now: datetime
) -> str | None:
    """Why `user_id` may not edit this event now: before a decision, or a live edit after.

    While it waits for review or for the member's changes only the member may edit it, and
    the edit goes (back) to review.
    """
    if event is not None and event.status in IN_REVIEW:
        if event.submitter_id != user_id:
            return "Only the member who announced this event can edit it."
        return None
    return manage_problem(event, user_id, settings, now)


def load_for_edit(deps: Deps, *, user_id: str, event_id: int) -> tuple[Event | None, str]:
    """The event to prefill the edit form with, or why it cannot be edited."""
    with deps.uow() as uow:
        event = uow.events.get(event_id)
        problem = edit_problem(event, user_id, deps.settings, deps.clock())
        if problem is not None:
            return None, problem
        return event, ""


def is_live(event: Event) -> bool:
    """Whether an edit of this event changes the announcement (rather than going to review)."""
    return event.status is EventStatus.APPROVED


def edit_metadata(event: Event) -> dict[str, object]:
    """What the edit form carries back: which event and the version it was opened on.

    `live` says whether it was opened as a live edit, so it is never saved the other way.
    """
    return {
        "event_id": event.id,
        "revision": event.revision,
        "sequence": event.sequence,
        "live": is_live(event),
    }


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


def save_event_edit(
    deps: Deps,
    *,
    user_id: str,
    event_id: int,
    revision: int,
    sequence: int,
    form: EventForm,
    view_id: str,
    opened_live: bool | None = None,
) -> SubmitResult:
    """Save an edit: back to the coordinators if they asked for changes, or live if approved.

    A live edit updates the announcement at once and tells everyone who RSVP'd what changed;
    the coordinators hear about edits made by anyone but themselves, and a member's new link
    waits for one of them to apply it. `opened_live` says which of the two the form was
    opened as (None for forms opened before it was recorded): a form for review whose event
    was approved meanwhile is out of date, never a live edit nobody reviewed.
    """
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        # A repeat of a form already saved is answered as that success was, before the checks
        # that the first save itself changed the answer to (the event is now a new revision).
        if not uow.handled_views.claim(view_id, now):
            return SubmitResult(event_id=event_id)
        event = uow.events.get(event_id)
        problem = edit_problem(event, user_id, settings, now)
        if problem is not None or event is None:
            return SubmitResult(error_block=ids.TITLE_BLOCK, error=problem)
        if opened_live is not None and opened_live != is_live(event):
            return SubmitResult(error_block=ids.TITLE_BLOCK, error=OUT_OF_DATE)
        fields = _fields(form)
        if event.status in IN_REVIEW:
            # Edited while still waiting for review: its review post is replaced, not left live.
            # The UPDATE matches the status read here, so a decision landing in between makes
            # this edit lose instead of overwriting the verdict's post.
            replaces = event.revision if event.status is EventStatus.PENDING else None
            if not uow.events.resubmit(
                event_id, expected=event.status, revision=revision, changes=fields, at=now
            ):
                return SubmitResult(error_block=ids.TITLE_BLOCK, error=OUT_OF_DATE)
            review.send_for_review(
                uow,
                deps,
                EVENTS,
                event,
                now,
                action="resubmitted",
                actor_id=user_id,
                receipt=messages.resubmitted_message(form, event_id),
                replaces=replaces,
            )
            uow.commit()
            return SubmitResult(event_id=event_id)

        if event.sequence != sequence:
            return SubmitResult(error_block=ids.TITLE_BLOCK, error=OUT_OF_DATE)
        held = {} if settings.is_coordinator(user_id) else held_links(event, fields)
        changes = changed_labels(event, fields)
        if changes and not _edit_live(uow, deps, event, user_id, sequence, fields, changes, now):
            return SubmitResult(error_block=ids.TITLE_BLOCK, error=OUT_OF_DATE)
        if held:
            _send_links_for_review(uow, deps, event, user_id, held, now)
        uow.commit()  # even saved unchanged, the view is handled
        return SubmitResult(event_id=event_id)


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
    uow.search.index(event_search_document(event, post_key=announcement_key(event.id), at=now))
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

    No reminder goes out for it afterwards, and the calendar feed drops it.
    """
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        # A replay of the form that cancelled it closes as the first did, before the check
        # that would now answer "already cancelled".
        if not uow.handled_views.claim(view_id, now):
            return SubmitResult(event_id=event_id)
        event = uow.events.get(event_id)
        problem = manage_problem(event, user_id, settings, now)
        if problem is not None or event is None:
            return SubmitResult(error_block=ids.CANCEL_REASON_BLOCK, error=problem)
        if not uow.events.cancel(event_id, actor_id=user_id, at=now, reason=reason):
            return SubmitResult(
                error_block=ids.CANCEL_REASON_BLOCK, error="This event has already been cancelled."
            )
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
        return SubmitResult(event_id=event_id)
