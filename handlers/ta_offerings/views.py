"""Block Kit for the TA directory: the offer form, posts, DMs and search results. Pure.

Everything here reads an offering through the attributes its row and its checked form share
(`OfferingView`); nothing here reads the database or calls Slack.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from core.vocabulary import REGIONS, TA_COSTS, TA_LANGUAGES, TA_OFFER_FORMATS, TA_TOPICS
from handlers import blocks
from handlers.review import views as review_views
from handlers.review.schemas import SubmissionRef
from handlers.ta_offerings import ids
from handlers.ta_offerings.schemas import (
    CONTACTS_MAX,
    DESCRIPTION_MAX,
    LINK_MAX,
    ORGANISATION_MAX,
    STATEWIDE,
    OfferingForm,
)
from storage.models import TaOffering

KIND_NAME = "ta_offering"
UNCONFIRMED_LABEL = (
    ":grey_question: _Unconfirmed: its provider has not said this year whether it is still "
    "offered._"
)

# What the views read of an offering: a stored one, or a form that passed every check.
OfferingView = TaOffering | OfferingForm


# A stored offering, as the directory lists it (id, submitter, contacts, unconfirmed).
ListedOffering = TaOffering


def region_label(region: str) -> str:
    """`Statewide` for the statewide value, the region's name otherwise."""
    return "Statewide" if region == STATEWIDE else region


def labels(values: Sequence[str], known: Any) -> str:
    """Readable, escaped labels joined by commas."""
    return blocks.escape(", ".join(known.get(v, v) for v in values))


def regions_text(regions: Sequence[str]) -> str:
    """The regions served, escaped."""
    return blocks.escape(", ".join(region_label(r) for r in regions))


def _options(known: Any) -> list[dict[str, Any]]:
    return [blocks.option(label, value) for value, label in known.items()]


def _initial(known: Any, chosen: Sequence[str]) -> list[dict[str, Any]]:
    return [blocks.option(known[value], value) for value in chosen if value in known]


REGION_CHOICES = {STATEWIDE: "Statewide", **{region: region for region in REGIONS}}


def _multi(action_id: str, known: Any, chosen: Sequence[str] | None, hint: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": action_id,
        "placeholder": blocks.plain(hint, 150),
        "options": _options(known),
    }
    if chosen:
        element["initial_options"] = _initial(known, chosen)
    return element


