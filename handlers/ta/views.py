"""Block Kit for TA requests: the two forms and the TA channel post. Pure functions.

DMs and reminders are built in `notices`, from the helpers here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from core.vocabulary import TA_FORMATS, TA_TOPICS
from handlers import blocks
from handlers.practices.views import county_options
from handlers.ta import ids
from handlers.ta.schemas import NEED_MAX, NOTE_MAX, ORGANISATION_MAX
from storage.models import TaRequest

# What the views read of a TA request: the stored row.
TaRequestView = TaRequest


def reference(request_id: int) -> str:
    """The reference number members and providers quote: TA-12."""
    return f"TA-{request_id}"


def topic_label(topic: str) -> str:
    """The readable topic, escaped for mrkdwn (labels contain `&`)."""
    return blocks.escape(TA_TOPICS.get(topic, topic))


def mention(slack_id: str) -> str:
    """A mention of a configured user (U…/W…) or user group (S…)."""
    return f"<!subteam^{slack_id}>" if slack_id.startswith("S") else blocks.user(slack_id)


def day_date(day: date) -> str:
    """A calendar date as people write it: Thu Dec 10, 2026."""
    return f"{day:%a %b} {day.day}, {day.year}"


def blockquote(text: str, limit: int) -> str:
    """User text as an escaped mrkdwn quote; every line is marked, not only the first."""
    return ">" + blocks.quote(text, limit).replace("\n", "\n>")


def holder_buttons(request_id: int) -> blocks.Block:
    """Mark resolved and Release, for whoever holds the request."""
    value = str(request_id)
    return blocks.actions(
        blocks.button("Mark resolved", ids.RESOLVE_ACTION, value, style="primary"),
        blocks.button("Release", ids.RELEASE_ACTION, value),
    )


@dataclass(frozen=True)
class RequestPrefill:
    """A request form opened from a TA directory offering (**Request from them**).

    The offering's topic is chosen, the counties of the regions it serves come first, and the
    form carries the offering's id back so its contacts are asked first.
    """

    offering_id: int
    organisation: str
    topic: str | None
    regions: tuple[str, ...]


def _county_groups(regions: Sequence[str]) -> list[dict[str, Any]]:
    """Every county by region, those of `regions` first (all 58 stay choosable)."""
    groups = county_options()
    first = [g for g in groups if g["label"]["text"] in regions]
    return first + [g for g in groups if g not in first]


def request_modal(prefill: RequestPrefill | None = None) -> dict[str, Any]:
    """The request-TA form, blank or opened from an offering in the TA directory."""
    no_digest = blocks.option("No, keep it between me and the TA providers", "no")
    topic: dict[str, Any] = {
        "type": "static_select",
        "action_id": ids.TOPIC_INPUT,
        "placeholder": blocks.plain("Choose a topic", 150),
        "options": [blocks.option(label, value) for value, label in TA_TOPICS.items()],
    }
    intro = (
        "Tell the network's technical-assistance providers what would help. The providers "
        "for your region see it, and I'll message you when one of them picks it up."
    )
    if prefill is not None:
        if prefill.topic is not None and prefill.topic in TA_TOPICS:
            topic["initial_option"] = blocks.option(TA_TOPICS[prefill.topic], prefill.topic)
        intro = (
            f"Ask *{blocks.escape(prefill.organisation)}* for help: the people who answer for "
            "their offering are asked first, then your region's providers."
        )
    body = [
        blocks.section(intro),
        blocks.input_block(ids.TOPIC_BLOCK, "Topic", topic),
        blocks.input_block(
            ids.NEED_BLOCK,
            "What do you need?",
            {
                "type": "plain_text_input",
                "action_id": ids.NEED_INPUT,
                "multiline": True,
                "max_length": NEED_MAX,
            },
            hint="Your situation and the help that would make a difference.",
        ),
        blocks.input_block(
            ids.COUNTY_BLOCK,
            "County",
            {
                "type": "static_select",
                "action_id": ids.COUNTY_INPUT,
                "placeholder": blocks.plain("Choose a county", 150),
                "option_groups": _county_groups(prefill.regions if prefill else ()),
            },
            hint="Decides which regional TA centre sees your request.",
        ),
        blocks.input_block(
            ids.ORGANISATION_BLOCK,
            "School, district or organisation",
            {
                "type": "plain_text_input",
                "action_id": ids.ORGANISATION_INPUT,
                "max_length": ORGANISATION_MAX,
            },
        ),
        blocks.input_block(
            ids.NEEDED_BY_BLOCK,
            "Needed by",
            {
                "type": "datepicker",
                "action_id": ids.NEEDED_BY_INPUT,
                "placeholder": blocks.plain("Pick a date", 150),
            },
            hint="If there is no deadline, pick the latest date that would still be useful.",
        ),
        blocks.input_block(
            ids.FORMAT_BLOCK,
            "Preferred format",
            {
                "type": "radio_buttons",
                "action_id": ids.FORMAT_INPUT,
                "options": [blocks.option(label, value) for value, label in TA_FORMATS.items()],
            },
        ),
        blocks.input_block(
            ids.DIGEST_BLOCK,
            "May this request appear in the weekly digest?",
            {
                "type": "radio_buttons",
                "action_id": ids.DIGEST_INPUT,
                "options": [blocks.option("Yes, it may appear in the digest", "yes"), no_digest],
                "initial_option": no_digest,
            },
        ),
    ]
    return {
        "type": "modal",
        "callback_id": ids.REQUEST_MODAL,
        "title": blocks.plain("Request assistance", 24),
        "submit": blocks.plain("Send request", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps(
            {"offering_id": prefill.offering_id} if prefill is not None else {}
        ),
        "blocks": body,
    }


def not_set_up_modal(message: str) -> dict[str, Any]:
    """What the shortcut shows when TA requests cannot be taken yet (no submit button)."""
    return {
        "type": "modal",
        "title": blocks.plain("Request assistance", 24),
        "close": blocks.plain("Close", 24),
        "blocks": [{"type": "section", "text": blocks.plain(message)}],
    }


def _details(request: TaRequestView) -> str:
    return "\n".join(
        [
            f"*Where:* {blocks.escape(request.organisation)} · "
            f"{blocks.escape(request.county)} County ({blocks.escape(request.region)})",
            f"*Needed by:* {day_date(request.needed_by)} · "
            f"*Format:* {blocks.escape(TA_FORMATS.get(request.format, request.format))}",
            f"*Asked by:* {blocks.user(request.requester_id)}",
        ]
    )


def _routing_line(region: str, recipients: Sequence[str], regional: bool) -> str:
    region = blocks.escape(region)
    if not recipients:
        return f"{region} · no TA providers are configured yet; coordinators, please route this."
    people = " ".join(mention(r) for r in recipients)
    return f"For the {region} TA providers: {people}" if regional else f"For {region}: {people}"


def _status_block(request: TaRequestView, tz: ZoneInfo) -> blocks.Block:
    holder = blocks.user(request.claimed_by) if request.claimed_by else "a provider"
    if request.status == "open":
        return blocks.section(":large_green_circle: *Open*: waiting for a provider to claim it.")
    if request.status == "claimed":
        return blocks.section(f":raising_hand: *Claimed* by {holder}")
    if request.status == "resolved":
        at = f" {blocks.when(request.resolved_at, tz)}" if request.resolved_at else ""
        note = blockquote(request.resolution or "", NOTE_MAX)
        return blocks.section(f":white_check_mark: *Resolved* by {holder}{at}\n{note}")
    at = f" {blocks.when(request.cancelled_at, tz)}" if request.cancelled_at else ""
    return blocks.section(f":no_entry_sign: *Cancelled* by the requester{at}")


def channel_post(
    request: TaRequestView,
    *,
    recipients: Sequence[str],
    regional: bool,
    tz: ZoneInfo,
    offering_contacts: Sequence[str] = (),
) -> dict[str, Any]:
    """The post in the TA channel: mentions the region's providers; buttons follow the status.

    `offering_contacts` (people who offer this kind of help in the TA directory) are
    mentioned first, on a line of their own.
    """
    ref = reference(request.id)
    routing = [
        blocks.context(_routing_line(request.region, recipients, regional)),
    ]
    if offering_contacts:
        offered = " ".join(mention(person) for person in offering_contacts)
        routing.insert(0, blocks.context(f"Offered in the TA directory: {offered}"))
    body: list[blocks.Block] = [
        blocks.header(f"TA request {ref}: {TA_TOPICS.get(request.topic, request.topic)}"),
        blocks.section(blocks.quote(request.need, blocks.SECTION_TEXT_MAX)),
        blocks.section(_details(request)),
        *routing,
        _status_block(request, tz),
    ]
    if request.status == "open":
        body.append(
            blocks.actions(
                blocks.button("Claim", ids.CLAIM_ACTION, str(request.id), style="primary")
            )
        )
    elif request.status == "claimed":
        body.append(holder_buttons(request.id))
    region = blocks.escape(request.region)
    text = f"TA request {ref} ({region}, {request.status}): {topic_label(request.topic)}"
    mentioned = list(dict.fromkeys([*offering_contacts, *recipients]))
    if request.status == "open" and mentioned:
        text += " " + " ".join(mention(r) for r in mentioned)
    return {"text": text, "blocks": body}


def summary(request: TaRequestView) -> str:
    """One escaped line naming the request: reference, topic, organisation, deadline."""
    return (
        f"*{reference(request.id)}* · {topic_label(request.topic)} · "
        f"{blocks.escape(request.organisation)} · needed by {day_date(request.needed_by)}"
    )


def resolve_modal(request: TaRequestView) -> dict[str, Any]:
    """The modal asking the provider for a short resolution note for the member."""
    return {
        "type": "modal",
        "callback_id": ids.RESOLVE_MODAL,
        "title": blocks.plain("Resolve TA request", 24),
        "submit": blocks.plain("Mark resolved", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps({"request_id": request.id}),
        "blocks": [
            blocks.section(f"{summary(request)}\nfor {blocks.user(request.requester_id)}"),
            blocks.input_block(
                ids.NOTE_BLOCK,
                "What was done?",
                blocks.text_input(ids.NOTE_INPUT, NOTE_MAX, multiline=True),
                hint="The member sees this in a direct message.",
            ),
        ],
    }
