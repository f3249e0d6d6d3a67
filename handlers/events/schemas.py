"""The announce-an-event form: parsed from a modal and checked field by field."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from core.vocabulary import EVENT_TYPES, REGIONS
from handlers import forms
from handlers.events import ids

TITLE_MAX = 150
LOCATION_MAX = 300
HOST_MAX = 150
DESCRIPTION_MAX = 3000
LINK_MAX = 2000
CANCEL_REASON_MAX = 2000
LONGEST = timedelta(days=31)
FURTHEST_AHEAD = timedelta(days=730)
STATEWIDE = "statewide"


class EventForm(BaseModel):
    """What a member wrote about an event, after every check passed. Times are aware UTC."""

    model_config = ConfigDict(frozen=True)

    title: str
    event_type: str
    starts_at: datetime
    ends_at: datetime
    virtual_link: str | None
    location: str | None
    registration_link: str | None
    host_organisation: str
    region: str
    description: str


def _time_errors(
    starts_at: datetime | None, ends_at: datetime | None, now: datetime
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if starts_at is None:
        errors[ids.START_BLOCK] = "Choose when it starts."
    elif starts_at <= now:
        errors[ids.START_BLOCK] = "Choose a start time in the future."
    elif starts_at > now + FURTHEST_AHEAD:
        errors[ids.START_BLOCK] = "Events can be announced up to two years ahead."
    if ends_at is None:
        errors[ids.END_BLOCK] = "Choose when it ends."
    elif starts_at is not None and ends_at <= starts_at:
        errors[ids.END_BLOCK] = "The end must be after the start."
    elif starts_at is not None and ends_at - starts_at > LONGEST:
        errors[ids.END_BLOCK] = "An event can last at most 31 days."
    return errors


def parse_event_form(values: forms.StateValues, now: datetime) -> EventForm | dict[str, str]:
    """Read the modal's state: a valid form, or `{block_id: message}` for Slack to show.

    `now` is when the form arrived; the start must be after it.
    """
    title = forms.text_value(values, ids.TITLE_BLOCK, ids.TITLE_INPUT)
    event_type = forms.selected_value(values, ids.TYPE_BLOCK, ids.TYPE_INPUT)
    starts_at = forms.datetime_value(values, ids.START_BLOCK, ids.START_INPUT)
    ends_at = forms.datetime_value(values, ids.END_BLOCK, ids.END_INPUT)
    virtual_link = forms.text_value(values, ids.VIRTUAL_LINK_BLOCK, ids.VIRTUAL_LINK_INPUT)
    location = forms.text_value(values, ids.LOCATION_BLOCK, ids.LOCATION_INPUT)
    registration = forms.text_value(values, ids.REGISTRATION_BLOCK, ids.REGISTRATION_INPUT)
    host = forms.text_value(values, ids.HOST_BLOCK, ids.HOST_INPUT)
    region = forms.selected_value(values, ids.REGION_BLOCK, ids.REGION_INPUT)
    description = forms.text_value(values, ids.DESCRIPTION_BLOCK, ids.DESCRIPTION_INPUT)

    checks = {
        ids.TITLE_BLOCK: forms.length_error(title, "a title", 3, TITLE_MAX),
        ids.VIRTUAL_LINK_BLOCK: forms.link_error(virtual_link, LINK_MAX),
        ids.REGISTRATION_BLOCK: forms.link_error(registration, LINK_MAX),
        ids.HOST_BLOCK: forms.length_error(host, "the host organisation", 2, HOST_MAX),
        ids.DESCRIPTION_BLOCK: forms.length_error(
            description, "a short description", 20, DESCRIPTION_MAX
        ),
    }
    errors = {block: message for block, message in checks.items() if message}
    errors.update(_time_errors(starts_at, ends_at, now))
    if event_type is None:
        errors[ids.TYPE_BLOCK] = "Choose the type of event."
    elif event_type not in EVENT_TYPES:
        errors[ids.TYPE_BLOCK] = "Choose an event type from the list."
    if len(location) > LOCATION_MAX:
        errors[ids.LOCATION_BLOCK] = f"Please keep this under {LOCATION_MAX} characters."
    elif not location and not virtual_link:
        errors[ids.LOCATION_BLOCK] = "Add where it happens: a location, a virtual link, or both."
    if region is None:
        errors[ids.REGION_BLOCK] = "Choose a region, or Statewide."
    elif region != STATEWIDE and region not in REGIONS:
        errors[ids.REGION_BLOCK] = "Choose a region from the list."
    if errors or starts_at is None or ends_at is None:
        return errors
    return EventForm(
        title=title,
        event_type=event_type or "",
        starts_at=starts_at,
        ends_at=ends_at,
        virtual_link=virtual_link or None,
        location=location or None,
        registration_link=registration or None,
        host_organisation=host,
        region=region or STATEWIDE,
        description=description,
    )
