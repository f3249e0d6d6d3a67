"""Block Kit for events: the announce form, the cancel form, and how an event reads.

Pure functions. Times are stored in UTC; they are written out in the network's time zone
(`CCSN_TIMEZONE`) and also as Slack's `<!date^…>` token, which each reader sees in their own.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.vocabulary import EVENT_TYPES, REGIONS
from handlers import blocks
from handlers.events import ids
from handlers.events.schemas import (
    CANCEL_REASON_MAX,
    DESCRIPTION_MAX,
    HOST_MAX,
    LINK_MAX,
    LOCATION_MAX,
    STATEWIDE,
    TITLE_MAX,
    EventForm,
)
from storage.models import Event

DASH = " \N{EN DASH} "


# What the views read of an event: a stored one, or a form that passed every check (both
# carry the same fields; mypy checks each use against both).
EventView = Event | EventForm


def region_label(region: str) -> str:
    """How a stored region reads."""
    return "Statewide" if region == STATEWIDE else region


def type_label(event_type: str) -> str:
    """How a stored event type reads."""
    return EVENT_TYPES.get(event_type, event_type)


def _day(at: datetime) -> str:
    return f"{at:%a}, {at:%b} {at.day}, {at.year}"


def _clock(at: datetime) -> str:
    return f"{at.hour % 12 or 12}:{at:%M} {at:%p}"


def local_time(at: datetime, tz: ZoneInfo) -> str:
    """One moment in the network's time zone: `Thu, Dec 10, 2026, 10:00 AM PST`."""
    local = at.astimezone(tz)
    return f"{_day(local)}, {_clock(local)} {local:%Z}"


