"""The share-a-practice form: parsed from a modal and checked field by field."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from core.vocabulary import FUNDING_STREAMS, PILLARS, REGION_OF_COUNTY
from handlers import forms
from handlers.practices import ids

TITLE_MAX = 150
SUMMARY_MAX = 3000
ORGANISATION_MAX = 150
LINK_MAX = 2000


class PracticeForm(BaseModel):
    """What a member wrote about a practice, after every check passed."""

    model_config = ConfigDict(frozen=True)

    title: str
    summary: str
    pillars: list[str]
    county: str
    organisation: str
    funding_streams: list[str]
    link: str | None
    credit_submitter: bool

    @property
    def region(self) -> str:
        """The R-TAC region the county belongs to."""
        return REGION_OF_COUNTY[self.county]


class PracticeDraft(BaseModel):
    """A partly filled form, e.g. from a message turned into a practice."""

    model_config = ConfigDict(frozen=True)

    title: str = ""
    summary: str = ""
    pillars: list[str] = []
    county: str = ""
    organisation: str = ""
    funding_streams: list[str] = []
    link: str | None = None
    credit_submitter: bool = True

    @property
    def region(self) -> str:
        """The region of the county, if one is chosen."""
        return REGION_OF_COUNTY.get(self.county, "")


def unescape_message_text(text: str) -> str:
    """A Slack message's text as the person typed it (entities decoded) for a form field."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_practice_form(values: forms.StateValues) -> PracticeForm | dict[str, str]:
    """Read the modal's state: a valid form, or `{block_id: message}` for Slack to show."""
    errors: dict[str, str] = {}
    title = forms.text_value(values, ids.TITLE_BLOCK, ids.TITLE_INPUT)
    summary = forms.text_value(values, ids.SUMMARY_BLOCK, ids.SUMMARY_INPUT)
    organisation = forms.text_value(values, ids.ORGANISATION_BLOCK, ids.ORGANISATION_INPUT)
    link = forms.text_value(values, ids.LINK_BLOCK, ids.LINK_INPUT)
    pillars = forms.selected_values(values, ids.PILLARS_BLOCK, ids.PILLARS_INPUT)
    county = forms.selected_value(values, ids.COUNTY_BLOCK, ids.COUNTY_INPUT)
    funding = forms.selected_values(values, ids.FUNDING_BLOCK, ids.FUNDING_INPUT)
    credit = forms.selected_value(values, ids.CREDIT_BLOCK, ids.CREDIT_INPUT)

    checks = {
        ids.TITLE_BLOCK: forms.length_error(title, "a title", 3, TITLE_MAX),
        ids.SUMMARY_BLOCK: forms.length_error(summary, "a short summary", 20, SUMMARY_MAX),
        ids.ORGANISATION_BLOCK: forms.length_error(
            organisation, "the school, district or organisation", 2, ORGANISATION_MAX
        ),
        ids.LINK_BLOCK: forms.link_error(link, LINK_MAX),
    }
    errors.update({block: message for block, message in checks.items() if message})
    if not pillars:
        errors[ids.PILLARS_BLOCK] = "Choose at least one pillar."
    elif any(p not in PILLARS for p in pillars):
        errors[ids.PILLARS_BLOCK] = "Choose pillars from the list."
    if county is None:
        errors[ids.COUNTY_BLOCK] = "Choose the county where this happens."
    elif county not in REGION_OF_COUNTY:
        errors[ids.COUNTY_BLOCK] = "Choose a county from the list."
    if funding is None or any(f not in FUNDING_STREAMS for f in funding):
        errors[ids.FUNDING_BLOCK] = "Choose funding streams from the list."
    if credit not in ("named", "anonymous"):
        errors[ids.CREDIT_BLOCK] = "Say whether we may name you."
    if errors:
        return errors
    return PracticeForm(
        title=title,
        summary=summary,
        pillars=[p for p in PILLARS if p in (pillars or [])],
        county=county or "",
        organisation=organisation,
        funding_streams=[f for f in FUNDING_STREAMS if f in (funding or [])],
        link=link or None,
        credit_submitter=credit == "named",
    )