def offering_modal(
    initial: OfferingView | None = None, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The offer-TA form, blank or filled with an offering being edited."""
    cost: dict[str, Any] = {
        "type": "radio_buttons",
        "action_id": ids.COST_INPUT,
        "options": _options(TA_COSTS),
    }
    contacts: dict[str, Any] = {
        "type": "multi_users_select",
        "action_id": ids.CONTACTS_INPUT,
        "placeholder": blocks.plain("You, unless you choose others", 150),
        "max_selected_items": CONTACTS_MAX,
    }
    link: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.CONTACT_LINK_INPUT,
        "max_length": LINK_MAX,
        "placeholder": blocks.plain("https://… or mailto:…", 150),
    }
    if initial is not None:
        if initial.cost in TA_COSTS:
            cost["initial_option"] = blocks.option(TA_COSTS[initial.cost], initial.cost)
        if initial.contacts:
            contacts["initial_users"] = list(initial.contacts)
        if initial.contact_link:
            link["initial_value"] = initial.contact_link[:LINK_MAX]
    live = bool(metadata and metadata.get("live"))
    intro = (
        "Changes go live at once in the TA channel and the directory; the coordinators are told."
        if live
        else "Tell the network what technical assistance you offer. A coordinator reviews it "
        "before it is listed in the directory."
    )
    body = [
        blocks.section(intro),
        blocks.input_block(
            ids.ORGANISATION_BLOCK,
            "Organisation",
            blocks.text_input(
                ids.ORGANISATION_INPUT, ORGANISATION_MAX, initial.organisation if initial else None
            ),
        ),
        blocks.input_block(
            ids.DESCRIPTION_BLOCK,
            "What do you offer?",
            blocks.text_input(
                ids.DESCRIPTION_INPUT,
                DESCRIPTION_MAX,
                initial.description if initial else None,
                multiline=True,
            ),
            hint="What the help is, for whom, and how to ask for it.",
        ),
        blocks.input_block(
            ids.TOPICS_BLOCK,
            "TA topics",
            _multi(
                ids.TOPICS_INPUT, TA_TOPICS, initial.topics if initial else None, "Choose topics"
            ),
        ),
        blocks.input_block(
            ids.REGIONS_BLOCK,
            "Regions served",
            _multi(
                ids.REGIONS_INPUT,
                REGION_CHOICES,
                initial.regions if initial else None,
                "Choose regions",
            ),
            hint="The R-TAC regions you work in, or Statewide.",
        ),
        blocks.input_block(
            ids.FORMATS_BLOCK,
            "Formats",
            _multi(
                ids.FORMATS_INPUT,
                TA_OFFER_FORMATS,
                initial.formats if initial else None,
                "Choose formats",
            ),
        ),
        blocks.input_block(ids.COST_BLOCK, "Cost", cost),
        blocks.input_block(
            ids.LANGUAGES_BLOCK,
            "Languages offered",
            _multi(
                ids.LANGUAGES_INPUT,
                TA_LANGUAGES,
                initial.languages if initial else ["english"],
                "Choose languages",
            ),
        ),
        blocks.input_block(ids.CONTACT_LINK_BLOCK, "Contact link", link),
        blocks.input_block(
            ids.CONTACTS_BLOCK,
            "Who answers for it in Slack",
            contacts,
            optional=True,
            hint="Leave empty to be the contact yourself.",
        ),
    ]
    return {
        "type": "modal",
        "callback_id": ids.OFFER_MODAL,
        "title": blocks.plain("Offer TA" if not live else "Edit TA offering", 24),
        "submit": blocks.plain("Save changes" if live else "Submit for review", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps(metadata or {}),
        "blocks": body,
    }


def people(user_ids: Sequence[str]) -> str:
    """Mentions of the people who answer for an offering."""
    return " ".join(blocks.user(u) for u in user_ids)


def details(offering: OfferingView, contact_ids: Sequence[str] | None = None) -> str:
    """The offering as escaped mrkdwn lines, for review posts, the channel and the directory."""
    lines = [
        f"*Topics:* {labels(offering.topics, TA_TOPICS)}",
        f"*Regions:* {regions_text(offering.regions)}",
        f"*Formats:* {labels(offering.formats, TA_OFFER_FORMATS)}",
        f"*Cost:* {labels([offering.cost], TA_COSTS)} · "
        f"*Languages:* {labels(offering.languages, TA_LANGUAGES)}",
        f"*Contact:* <{blocks.escape_url(offering.contact_link)}|"
        f"{blocks.escape(blocks.truncate(offering.contact_link, 80))}>",
    ]
    who = list(contact_ids if contact_ids is not None else offering.contacts)
    if who:
        lines.append(f"*Ask:* {people(who)}")
    return "\n".join(lines)


def description_block(offering: OfferingView) -> blocks.Block:
    """What is offered, as the provider wrote it, within the section limit."""
    return blocks.section(blocks.quote(offering.description, blocks.SECTION_TEXT_MAX))


def heading(offering: OfferingView) -> str:
    """The escaped bold organisation and the first topic."""
    first = TA_TOPICS.get(offering.topics[0], offering.topics[0]) if offering.topics else ""
    return f"*{blocks.escape(offering.organisation)}* · {blocks.escape(first)}"


def review_post(
    offering: ListedOffering,
    *,
    title: str,
    revision: int,
    tz: ZoneInfo,
    decision: review_views.DecisionView | None = None,
) -> dict[str, Any]:
    """The post in the coordinators' channel: buttons while pending, the verdict after."""
    label = "TA offering to review"
    heading_text = label if revision == 1 else f"{label} (edit {revision})"
    body = [
        blocks.section(f"*{blocks.escape(offering.organisation)}*"),
        description_block(offering),
        blocks.section(details(offering, offering.contact_ids)),
        blocks.context(f"Offered by {blocks.user(offering.submitter_id)} · #{offering.id}"),
    ]
    return review_views.review_post(
        heading=heading_text,
        title=title,
        details=body,
        ref=SubmissionRef(KIND_NAME, offering.id),
        revision=revision,
        tz=tz,
        decision=decision,
    )


def contact_button(offering: OfferingView) -> dict[str, Any]:
    """A link button to the offering's contact link."""
    return blocks.button("Contact", ids.CONTACT_ACTION, "contact", url=offering.contact_link)


def request_button(offering_id: int, topic: str | None = None) -> dict[str, Any]:
    """Request from them: opens the TA request form, prefilled, for this offering."""
    value = f"{offering_id}|{topic or ''}"
    return blocks.button("Request from them", ids.REQUEST_ACTION, value, style="primary")


def manage_menu(offering_id: int) -> dict[str, Any]:
    """The ⋯ menu for the provider (and coordinators): edit or retire the offering."""
    return {
        "type": "overflow",
        "action_id": ids.MANAGE_ACTION,
        "options": [
            blocks.option("Edit offering", f"edit:{offering_id}"),
            blocks.option("Retire offering", f"retire:{offering_id}"),
        ],
    }


def published_post(offering: ListedOffering) -> dict[str, Any]:
    """The post in the TA channel once approved; rewritten whole on every later change."""
    credit = (
        f"Offered by {blocks.user(offering.submitter_id)} · in the TA directory: `/ccsn find-ta`"
    )
    body: list[blocks.Block] = [
        blocks.header(f"TA available: {offering.organisation}"),
        description_block(offering),
        blocks.section(details(offering, offering.contact_ids)),
        blocks.context(credit),
    ]
    if offering.unconfirmed:
        body.append(blocks.context(UNCONFIRMED_LABEL))
    body.append(
        blocks.actions(
            contact_button(offering), request_button(offering.id), manage_menu(offering.id)
        )
    )
    text = f"TA available: {blocks.escape(offering.organisation)}"
    return {"text": text, "blocks": body}


def retired_post(offering: ListedOffering, *, by: str, at_text: str) -> dict[str, Any]:
    """The TA channel post once the offering is retired: no buttons, nothing to ask for."""
    text = f"Retired: {blocks.escape(offering.organisation)}"
    return {
        "text": text,
        "blocks": [
            blocks.header(f"No longer offered: {offering.organisation}"),
            blocks.section(
                f"{heading(offering)}\n:no_entry_sign: Retired by {blocks.user(by)} {at_text}."
            ),
        ],
    }


def thanks_message(offering: OfferingView, offering_id: int) -> dict[str, Any]:
    """The DM a provider gets right after offering."""
    text = (
        f"Thank you for offering TA from *{blocks.escape(offering.organisation)}* "
        f"(#{offering_id}). "
        "A coordinator will review it soon, and I'll message you here when they do."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def resubmitted_message(offering: OfferingView, offering_id: int) -> dict[str, Any]:
    """The DM a provider gets after sending an edited offering back for review."""
    text = (
        f"Thanks! Your edited TA offering from *{blocks.escape(offering.organisation)}* "
        f"(#{offering_id}) is back with the coordinators."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def approved_message(title: str, link: str) -> dict[str, Any]:
    """The provider's DM on approval, with the yearly question explained."""
    text = (
        f"Good news: *{blocks.escape(title)}* was approved and is now in the TA directory: "
        f"{link}\nOnce a year I'll ask whether it is still offered. Change or retire it from "
        "its post's ⋯ menu."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def edited_notice(
    title: str, *, offering_id: int, editor_id: str, changes: Sequence[str]
) -> dict[str, Any]:
    """The coordinators' notice that a provider changed a listed offering."""
    what = blocks.escape(", ".join(changes))
    text = (
        f":pencil2: {blocks.user(editor_id)} edited the listed TA offering "
        f"*{blocks.escape(title)}* (#{offering_id}): {what}. The change is live."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def retired_notice(title: str, *, offering_id: int, by: str) -> dict[str, Any]:
    """The coordinators' notice that an offering left the directory."""
    text = (
        f":no_entry_sign: {blocks.user(by)} retired the TA offering *{blocks.escape(title)}* "
        f"(#{offering_id}). It is no longer listed."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def reconfirm_message(offering: ListedOffering, title: str) -> dict[str, Any]:
    """The yearly DM: is this still offered?"""
    text = (
        f"Is this still offered? *{blocks.escape(title)}* (#{offering.id}) has been in the "
        "network's TA directory for a year. If nobody answers within 30 days it stays listed, "
        "marked unconfirmed."
    )
    value = str(offering.id)
    return {
        "text": text,
        "blocks": [
            blocks.section(text),
            blocks.section(details(offering, offering.contact_ids)),
            blocks.actions(
                blocks.button("Still offered", ids.STILL_OFFERED_ACTION, value, style="primary"),
                blocks.button("Retire it", ids.RETIRE_ACTION, value, style="danger"),
            ),
        ],
    }


@dataclass(frozen=True)
class DirectoryQuery:
    """What `/ccsn find-ta` was asked, as the answer repeats it."""

    text: str
    topic: str | None
    problems: tuple[str, ...]


USAGE = (
    "Find technical assistance: `/ccsn find-ta [words] [topic:…] [region:…] [format:…] "
    '[cost:free]`, for example `/ccsn find-ta coaching topic:lcap region:"Central Valley"`.'
)


def _result_blocks(
    query: DirectoryQuery, offerings: Sequence[ListedOffering], *, none: str
) -> list[blocks.Block]:
    """What was asked, then each offering with Contact and Request from them (1 + 2 each)."""
    asked = blocks.quote(query.text, 200) or "everything"
    lines = [f"*TA directory:* {asked}"]
    lines += [f":grey_question: {blocks.escape(p)}" for p in query.problems]
    if not offerings:
        lines.append(none)
    body: list[blocks.Block] = [blocks.section("\n".join(lines))]
    for offering in offerings:
        summary = blocks.quote(blocks.truncate(offering.description, 280), 300)
        text = f"{heading(offering)}\n{summary}\n{details(offering, offering.contact_ids)}"
        if offering.unconfirmed:
            text += "\n" + UNCONFIRMED_LABEL
        body.append(blocks.section(text))
        topic = query.topic if query.topic in offering.topics else None
        body.append(blocks.actions(contact_button(offering), request_button(offering.id, topic)))
    return body


def _count(query: DirectoryQuery, offerings: Sequence[ListedOffering]) -> str:
    asked = blocks.quote(query.text, 200) or "everything"
    count = len(offerings)
    return f"{count} TA offering{'s' if count != 1 else ''} for {asked}"


def directory_results(query: DirectoryQuery, offerings: Sequence[ListedOffering]) -> dict[str, Any]:
    """The ephemeral answer to `/ccsn find-ta`: up to 10 offerings, each with its buttons."""
    none = (
        "No listed offering matches. Try fewer words or filters, or ask the providers "
        "with `/request-ta`."
    )
    body = _result_blocks(query, offerings, none=none)
    return {"text": _count(query, offerings), "blocks": body}


FIND_WORDS_MAX = 200
FREE = "free"


def _select(action_id: str, known: Mapping[str, str], chosen: object, hint: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": blocks.plain(hint, 150),
        "options": _options(known),
    }
    if isinstance(chosen, str) and chosen in known:
        element["initial_option"] = blocks.option(known[chosen], chosen)
    return element


def find_modal(initial: Mapping[str, object] | None = None) -> dict[str, Any]:
    """Home's Find TA: the `/ccsn find-ta` search as a form, filled again by Search again.

    `initial` is what the last search chose (`directory.choices`); anything not in the
    vocabulary is left blank rather than trusted.
    """
    chosen = initial or {}
    typed = chosen.get("words")
    words = blocks.text_input(
        ids.FIND_WORDS_INPUT,
        FIND_WORDS_MAX,
        typed if isinstance(typed, str) else None,
        placeholder=blocks.plain("e.g. coaching, asset mapping, family engagement", 150),
    )
    free = {FREE: "Only free offerings"}
    cost: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": ids.FIND_COST_INPUT,
        "options": _options(free),
    }
    if chosen.get("free") is True:
        cost["initial_options"] = _options(free)
    regions = {region: region for region in REGIONS}
    body = [
        blocks.section(
            "Search the network's TA directory. Leave everything empty to see the most "
            "recently confirmed offerings; statewide offerings count for every region."
        ),
        blocks.input_block(ids.FIND_WORDS_BLOCK, "Words", words, optional=True),
        blocks.input_block(
            ids.FIND_TOPIC_BLOCK,
            "TA topic",
            _select(ids.FIND_TOPIC_INPUT, TA_TOPICS, chosen.get("topic"), "Any topic"),
            optional=True,
        ),
        blocks.input_block(
            ids.FIND_REGION_BLOCK,
            "Region",
            _select(ids.FIND_REGION_INPUT, regions, chosen.get("region"), "Any region"),
            optional=True,
        ),
        blocks.input_block(
            ids.FIND_FORMAT_BLOCK,
            "Format",
            _select(ids.FIND_FORMAT_INPUT, TA_OFFER_FORMATS, chosen.get("format"), "Any format"),
            optional=True,
        ),
        blocks.input_block(ids.FIND_COST_BLOCK, "Cost", cost, optional=True),
    ]
    return {
        "type": "modal",
        "callback_id": ids.FIND_MODAL,
        "title": blocks.plain("Find TA", 24),
        "submit": blocks.plain("Search", 24),
        "close": blocks.plain("Cancel", 24),
        "blocks": body,
    }


def find_results_modal(
    query: DirectoryQuery,
    offerings: Sequence[ListedOffering],
    choices: Mapping[str, object],
) -> dict[str, Any]:
    """The search's results, replacing the form in the same modal (at most 21 blocks).

    Its submit button is Search again: the form comes back filled with `choices`, which
    the view carries in its metadata (well under Slack's 3,000 characters: the words are
    capped at 200).
    """
    none = "No listed offering matches that search. Try fewer words or filters."
    body = _result_blocks(query, offerings, none=none)
    body.append(
        blocks.context(
            "Request from them opens a TA request to that provider. "
            "Nothing fits? Use Request TA on Home to ask every provider."
        )
    )
    return {
        "type": "modal",
        "callback_id": ids.FIND_RESULTS_MODAL,
        "title": blocks.plain("Find TA", 24),
        "submit": blocks.plain("Search again", 24),
        "close": blocks.plain("Done", 24),
        "private_metadata": json.dumps(dict(choices)),
        "blocks": body,
    }


def notice_modal(text: str) -> dict[str, Any]:
    """A one-sentence answer pushed over a modal, where an ephemeral message cannot go."""
    return blocks.notice_modal("TA directory", text, close="Back")


def unavailable_modal() -> dict[str, Any]:
    """What the form shows while the TA channel is not set (no submit button)."""
    return blocks.notice_modal(
        "Offer TA",
        "The TA directory is not set up yet (CCSN_TA_CHANNEL is not set). "
        "Please tell a network coordinator.",
    )
