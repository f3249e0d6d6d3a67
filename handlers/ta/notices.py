"""Every TA message besides the channel post: DMs to members and providers, and reminders.

Pure functions of a request, like `views`; the service decides who gets which.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handlers import blocks
from handlers.ta import ids
from handlers.ta.schemas import NOTE_MAX
from handlers.ta.views import (
    TaRequestView,
    blockquote,
    holder_buttons,
    mention,
    reference,
    summary,
    topic_label,
)

NEW_REQUEST_HINT = "Ask again any time with `/request-ta`."


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _cancel_button(request_id: int) -> dict[str, Any]:
    button = blocks.button("Cancel request", ids.CANCEL_ACTION, str(request_id), style="danger")
    button["confirm"] = {
        "title": blocks.plain("Cancel this request?", 100),
        "text": blocks.plain("The TA providers will stop working on it.", 300),
        "confirm": blocks.plain("Cancel request", 30),
        "deny": blocks.plain("Keep it", 30),
        "style": "danger",
    }
    return button


def receipt_message(request: TaRequestView) -> dict[str, Any]:
    """The DM a member gets right after asking: the reference number and a way to cancel."""
    text = (
        f"Thanks, your request for technical assistance is in. Your reference number is "
        f"*{reference(request.id)}*."
    )
    follow_up = (
        f"It went to the TA providers for {blocks.escape(request.region)}; I'll message you "
        "here when one of them picks it up."
    )
    return {
        "text": text,
        "blocks": [
            blocks.section(f"{text}\n{follow_up}"),
            blocks.context(summary(request)),
            blocks.actions(_cancel_button(request.id)),
        ],
    }


def claimed_message(request: TaRequestView, provider_id: str) -> dict[str, Any]:
    """The DM telling the member which provider picked their request up."""
    text = (
        f"Good news: {blocks.user(provider_id)} picked up your TA request "
        f"*{reference(request.id)}* ({topic_label(request.topic)}) and will be in touch."
    )
    return {
        "text": text,
        "blocks": [blocks.section(text), blocks.actions(_cancel_button(request.id))],
    }


def released_message(request: TaRequestView, provider_id: str) -> dict[str, Any]:
    """The DM telling the member their request is open again."""
    text = (
        f"{blocks.user(provider_id)} can no longer take your TA request "
        f"*{reference(request.id)}* ({topic_label(request.topic)}). It is open again, and "
        "another provider can pick it up."
    )
    return {
        "text": text,
        "blocks": [blocks.section(text), blocks.actions(_cancel_button(request.id))],
    }


def released_by_coordinator_message(request: TaRequestView, coordinator_id: str) -> dict[str, Any]:
    """The DM telling a provider a coordinator released the request they held."""
    text = (
        f"{blocks.user(coordinator_id)} released TA request *{reference(request.id)}* "
        f"({topic_label(request.topic)}), which you had claimed. It is open to other providers."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def resolved_message(request: TaRequestView, provider_id: str) -> dict[str, Any]:
    """The DM with the provider's note and a one-click "Was this helpful?"."""
    note = blockquote(request.resolution or "", NOTE_MAX)
    text = (
        f"{blocks.user(provider_id)} marked your TA request *{reference(request.id)}* "
        f"({topic_label(request.topic)}) resolved:\n{note}"
    )
    value = str(request.id)
    return {
        "text": text,
        "blocks": [
            blocks.section(text),
            blocks.section("*Was this helpful?*"),
            blocks.actions(
                blocks.button("Yes", ids.HELPFUL_ACTION, value, style="primary"),
                blocks.button("Not really", ids.NOT_HELPFUL_ACTION, value),
            ),
        ],
    }


def cancelled_message(request: TaRequestView) -> dict[str, Any]:
    """The DM confirming the member's own cancellation."""
    text = (
        f"You cancelled your TA request *{reference(request.id)}* "
        f"({topic_label(request.topic)}). {NEW_REQUEST_HINT}"
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def cancelled_for_holder_message(request: TaRequestView) -> dict[str, Any]:
    """The DM telling the provider who held it that the member cancelled."""
    text = (
        f"{blocks.user(request.requester_id)} cancelled TA request *{reference(request.id)}* "
        f"({topic_label(request.topic)}), which you had claimed. There is nothing more to do."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def feedback_thanks(helpful: bool) -> str:
    """The ephemeral answer to a "Was this helpful?" click."""
    if helpful:
        return "Thank you! Glad it helped; your answer is saved with the request."
    return "Thank you for saying so; your answer is saved with the request."


def unclaimed_bump(
    request: TaRequestView, *, recipients: Sequence[str], days: int
) -> dict[str, Any]:
    """The TA channel's reminder about a request nobody has claimed."""
    people = " ".join(mention(r) for r in recipients)
    text = (
        f"Still waiting for a provider: TA request {reference(request.id)} "
        f"({blocks.escape(request.region)}) has been open for {_days(days)}."
    )
    if people:
        text += f" {people}"
    return {
        "text": text,
        "blocks": [
            blocks.section(text),
            blocks.context(summary(request)),
            blocks.actions(
                blocks.button("Claim", ids.CLAIM_ACTION, str(request.id), style="primary")
            ),
        ],
    }


def unclaimed_coordinator_note(request: TaRequestView, *, days: int) -> dict[str, Any]:
    """The coordinators' notice that a request has waited too long for a provider."""
    text = (
        f"TA request {reference(request.id)} ({blocks.escape(request.region)}) from "
        f"{blocks.user(request.requester_id)} has not been claimed in {_days(days)}."
    )
    return {"text": text, "blocks": [blocks.section(text), blocks.context(summary(request))]}


def claimed_reminder(request: TaRequestView, *, days: int) -> dict[str, Any]:
    """The DM reminding a provider of a request they claimed and have not resolved."""
    text = (
        f"Reminder: you claimed TA request *{reference(request.id)}* "
        f"({topic_label(request.topic)}) {_days(days)} ago and it is not marked resolved yet. "
        "If it's done, mark it resolved; if you can't take it on, release it."
    )
    return {
        "text": text,
        "blocks": [
            blocks.section(text),
            blocks.context(summary(request)),
            holder_buttons(request.id),
        ],
    }
