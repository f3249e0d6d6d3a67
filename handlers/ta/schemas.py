"""The request-TA form, parsed from a modal and checked field by field, and service outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from core.vocabulary import REGION_OF_COUNTY, TA_FORMATS, TA_TOPICS
from handlers import forms
from handlers.ta import ids

NEED_MIN = 10
NEED_MAX = 3000
ORGANISATION_MAX = 150
NOTE_MIN = 3
NOTE_MAX = 2000
# How far ahead "needed by" may be: further out is almost always a mistyped year.
NEEDED_BY_HORIZON = timedelta(days=366)


class TaRequestForm(BaseModel):
    """What a member asked for, after every check passed."""

    model_config = ConfigDict(frozen=True)

    topic: str
    need: str
    county: str
    organisation: str
    needed_by: date
    format: str
    share_in_digest: bool

    @property
    def region(self) -> str:
        """The R-TAC region the county belongs to, which decides who is asked."""
        return REGION_OF_COUNTY[self.county]


@dataclass(frozen=True)
class TaOutcome:
    """Whether an action took effect, and what to tell the person if it did not."""

    accepted: bool
    message: str = ""


def selected_date(values: forms.StateValues, block_id: str, action_id: str) -> date | None:
    """A datepicker's `selected_date` (YYYY-MM-DD); None when absent or malformed."""
    block = values.get(block_id) if isinstance(values, Mapping) else None
    element = block.get(action_id) if isinstance(block, Mapping) else None
    value = element.get("selected_date") if isinstance(element, Mapping) else None
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_ta_form(values: forms.StateValues, today: date) -> TaRequestForm | dict[str, str]:
    """Read the modal's state: a valid form, or `{block_id: message}` for Slack to show.

    `today` is the date in the network's time zone, so "needed by today" works late in the
    evening in California even though it is already tomorrow in UTC.
    """
    errors: dict[str, str] = {}
    topic = forms.selected_value(values, ids.TOPIC_BLOCK, ids.TOPIC_INPUT)
    need = forms.text_value(values, ids.NEED_BLOCK, ids.NEED_INPUT)
    county = forms.selected_value(values, ids.COUNTY_BLOCK, ids.COUNTY_INPUT)
    organisation = forms.text_value(values, ids.ORGANISATION_BLOCK, ids.ORGANISATION_INPUT)
    needed_by = selected_date(values, ids.NEEDED_BY_BLOCK, ids.NEEDED_BY_INPUT)
    fmt = forms.selected_value(values, ids.FORMAT_BLOCK, ids.FORMAT_INPUT)
    digest = forms.selected_value(values, ids.DIGEST_BLOCK, ids.DIGEST_INPUT)

    if topic is None:
        errors[ids.TOPIC_BLOCK] = "Choose the topic you need help with."
    elif topic not in TA_TOPICS:
        errors[ids.TOPIC_BLOCK] = "Choose a topic from the list."
    checks = {
        ids.NEED_BLOCK: forms.length_error(need, "what you need", NEED_MIN, NEED_MAX),
        ids.ORGANISATION_BLOCK: forms.length_error(
            organisation, "the school, district or organisation", 2, ORGANISATION_MAX
        ),
    }
    errors.update({block: message for block, message in checks.items() if message})
    if county is None:
        errors[ids.COUNTY_BLOCK] = "Choose your county, so the right regional team sees this."
    elif county not in REGION_OF_COUNTY:
        errors[ids.COUNTY_BLOCK] = "Choose a county from the list."
    if needed_by is None:
        errors[ids.NEEDED_BY_BLOCK] = "Pick the date you need help by."
    elif needed_by < today:
        errors[ids.NEEDED_BY_BLOCK] = "That date has passed; pick today or a later date."
    elif needed_by > today + NEEDED_BY_HORIZON:
        errors[ids.NEEDED_BY_BLOCK] = "Pick a date within the next year."
    if fmt is None:
        errors[ids.FORMAT_BLOCK] = "Choose how you would like the help."
    elif fmt not in TA_FORMATS:
        errors[ids.FORMAT_BLOCK] = "Choose a format from the list."
    if digest not in ("yes", "no"):
        errors[ids.DIGEST_BLOCK] = "Say whether this may appear in the weekly digest."
    if errors:
        return errors
    return TaRequestForm(
        topic=topic or "",
        need=need,
        county=county or "",
        organisation=organisation,
        needed_by=needed_by or today,
        format=fmt or "",
        share_in_digest=digest == "yes",
    )
