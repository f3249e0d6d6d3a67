"""The offer-TA form: parsed from a modal and checked field by field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from core.config import USER_ID
from core.vocabulary import REGIONS, TA_COSTS, TA_LANGUAGES, TA_OFFER_FORMATS, TA_TOPICS
from handlers import forms
from handlers.ta_offerings import ids

ORGANISATION_MAX = 150
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 2000
LINK_MAX = 2000
CONTACTS_MAX = 10
STATEWIDE = "statewide"
_EMAIL = re.compile(r"^[^@\s<>|]+@[^@\s<>|]+\.[^@\s<>|]+$")


class OfferingForm(BaseModel):
    """What a provider offers, after every check passed; the fields are the row's columns.

    `regions` is `["statewide"]` or R-TAC region names; `contacts` may be empty, meaning the
    member who offered it answers for it.
    """

    model_config = ConfigDict(frozen=True)

    organisation: str
    description: str
    topics: list[str]
    regions: list[str]
    formats: list[str]
    cost: str
    languages: list[str]
    contact_link: str
    contacts: list[str]


def contact_link_error(link: str) -> str | None:
    """Why `link` is not an `https://` address or a `mailto:` one, or None when it is."""
    if not link:
        return "Please add how to reach you: an https:// link or a mailto: address."
    if len(link) > LINK_MAX:
        return f"Links must be under {LINK_MAX} characters."
    if any(c.isspace() for c in link):
        return "A link cannot contain spaces."
    if link.lower().startswith("mailto:"):
        return None if _EMAIL.match(link[len("mailto:") :]) else "Write mailto:name@example.org."
    try:
        parts = urlsplit(link)
    except ValueError:
        parts = None
    if parts is None or parts.scheme != "https" or not parts.netloc:
        return "Use an https:// link (for example https://example.org/ta) or a mailto: address."
    return None


def selected_users(values: forms.StateValues, block_id: str, action_id: str) -> list[str] | None:
    """A `multi_users_select`'s user IDs; None when any entry is not a Slack user ID."""
    block = values.get(block_id) if isinstance(values, Mapping) else None
    element = block.get(action_id) if isinstance(block, Mapping) else None
    chosen = element.get("selected_users") if isinstance(element, Mapping) else None
    if chosen is None:
        return []
    if not isinstance(chosen, list) or not all(
        isinstance(u, str) and USER_ID.match(u) for u in chosen
    ):
        return None
    return list(dict.fromkeys(chosen))


def _choices(
    values: forms.StateValues, block: str, action: str, known: Mapping[str, str]
) -> list[str] | None:
    """The chosen options in the vocabulary's order; None when any is not ours."""
    chosen = forms.selected_values(values, block, action)
    if chosen is None or any(value not in known for value in chosen):
        return None
    return [value for value in known if value in chosen]


def parse_offering_form(values: forms.StateValues, now: datetime) -> OfferingForm | dict[str, str]:
    """Read the modal's state: a valid form, or `{block_id: message}` for Slack to show."""
    organisation = forms.text_value(values, ids.ORGANISATION_BLOCK, ids.ORGANISATION_INPUT)
    description = forms.text_value(values, ids.DESCRIPTION_BLOCK, ids.DESCRIPTION_INPUT)
    link = forms.text_value(values, ids.CONTACT_LINK_BLOCK, ids.CONTACT_LINK_INPUT)
    topics = _choices(values, ids.TOPICS_BLOCK, ids.TOPICS_INPUT, TA_TOPICS)
    regions = _choices(
        values,
        ids.REGIONS_BLOCK,
        ids.REGIONS_INPUT,
        {STATEWIDE: "Statewide", **{r: r for r in REGIONS}},
    )
    formats = _choices(values, ids.FORMATS_BLOCK, ids.FORMATS_INPUT, TA_OFFER_FORMATS)
    cost = forms.selected_value(values, ids.COST_BLOCK, ids.COST_INPUT)
    languages = _choices(values, ids.LANGUAGES_BLOCK, ids.LANGUAGES_INPUT, TA_LANGUAGES)
    contacts = selected_users(values, ids.CONTACTS_BLOCK, ids.CONTACTS_INPUT)

    checks = {
        ids.ORGANISATION_BLOCK: forms.length_error(
            organisation, "the organisation offering it", 2, ORGANISATION_MAX
        ),
        ids.DESCRIPTION_BLOCK: forms.length_error(
            description, "what you offer", DESCRIPTION_MIN, DESCRIPTION_MAX
        ),
        ids.CONTACT_LINK_BLOCK: contact_link_error(link),
    }
    errors = {block: message for block, message in checks.items() if message}
    if topics is None:
        errors[ids.TOPICS_BLOCK] = "Choose topics from the list."
    elif not topics:
        errors[ids.TOPICS_BLOCK] = "Choose at least one topic."
    if regions is None:
        errors[ids.REGIONS_BLOCK] = "Choose regions from the list."
    elif not regions:
        errors[ids.REGIONS_BLOCK] = "Choose the regions you serve, or Statewide."
    if formats is None:
        errors[ids.FORMATS_BLOCK] = "Choose formats from the list."
    elif not formats:
        errors[ids.FORMATS_BLOCK] = "Choose at least one format."
    if cost is None:
        errors[ids.COST_BLOCK] = "Say what it costs."
    elif cost not in TA_COSTS:
        errors[ids.COST_BLOCK] = "Choose a cost from the list."
    if languages is None:
        errors[ids.LANGUAGES_BLOCK] = "Choose languages from the list."
    elif not languages:
        errors[ids.LANGUAGES_BLOCK] = "Choose at least one language."
    if contacts is None:
        errors[ids.CONTACTS_BLOCK] = "Choose people from your workspace."
    elif len(contacts) > CONTACTS_MAX:
        errors[ids.CONTACTS_BLOCK] = f"Choose at most {CONTACTS_MAX} people."
    if errors or topics is None or regions is None or formats is None:
        return errors
    return OfferingForm(
        organisation=organisation,
        description=description,
        topics=topics,
        # Statewide covers every region: listing regions beside it would say less, not more.
        regions=[STATEWIDE] if STATEWIDE in regions else regions,
        formats=formats,
        cost=cost or "",
        languages=languages or [],
        contact_link=link,
        contacts=contacts or [],
    )
