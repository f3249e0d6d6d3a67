"""Block Kit for sharing a practice: the modal and the member's messages. Pure functions."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from core.vocabulary import FUNDING_STREAMS, PILLARS, REGION_OF_COUNTY, REGIONS
from handlers import blocks
from handlers.practices import ids
from handlers.practices.schemas import (
    LINK_MAX,
    ORGANISATION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    PracticeDraft,
    PracticeForm,
)
from handlers.review import views as review_views
from handlers.review.schemas import SubmissionRef
from storage.models import Practice

# What the views read of a practice: a stored one, or a form that passed every check (both
# carry the same fields; mypy checks each use against both).
PracticeView = Practice | PracticeForm


def _options(labels: dict[str, str] | Any) -> list[dict[str, Any]]:
    return [blocks.option(label, value) for value, label in labels.items()]


def _initial(labels: Any, chosen: list[str]) -> list[dict[str, Any]]:
    return [blocks.option(labels[value], value) for value in chosen if value in labels]


def county_options() -> list[dict[str, Any]]:
    """All 58 counties grouped by R-TAC region, for a `static_select`'s `option_groups`."""
    return [
        {
            "label": blocks.plain(region, blocks.OPTION_TEXT_MAX),
            "options": [blocks.option(c, c) for c in counties],
        }
        for region, counties in REGIONS.items()
    ]


