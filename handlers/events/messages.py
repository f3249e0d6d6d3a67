"""Block Kit for event messages: the review post, the announcement and every DM. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from handlers import blocks
from handlers.events import ids
from handlers.events.schemas import CANCEL_REASON_MAX
from handlers.events.views import (
    EventView,
    description_block,
    event_details,
    labelled_links,
    link_buttons,
    link_sections,
    local_span,
    local_time,
    reader_time,
)
from handlers.review import views as review_views
from handlers.review.schemas import SubmissionRef


@dataclass(frozen=True)
class Announcement:
    """What the announcement shows besides the event: who posted it, attendance, links."""

    event_id: int
    submitter_id: str
    going: int
    calendar_url: str | None


def calendar_url(public_url: str | None, event_id: int) -> str | None:
    """The event's `.ics` address, when the bot has a public address to serve it from."""
    return f"{public_url}/events/{event_id}.ics" if public_url else None


def going_text(count: int) -> str:
    """Attendance as people read it."""
    if count == 0:
        return "No RSVPs yet"
    return "1 person going" if count == 1 else f"{count} people going"


def review_post(
    event: EventView,
    *,
    event_id: int,
    submitter_id: str,
    revision: int,
    tz: ZoneInfo,
    decision: review_views.DecisionView | None = None,
) -> dict[str, Any]:
    """The post in the coordinators' channel: buttons while pending, the verdict after."""
    heading = "Event to review" if revision == 1 else f"Event to review (edit {revision})"
    details = [
        blocks.section(event_details(event, tz)),
        *link_sections(event),
        description_block(event),
        blocks.context(f"Announced by {blocks.user(submitter_id)} · #{event_id}"),
    ]
    return review_views.review_post(
        heading=heading,
        title=event.title,
        details=details,
        ref=SubmissionRef("event", event_id),
        revision=revision,
        tz=tz,
        decision=decision,
    )


def announcement(event: EventView, about: Announcement, tz: ZoneInfo) -> dict[str, Any]:
    """The post in the events channel: details, attendance, Going / Not going and links."""
    value = str(about.event_id)
    elements: list[dict[str, Any]] = [
        blocks.button("Going", ids.RSVP_GOING_ACTION, value, style="primary"),
        blocks.button("Not going", ids.RSVP_NOT_GOING_ACTION, value),
        *link_buttons(event, about.calendar_url),
        {
            "type": "overflow",
            "action_id": ids.MANAGE_ACTION,
            "options": [
                blocks.option("Edit event", f"edit:{value}"),
                blocks.option("Cancel event", f"cancel:{value}"),
            ],
        },
    ]
    text = (
        f"Event: {blocks.escape(event.title)}, "
        f"{blocks.escape(local_span(event.starts_at, event.ends_at, tz))}"
    )
    return {
        "text": text,
        "blocks": [
            blocks.header(event.title),
            blocks.section(event_details(event, tz, with_title=False)),
            description_block(event),
            blocks.context(
                f"*{going_text(about.going)}* · Announced by {blocks.user(about.submitter_id)}"
            ),
            blocks.actions(*elements),
        ],
    }


def cancelled_announcement(
    event: EventView, *, cancelled_by: str, reason: str | None, tz: ZoneInfo
) -> dict[str, Any]:
    """The announcement once the event is cancelled: no RSVP, the reason, who cancelled."""
    notice = ":no_entry_sign: *This event has been cancelled.*"
    if reason:
        notice += f"\n>{blocks.quote(reason, CANCEL_REASON_MAX * 5)}"
    return {
        "text": f"Cancelled: {blocks.escape(event.title)}",
        "blocks": [
            blocks.header(f"Cancelled: {event.title}"),
            blocks.section(notice),
            blocks.section(event_details(event, tz, with_title=False)),
            blocks.context(f"Cancelled by {blocks.user(cancelled_by)}"),
        ],
    }


def _dm(text: str, *extra: blocks.Block) -> dict[str, Any]:
    return {"text": text, "blocks": [blocks.section(text), *extra]}


def thanks_message(event: EventView, event_id: int) -> dict[str, Any]:
    """The DM a member gets right after announcing."""
    return _dm(
        f"Thank you for announcing *{blocks.escape(event.title)}* (#{event_id}). "
        "A coordinator will review it soon, and I'll message you here when they do."
    )


def resubmitted_message(event: EventView, event_id: int) -> dict[str, Any]:
    """The DM a member gets after sending an edited event back for review."""
    return _dm(
        f"Thanks! Your edited event *{blocks.escape(event.title)}* (#{event_id}) "
        "is back with the coordinators."
    )


