"""The share-a-policy-update form and the Update status form, parsed and checked field by field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.vocabulary import (
    FUNDING_STREAMS,
    PILLARS,
    POLICY_KINDS,
    POLICY_STAGES,
    REGION_OF_COUNTY,
)
from handlers import forms
from handlers.policy import ids

TITLE_MAX = 150
DISTRICT_MAX = 150
IDENTIFIER_MAX = 32
DATE_LABEL_MAX = 60
LINK_MAX = 2000
SUMMARY_MIN = 20
SUMMARY_MAX = 3000
ACT_MAX = 500
NOTE_MAX = 150
MAX_DATES = 3
FURTHEST_AHEAD = timedelta(days=3 * 366)
STATE = "state"
STATE_LABEL = "State of California"

# A bill or budget identifier as the Legislature writes it: letters, a space, digits (AB 2117,
# SB 88, ACA 1). Typed without the space or in lower case it is accepted and written properly.
IDENTIFIER = re.compile(r"^([A-Za-z]{1,6})\s?([0-9]{1,6})$")

# "Anywhere on Earth" (UTC-12): the last zone in which a date is still today. The form is read
# before the network's settings are, so a date is refused only once it has ended everywhere;
# a date that is today in California is never refused.
_ANYWHERE_ON_EARTH = timedelta(hours=12)


def today_anywhere(now: datetime) -> date:
    """The earliest date that is still today somewhere on Earth at `now`."""
    return (now.astimezone(UTC) - _ANYWHERE_ON_EARTH).date()


class KeyDate(BaseModel):
    """A labelled all-day date: "Hearing", 10 December 2026."""

    model_config = ConfigDict(frozen=True)

    label: str
    on: date

    def stored(self) -> dict[str, str]:
        """As kept in the row's JSON list."""
        return {"label": self.label, "on": self.on.isoformat()}


def key_dates_of(stored: object) -> list[KeyDate]:
    """The row's JSON list back as key dates, soonest first; malformed entries are skipped."""
    found: list[KeyDate] = []
    for entry in stored if isinstance(stored, list) else []:
        if not isinstance(entry, Mapping):
            continue
        try:
            found.append(KeyDate(label=str(entry["label"]), on=date.fromisoformat(entry["on"])))
        except (KeyError, TypeError, ValueError):
            continue
    return sorted(found, key=lambda d: d.on)


class PolicyForm(BaseModel):
    """What a member wrote about a policy or funding update, after every check passed."""

    model_config = ConfigDict(frozen=True)

    title: str
    update_kind: str
    jurisdiction: str
    district: str | None
    identifier: str | None
    stage: str
    key_dates: list[dict[str, str]]
    source_link: str
    summary: str
    pillars: list[str]
    funding_streams: list[str]
    how_to_act: str | None

    @property
    def region(self) -> str | None:
        """The R-TAC region of a county's update; None for the state."""
        return REGION_OF_COUNTY.get(self.jurisdiction)

    @property
    def last_key_date(self) -> date | None:
        """The latest key date, if any."""
        dates = key_dates_of(self.key_dates)
        return dates[-1].on if dates else None


def _selected_date(values: forms.StateValues, block_id: str, action_id: str) -> date | None:
    block = values.get(block_id) if isinstance(values, Mapping) else None
    element = block.get(action_id) if isinstance(block, Mapping) else None
    value = element.get("selected_date") if isinstance(element, Mapping) else None
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def source_link_error(link: str) -> str | None:
    """A message unless the source is an `https` address (legislature, CDE and county sites)."""
    if not link:
        return "Please add a link to the source (the bill, the notice, the guidance)."
    problem = forms.link_error(link, LINK_MAX)
    if problem is not None:
        return problem
    if not link.lower().startswith("https://"):
        return "The source link must start with https:// (for example https://leginfo.legislature.ca.gov/…)."
    return None


def normal_identifier(text: str) -> str | None:
    """`ab2117` as `AB 2117`; None when it is not letters, a space and digits."""
    match = IDENTIFIER.match(text)
    return f"{match[1].upper()} {match[2]}" if match else None