def practice_modal(
    initial: PracticeView | PracticeDraft | None = None, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The share-a-practice form, blank or filled with a practice being edited."""
    pillars: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": ids.PILLARS_INPUT,
        "placeholder": blocks.plain("Choose one or more", 150),
        "options": _options(PILLARS),
    }
    county: dict[str, Any] = {
        "type": "static_select",
        "action_id": ids.COUNTY_INPUT,
        "placeholder": blocks.plain("Choose a county", 150),
        "option_groups": county_options(),
    }
    funding: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": ids.FUNDING_INPUT,
        "placeholder": blocks.plain("Choose any that paid for it", 150),
        "options": _options(FUNDING_STREAMS),
    }
    named = blocks.option("Yes, name me as the contributor", "named")
    anonymous = blocks.option("No, share it without my name", "anonymous")
    credit: dict[str, Any] = {
        "type": "radio_buttons",
        "action_id": ids.CREDIT_INPUT,
        "options": [named, anonymous],
        "initial_option": named,
    }
    link: dict[str, Any] = {"type": "url_text_input", "action_id": ids.LINK_INPUT}
    if initial is not None:
        if initial.pillars:
            pillars["initial_options"] = _initial(PILLARS, initial.pillars)
        if initial.county in REGION_OF_COUNTY:
            county["initial_option"] = blocks.option(initial.county, initial.county)
        if initial.funding_streams:
            funding["initial_options"] = _initial(FUNDING_STREAMS, initial.funding_streams)
        credit["initial_option"] = named if initial.credit_submitter else anonymous
        if initial.link:
            link["initial_value"] = initial.link[:LINK_MAX]
    body = [
        blocks.section(
            "Tell the network about something that works at your community school. "
            "A coordinator reviews it before it is published."
        ),
        blocks.input_block(
            ids.TITLE_BLOCK,
            "Title",
            blocks.text_input(ids.TITLE_INPUT, TITLE_MAX, initial.title if initial else None),
        ),
        blocks.input_block(
            ids.SUMMARY_BLOCK,
            "Summary",
            blocks.text_input(
                ids.SUMMARY_INPUT, SUMMARY_MAX, initial.summary if initial else None, multiline=True
            ),
            hint="What you did, for whom, and what changed.",
        ),
        blocks.input_block(ids.PILLARS_BLOCK, "Pillar(s)", pillars),
        blocks.input_block(ids.COUNTY_BLOCK, "County", county),
        blocks.input_block(
            ids.ORGANISATION_BLOCK,
            "School, district or organisation",
            blocks.text_input(
                ids.ORGANISATION_INPUT, ORGANISATION_MAX, initial.organisation if initial else None
            ),
        ),
        blocks.input_block(ids.FUNDING_BLOCK, "Funding streams used", funding, optional=True),
        blocks.input_block(
            ids.LINK_BLOCK, "Link", link, optional=True, hint="A page or document to read more."
        ),
        blocks.input_block(ids.CREDIT_BLOCK, "May we name you?", credit),
    ]
    return {
        "type": "modal",
        "callback_id": ids.PRACTICE_MODAL,
        "title": blocks.plain("Share a practice", 24),
        "submit": blocks.plain("Submit for review", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps(metadata or {}),
        "blocks": body,
    }


def practice_details(practice: PracticeView) -> str:
    """The practice as escaped mrkdwn lines, for review and publication posts."""
    pillars = ", ".join(PILLARS.get(p, p) for p in practice.pillars)
    funding = ", ".join(FUNDING_STREAMS.get(f, f) for f in practice.funding_streams) or "not given"
    lines = [
        f"*{blocks.escape(practice.title)}*",
        f"_{blocks.escape(practice.organisation)}_ · {blocks.escape(practice.county)} County "
        f"({blocks.escape(practice.region)})",
        f"*Pillars:* {blocks.escape(pillars)}",
        f"*Funding:* {blocks.escape(funding)}",
    ]
    if practice.link:
        lines.append(f"*Link:* {link(practice.link)}")
    return "\n".join(lines)


def link(url: str, label: str = "Read more") -> str:
    """A mrkdwn link to a checked http(s) URL; `|` would end the URL part, so it is encoded."""
    return f"<{blocks.escape_url(url)}|{blocks.escape(label)}>"


def summary_block(practice: PracticeView) -> blocks.Block:
    """The summary as a section, escaped and within the section limit."""
    return blocks.section(blocks.quote(practice.summary, blocks.SECTION_TEXT_MAX))


def thanks_message(practice: PracticeView, practice_id: int) -> dict[str, Any]:
    """The DM a member gets right after sharing."""
    text = (
        f"Thank you for sharing *{blocks.escape(practice.title)}* (#{practice_id}). "
        "A coordinator will review it soon, and I'll message you here when they do."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def resubmitted_message(practice: PracticeView, practice_id: int) -> dict[str, Any]:
    """The DM a member gets after sending an edited practice back for review."""
    text = (
        f"Thanks! Your edited practice *{blocks.escape(practice.title)}* (#{practice_id}) "
        "is back with the coordinators."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def review_post(
    practice: PracticeView,
    *,
    practice_id: int,
    submitter_id: str,
    revision: int,
    tz: ZoneInfo,
    decision: review_views.DecisionView | None = None,
) -> dict[str, Any]:
    """The post in the coordinators' channel: buttons while pending, the verdict after."""
    heading = "Practice to review" if revision == 1 else f"Practice to review (edit {revision})"
    details = [
        blocks.section(practice_details(practice)),
        summary_block(practice),
        blocks.context(
            f"Shared by {blocks.user(submitter_id)} · #{practice_id} · "
            + ("may be named" if practice.credit_submitter else "wants to stay anonymous")
        ),
    ]
    return review_views.review_post(
        heading=heading,
        title=practice.title,
        details=details,
        ref=SubmissionRef("practice", practice_id),
        revision=revision,
        tz=tz,
        decision=decision,
    )


def published_post(
    practice: PracticeView, *, submitter_id: str, web_url: str | None = None
) -> dict[str, Any]:
    """The post in the practices channel once a coordinator approved it.

    `web_url` is its page in the public library, when the bot has a public address.
    """
    credit = (
        f"Shared by {blocks.user(submitter_id)}"
        if practice.credit_submitter
        else ("Shared by a network member")
    )
    extra = [blocks.actions(blocks.button("View on the web", ids.WEB_ACTION, "web", url=web_url))]
    return {
        "text": f"New practice: {blocks.escape(practice.title)}",
        "blocks": [
            blocks.header(practice.title),
            blocks.section(practice_details(practice)),
            summary_block(practice),
            blocks.context(credit),
            *(extra if web_url else []),
        ],
    }