def approved_message(title: str, link: str, reminder_hours: int) -> dict[str, Any]:
    """The DM telling a member their event is announced, with `link` (mrkdwn) to the post."""
    return _dm(
        f"Good news: *{blocks.escape(title)}* was approved and is now announced: "
        f"{link}. Members can RSVP there, and I'll remind them "
        f"{reminder_hours} hours before it starts. You can edit or cancel it from the post's "
        "⋯ menu."
    )


def rsvp_reply(title: str, *, going: bool, reminder_hours: int | None) -> str:
    """The ephemeral answer to Going or Not going; `reminder_hours` when a reminder will follow.

    The same whether the click changed anything, so a repeated click reads the same.
    """
    if not going:
        return f"You're not going to *{blocks.escape(title)}*. Click Going if your plans change."
    reminder = (
        f" I'll send you a reminder {reminder_hours} hours before it starts."
        if reminder_hours
        else ""
    )
    return (
        f"You're going to *{blocks.escape(title)}*.{reminder} Click Not going if your plans change."
    )


def reminder_message(event: EventView, tz: ZoneInfo, calendar: str | None) -> dict[str, Any]:
    """The DM to each member who RSVP'd, before the event starts."""
    text = (
        f"Reminder: *{blocks.escape(event.title)}* starts {reader_time(event.starts_at, tz)} "
        f"({blocks.escape(local_time(event.starts_at, tz))})."
    )
    return _dm(text, *_details_and_calendar(event, tz, calendar))


def changed_message(
    event: EventView, changes: Sequence[str], tz: ZoneInfo, calendar: str | None
) -> dict[str, Any]:
    """The DM to each member who RSVP'd when the event is edited: what changed, and all of it."""
    listed = ", ".join(changes)
    text = (
        f"*{blocks.escape(event.title)}*, which you RSVP'd to, has changed "
        f"({blocks.escape(listed)}). Here it is as it stands now:"
    )
    return _dm(text, *_details_and_calendar(event, tz, calendar))


def cancelled_message(event: EventView, reason: str | None, tz: ZoneInfo) -> dict[str, Any]:
    """The DM to each member who RSVP'd (and the host) when the event is cancelled."""
    text = (
        f"*{blocks.escape(event.title)}* "
        f"({blocks.escape(local_span(event.starts_at, event.ends_at, tz))}) has been cancelled."
    )
    if reason:
        text += f"\n>{blocks.quote(reason, CANCEL_REASON_MAX * 5)}"
    return _dm(text)


def edited_notice(title: str, *, event_id: int, editor_id: str) -> dict[str, Any]:
    """The coordinators' heads-up that a member changed an approved event without review."""
    return _dm(
        f"{blocks.user(editor_id)} edited the approved event *{blocks.escape(title)}* "
        f"(#{event_id}); the announcement now shows the change."
    )


def _details_and_calendar(
    event: EventView, tz: ZoneInfo, calendar: str | None
) -> list[blocks.Block]:
    extra = [blocks.section(event_details(event, tz))]
    buttons = link_buttons(event, calendar)
    if buttons:
        extra.append(blocks.actions(*buttons))
    return extra


_LINK_LABELS = {"virtual_link": "New online link", "registration_link": "New registration link"}


def link_change_request(
    title: str, *, event_id: int, editor_id: str, proposed: dict[str, str | None]
) -> dict[str, Any]:
    """The coordinators' post when a member changes an announced event's links.

    The new links are shown in full, and Edit event opens the form to apply them: links go
    live only from a coordinator's hands.
    """
    text = (
        f"{blocks.user(editor_id)} wants to change the links of the announced event "
        f"*{blocks.escape(title)}* (#{event_id}). The announcement keeps its current links "
        "until a coordinator checks these and applies them with Edit event."
    )
    found = [(_LINK_LABELS[field], url) for field, url in proposed.items()]
    edit = blocks.button("Edit event", ids.EDIT_ACTION, str(event_id))
    return {
        "text": text,
        "blocks": [blocks.section(text), *labelled_links(found), blocks.actions(edit)],
    }


def links_held_message(title: str, *, event_id: int) -> dict[str, Any]:
    """The member's DM: their new links wait for a coordinator; anything else shows already."""
    return _dm(
        f"Thanks! A coordinator checks new links before members see them, so the links you "
        f"changed on *{blocks.escape(title)}* (#{event_id}) are with them now. Any other "
        "changes you made already show on the announcement."
    )