def _key_dates(
    values: forms.StateValues, now: datetime, keep: frozenset[KeyDate] = frozenset()
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The form's key dates soonest first, or errors; a passed date is refused unless in `keep`.

    `keep` holds a published update's current dates: one that has passed may stay listed
    while the others move, but no date can be moved into the past.
    """
    dates: list[KeyDate] = []
    errors: dict[str, str] = {}
    today = today_anywhere(now)
    for label_block, label_input, date_block, date_input in ids.DATE_FIELDS:
        label = forms.text_value(values, label_block, label_input)
        on = _selected_date(values, date_block, date_input)
        if not label and on is None:
            continue
        if not label:
            errors[label_block] = "Name this date, for example Hearing or Applications due."
        elif len(label) > DATE_LABEL_MAX:
            errors[label_block] = f"Please keep this under {DATE_LABEL_MAX} characters."
        if on is None:
            errors[date_block] = "Pick the date, or clear its label."
        elif on < today and KeyDate(label=label, on=on) not in keep:
            errors[date_block] = "That date has passed; key dates are ones still ahead."
        elif on > today + FURTHEST_AHEAD:
            errors[date_block] = "Pick a date within the next three years."
        if label and on is not None and label_block not in errors and date_block not in errors:
            dates.append(KeyDate(label=label, on=on))
    ordered = sorted(dates, key=lambda d: d.on)
    return [d.stored() for d in ordered], errors


def parse_policy_form(values: forms.StateValues, now: datetime) -> PolicyForm | dict[str, str]:
    """Read the modal's state: a valid form, or `{block_id: message}` for Slack to show.

    The status must be one the kind has (a bill is "in committee", a grant "closing soon").
    """
    title = forms.text_value(values, ids.TITLE_BLOCK, ids.TITLE_INPUT)
    kind = forms.selected_value(values, ids.KIND_BLOCK, ids.KIND_INPUT)
    jurisdiction = forms.selected_value(values, ids.JURISDICTION_BLOCK, ids.JURISDICTION_INPUT)
    district = forms.text_value(values, ids.DISTRICT_BLOCK, ids.DISTRICT_INPUT)
    identifier = forms.text_value(values, ids.IDENTIFIER_BLOCK, ids.IDENTIFIER_INPUT)
    stage = forms.selected_value(values, ids.STAGE_BLOCK, ids.STAGE_INPUT)
    source = forms.text_value(values, ids.SOURCE_BLOCK, ids.SOURCE_INPUT)
    summary = forms.text_value(values, ids.SUMMARY_BLOCK, ids.SUMMARY_INPUT)
    pillars = forms.selected_values(values, ids.PILLARS_BLOCK, ids.PILLARS_INPUT)
    funding = forms.selected_values(values, ids.FUNDING_BLOCK, ids.FUNDING_INPUT)
    act = forms.text_value(values, ids.ACT_BLOCK, ids.ACT_INPUT)

    checks = {
        ids.TITLE_BLOCK: forms.length_error(title, "a title", 3, TITLE_MAX),
        ids.SOURCE_BLOCK: source_link_error(source),
        ids.SUMMARY_BLOCK: forms.length_error(summary, "a short summary", SUMMARY_MIN, SUMMARY_MAX),
    }
    errors = {block: message for block, message in checks.items() if message}
    key_dates, date_errors = _key_dates(values, now)
    errors.update(date_errors)
    if kind is None:
        errors[ids.KIND_BLOCK] = "Choose what kind of update this is."
    elif kind not in POLICY_KINDS:
        errors[ids.KIND_BLOCK] = "Choose a kind from the list."
    if jurisdiction is None:
        errors[ids.JURISDICTION_BLOCK] = "Choose the State of California or a county."
    elif jurisdiction != STATE and jurisdiction not in REGION_OF_COUNTY:
        errors[ids.JURISDICTION_BLOCK] = "Choose the state or a county from the list."
    if len(district) > DISTRICT_MAX:
        errors[ids.DISTRICT_BLOCK] = f"Please keep this under {DISTRICT_MAX} characters."
    elif district and jurisdiction == STATE:
        errors[ids.DISTRICT_BLOCK] = "For a district's policy, choose its county above."
    named = normal_identifier(identifier) if identifier else None
    if identifier and named is None:
        errors[ids.IDENTIFIER_BLOCK] = "Write it as letters, a space and digits, like AB 2117."
    stages = POLICY_STAGES.get(kind or "")
    if stage is None:
        errors[ids.STAGE_BLOCK] = "Choose where it stands now."
    elif stages is not None and stage not in stages:
        errors[ids.STAGE_BLOCK] = (
            f"For a {POLICY_KINDS[kind or ''].lower()}, choose one of: "
            + ", ".join(label.lower() for label in stages.values())
            + "."
        )
    if pillars is None or any(p not in PILLARS for p in pillars):
        errors[ids.PILLARS_BLOCK] = "Choose pillars from the list."
    elif not pillars:
        errors[ids.PILLARS_BLOCK] = "Choose at least one pillar it touches."
    if funding is None or any(f not in FUNDING_STREAMS for f in funding):
        errors[ids.FUNDING_BLOCK] = "Choose funding streams from the list."
    if len(act) > ACT_MAX:
        errors[ids.ACT_BLOCK] = f"Please keep this under {ACT_MAX} characters (it has {len(act)})."
    if errors:
        return errors
    return PolicyForm(
        title=title,
        update_kind=kind or "",
        jurisdiction=jurisdiction or STATE,
        district=district or None,
        identifier=named,
        stage=stage or "",
        key_dates=key_dates,
        source_link=source,
        summary=summary,
        pillars=[p for p in PILLARS if p in (pillars or [])],
        funding_streams=[f for f in FUNDING_STREAMS if f in (funding or [])],
        how_to_act=act or None,
    )


class StageChange(BaseModel):
    """A new stage for a published update, and the line its history gets."""

    model_config = ConfigDict(frozen=True)

    stage: str
    note: str | None


def parse_stage_form(values: forms.StateValues, kind: str) -> StageChange | dict[str, str]:
    """Read the Update status form for an update of `kind`."""
    stage = forms.selected_value(values, ids.NEW_STAGE_BLOCK, ids.NEW_STAGE_INPUT)
    note = forms.text_value(values, ids.NOTE_BLOCK, ids.NOTE_INPUT)
    errors: dict[str, str] = {}
    if stage is None:
        errors[ids.NEW_STAGE_BLOCK] = "Choose where it stands now."
    elif stage not in POLICY_STAGES.get(kind, {}):
        errors[ids.NEW_STAGE_BLOCK] = "Choose a status from the list."
    if len(note) > NOTE_MAX:
        errors[ids.NOTE_BLOCK] = f"Please keep this under {NOTE_MAX} characters."
    if errors:
        return errors
    return StageChange(stage=stage or "", note=note or None)


def history_entry(change: StageChange, *, by: str, at: datetime) -> dict[str, Any]:
    """One line of an update's history, as stored."""
    return {
        "at": at.astimezone(UTC).isoformat(),
        "stage": change.stage,
        "note": change.note,
        "by": by,
    }


class DatesChange(BaseModel):
    """New key dates for a published update, and the note its history line may carry."""

    model_config = ConfigDict(frozen=True)

    key_dates: list[dict[str, str]]
    note: str | None

    @property
    def last_key_date(self) -> date | None:
        """The latest key date, if any (what reminders and the calendar look up by)."""
        dates = key_dates_of(self.key_dates)
        return dates[-1].on if dates else None


def parse_dates_form(
    values: forms.StateValues, now: datetime, current: object
) -> DatesChange | dict[str, str]:
    """Read the Change key dates form of an update whose stored dates are `current`."""
    key_dates, errors = _key_dates(values, now, keep=frozenset(key_dates_of(current)))
    note = forms.text_value(values, ids.NOTE_BLOCK, ids.NOTE_INPUT)
    if len(note) > NOTE_MAX:
        errors[ids.NOTE_BLOCK] = f"Please keep this under {NOTE_MAX} characters."
    if errors:
        return errors
    return DatesChange(key_dates=key_dates, note=note or None)