def local_span(starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> str:
    """When an event runs, in the network's time zone, naming the day once if it is one day."""
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    if start.date() == end.date() and start.tzname() == end.tzname():
        return f"{_day(start)}, {_clock(start)}{DASH}{_clock(end)} {end:%Z}"
    return f"{local_time(starts_at, tz)}{DASH}{local_time(ends_at, tz)}"


def reader_time(at: datetime, tz: ZoneInfo) -> str:
    """A Slack date token: each reader sees `at` in their own zone; others see network time."""
    token = "{date_long_pretty} at {time}"
    return f"<!date^{int(at.timestamp())}^{token}|{blocks.escape(local_time(at, tz))}>"


def event_details(event: EventView, tz: ZoneInfo, *, with_title: bool = True) -> str:
    """The event as escaped mrkdwn lines: what, when, where, who.

    Links are shown apart (`link_sections`, `link_buttons`), so a long one can never push
    these lines past the section limit.
    """
    lines = [f"*{blocks.escape(event.title)}*"] if with_title else []
    lines += [
        blocks.escape(f"{type_label(event.event_type)} · {region_label(event.region)}"),
        f"*When:* {local_span(event.starts_at, event.ends_at, tz)}",
        f"_Your time: {reader_time(event.starts_at, tz)}_",
    ]
    if event.location:
        lines.append(f"*Where:* {blocks.quote(event.location, LOCATION_MAX * 5)}")
    elif event.virtual_link:
        lines.append("*Where:* online")
    lines.append(f"*Host:* {blocks.escape(event.host_organisation)}")
    return "\n".join(lines)


def _raw_link(url: str, limit: int) -> str:
    """A checked http(s) URL shown in full; `|` would start a label, so it is encoded.

    A URL whose escaped form would not fit is shown as text rather than cut mid-link.
    """
    linked = f"<{blocks.escape_url(url)}>"
    return linked if len(linked) <= limit else blocks.quote(url, limit)


def link_sections(event: EventView) -> list[blocks.Block]:
    """Each link in full, one section apiece, so coordinators see where it really goes."""
    found = [("Online", event.virtual_link), ("Registration", event.registration_link)]
    return labelled_links([(label, url) for label, url in found if url])


def labelled_links(found: list[tuple[str, str | None]]) -> list[blocks.Block]:
    """A section per (label, URL), the URL in full; a removed link (None) says so."""
    return [
        blocks.section(
            f"*{label}:* {_raw_link(url, blocks.SECTION_TEXT_MAX - 40) if url else '(removed)'}"
        )
        for label, url in found
    ]


def link_buttons(event: EventView, calendar_url: str | None) -> list[dict[str, Any]]:
    """Join online, Register and Add to calendar as link buttons (URLs up to 3,000 characters)."""
    found = [
        ("Join online", ids.JOIN_ACTION, event.virtual_link),
        ("Register", ids.REGISTER_ACTION, event.registration_link),
        ("Add to calendar", ids.CALENDAR_ACTION, calendar_url),
    ]
    return [blocks.button(text, action, "link", url=url) for text, action, url in found if url]


def description_block(event: EventView) -> blocks.Block:
    """The description as a section, escaped and within the section limit."""
    return blocks.section(blocks.quote(event.description, blocks.SECTION_TEXT_MAX))


def _url(action_id: str, initial: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "url_text_input", "action_id": action_id}
    if initial:
        element["initial_value"] = initial[:LINK_MAX]
    return element


def _when(action_id: str, initial: datetime | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datetimepicker", "action_id": action_id}
    if initial is not None:
        element["initial_date_time"] = int(initial.timestamp())
    return element


def _select(
    action_id: str, placeholder: str, labels: dict[str, str], initial: str | None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": blocks.plain(placeholder, 150),
        "options": [blocks.option(label, value) for value, label in labels.items()],
    }
    if initial in labels:
        element["initial_option"] = blocks.option(labels[initial], initial)
    return element


def region_choices() -> dict[str, str]:
    """Statewide first, then the eight R-TAC regions."""
    return {STATEWIDE: "Statewide", **{region: region for region in REGIONS}}


def event_modal(
    initial: EventView | None = None,
    metadata: dict[str, Any] | None = None,
    *,
    live: bool = False,
) -> dict[str, Any]:
    """The announce-an-event form, blank or filled with an event being edited.

    `live` is an edit of an announced event, which shows at once instead of going to review.
    """
    intro = (
        "Your changes show on the announcement at once, and everyone who RSVP'd is told."
        if live
        else "Tell the network about an event. A coordinator reviews it before it is announced."
    )
    body = [
        blocks.section(intro),
        blocks.input_block(
            ids.TITLE_BLOCK,
            "Title",
            blocks.text_input(ids.TITLE_INPUT, TITLE_MAX, initial.title if initial else None),
        ),
        blocks.input_block(
            ids.TYPE_BLOCK,
            "Type of event",
            _select(
                ids.TYPE_INPUT,
                "Choose a type",
                dict(EVENT_TYPES),
                initial.event_type if initial else None,
            ),
        ),
        blocks.input_block(
            ids.START_BLOCK,
            "Starts",
            _when(ids.START_INPUT, initial.starts_at if initial else None),
            hint="In your own time zone; everyone sees it in theirs.",
        ),
        blocks.input_block(
            ids.END_BLOCK, "Ends", _when(ids.END_INPUT, initial.ends_at if initial else None)
        ),
        blocks.input_block(
            ids.VIRTUAL_LINK_BLOCK,
            "Virtual link",
            _url(ids.VIRTUAL_LINK_INPUT, initial.virtual_link if initial else None),
            optional=True,
            hint=(
                "Zoom, Teams or livestream address. Add this, a location, or both. "
                "It also appears in the public calendar feed."
            ),
        ),
        blocks.input_block(
            ids.LOCATION_BLOCK,
            "Location",
            blocks.text_input(
                ids.LOCATION_INPUT, LOCATION_MAX, initial.location if initial else None
            ),
            optional=True,
            hint="Venue and address, if people meet in person.",
        ),
        blocks.input_block(
            ids.REGISTRATION_BLOCK,
            "Registration link",
            _url(ids.REGISTRATION_INPUT, initial.registration_link if initial else None),
            optional=True,
        ),
        blocks.input_block(
            ids.HOST_BLOCK,
            "Host organisation",
            blocks.text_input(
                ids.HOST_INPUT, HOST_MAX, initial.host_organisation if initial else None
            ),
        ),
        blocks.input_block(
            ids.REGION_BLOCK,
            "Region",
            _select(
                ids.REGION_INPUT,
                "Statewide or one region",
                region_choices(),
                initial.region if initial else None,
            ),
        ),
        blocks.input_block(
            ids.DESCRIPTION_BLOCK,
            "Description",
            blocks.text_input(
                ids.DESCRIPTION_INPUT,
                DESCRIPTION_MAX,
                initial.description if initial else None,
                multiline=True,
            ),
            hint="Who it is for and what people will take away.",
        ),
    ]
    editing = bool(metadata)
    return {
        "type": "modal",
        "callback_id": ids.EVENT_MODAL,
        "title": blocks.plain("Edit event" if editing else "Announce an event", 24),
        "submit": blocks.plain("Save changes" if live else "Submit for review", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps(metadata or {}),
        "blocks": body,
    }


def cancel_modal(event_id: int, title: str) -> dict[str, Any]:
    """The confirmation, with an optional reason for the people who RSVP'd."""
    return {
        "type": "modal",
        "callback_id": ids.CANCEL_MODAL,
        "title": blocks.plain("Cancel event", 24),
        "submit": blocks.plain("Cancel the event", 24),
        "close": blocks.plain("Keep it", 24),
        "private_metadata": json.dumps({"event_id": event_id}),
        "blocks": [
            blocks.section(
                f"Cancel *{blocks.escape(title)}*? The announcement will say so, and everyone "
                "who RSVP'd gets a direct message."
            ),
            blocks.input_block(
                ids.CANCEL_REASON_BLOCK,
                "Reason",
                blocks.text_input(ids.CANCEL_REASON_INPUT, CANCEL_REASON_MAX, None, multiline=True),
                optional=True,
                hint="Sent to the people who RSVP'd.",
            ),
        ],
    }


def unavailable_modal() -> dict[str, Any]:
    """What opens instead of the form while no events channel is configured."""
    return blocks.notice_modal(
        "Announce an event",
        "Event announcements are not switched on in this workspace yet. "
        "An administrator can turn them on by setting `CCSN_EVENTS_CHANNEL`.",
    )
