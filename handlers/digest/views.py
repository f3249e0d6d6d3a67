"""Block Kit for the digest around its sections: the subscription form, DMs, previews. Pure."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from core.vocabulary import FUNDING_STREAMS, PILLARS, REGIONS, TA_TOPICS
from handlers import blocks
from handlers.digest import ids
from handlers.digest.layout import Message
from handlers.digest.sections import clock_time, day

_LINK = re.compile(r"<(https?://[^|<>]+)\|([^<>]*)>")
_MENTION = re.compile(r"<([#@])([A-Z0-9]+)>")


class SubscriptionView(Protocol):
    """What the views read of a subscription (a stored one or a checked form)."""

    @property
    def regions(self) -> list[str]:
        """R-TAC region names; empty for all."""

    @property
    def pillars(self) -> list[str]:
        """Pillar slugs; empty for all."""

    @property
    def ta_topics(self) -> list[str]:
        """TA topic slugs; empty for all."""

    @property
    def funding_streams(self) -> list[str]:
        """Funding stream slugs, for the Policy & funding section; empty for all."""


def _multi(
    block_id: str,
    action_id: str,
    label: str,
    options: dict[str, str],
    chosen: list[str],
    hint: str | None = None,
) -> blocks.Block:
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": action_id,
        "placeholder": blocks.plain("All of them", 150),
        "options": [blocks.option(text, value) for value, text in options.items()],
    }
    initial = [blocks.option(options[v], v) for v in chosen if v in options]
    if initial:
        element["initial_options"] = initial
    return blocks.input_block(block_id, label, element, optional=True, hint=hint)


def subscribe_modal(current: SubscriptionView | None = None) -> dict[str, Any]:
    """The personal digest form, filled with the member's current choices."""
    regions = {region: region for region in REGIONS}
    return {
        "type": "modal",
        "callback_id": ids.SUBSCRIBE_MODAL,
        "title": blocks.plain("Personal digest", 24),
        "submit": blocks.plain("Subscribe" if current is None else "Save", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps({}),
        "blocks": [
            blocks.section(
                "Get a weekly direct message with what matters to you. Leave a list empty "
                "to get everything of that kind."
            ),
            _multi(
                ids.REGIONS_BLOCK,
                ids.REGIONS_INPUT,
                "Regions",
                regions,
                current.regions if current else [],
            ),
            _multi(
                ids.PILLARS_BLOCK,
                ids.PILLARS_INPUT,
                "Pillars",
                dict(PILLARS),
                current.pillars if current else [],
            ),
            _multi(
                ids.TOPICS_BLOCK,
                ids.TOPICS_INPUT,
                "Technical-assistance topics",
                dict(TA_TOPICS),
                current.ta_topics if current else [],
            ),
            _multi(
                ids.FUNDING_BLOCK,
                ids.FUNDING_INPUT,
                "Funding streams",
                dict(FUNDING_STREAMS),
                list(current.funding_streams or []) if current else [],
                hint="Narrows the Policy & funding section: bills, budget items and grants "
                "tagged with these streams.",
            ),
        ],
    }


def filter_summary(subscription: SubscriptionView) -> str:
    """The member's filters in words, as escaped mrkdwn."""

    def words(chosen: list[str], labels: dict[str, str], everything: str) -> str:
        return ", ".join(labels.get(v, v) for v in chosen) if chosen else everything

    parts = [
        words(subscription.regions, {r: r for r in REGIONS}, "all regions"),
        words(subscription.pillars, dict(PILLARS), "all pillars"),
        words(subscription.ta_topics, dict(TA_TOPICS), "all TA topics"),
    ]
    funding = list(subscription.funding_streams or [])
    if funding:  # only policy updates carry funding streams, so say so only when chosen
        parts.append(f"policy & funding on {words(funding, dict(FUNDING_STREAMS), '')}")
    return blocks.escape(" · ".join(parts))


def when(at: datetime, tz: ZoneInfo) -> str:
    """A scheduled time in the network's zone: "Mon Dec 7 at 9:00 AM PST"."""
    local = at.astimezone(tz)
    return f"{day(local)} at {clock_time(local)}"


def manage_buttons() -> blocks.Block:
    """The buttons under every personal digest: change the filters, or stop in one click."""
    return blocks.actions(
        blocks.button("Change filters", ids.EDIT_SUBSCRIPTION_ACTION, "edit"),
        blocks.button("Unsubscribe", ids.UNSUBSCRIBE_ACTION, "unsubscribe", style="danger"),
    )


def subscribed_message(subscription: SubscriptionView, next_at: str, *, new: bool) -> Message:
    """The DM confirming a subscription or a change of filters."""
    opening = "You're subscribed to" if new else "Your filters are saved for"
    text = (
        f"{opening} a personal CCSN digest: {filter_summary(subscription)}. "
        f"The next one comes {next_at}, in any week with something for you."
    )
    return {"text": text, "blocks": [blocks.section(text), manage_buttons()]}


def unsubscribed_message() -> Message:
    """The DM confirming an unsubscribe, with the way back."""
    text = (
        "You're unsubscribed from your personal CCSN digest. The weekly digest in the "
        "network channel carries on; `/ccsn subscribe` starts your personal one again."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def preview(messages: Sequence[Message]) -> Message:
    """The ephemeral preview for a coordinator: the first message and what follows it.

    `messages` come without links (`service.preview`): the outbox adds them when it posts.
    """
    first = messages[0]
    body = list(first["blocks"])
    if body and "Continued in" in json.dumps(body[-1]):
        body.pop()
    replies = len(messages) - 1
    note = "Preview, only visible to you. Links to posts are added when it is posted."
    if replies:
        note += f" {replies} more messages follow in its thread."
    body.append(blocks.context(note))
    return {"text": f"Preview: {first['text']}", "blocks": body}


def _unescaped(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = _MENTION.sub(lambda m: f"{m.group(1)}{m.group(2)}", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def as_text(messages: Sequence[Message]) -> str:
    """The digest as readable plain text, for `ccsn-bot digest preview`."""
    lines: list[str] = []
    for number, message in enumerate(messages, start=1):
        if number > 1:
            lines += ["", f"--- reply {number - 1} in the thread ---"]
        for block in message["blocks"]:
            kind = block["type"]
            if kind == "header":
                lines += ["", f"== {block['text']['text']} =="]
            elif kind == "section":
                lines.append(_unescaped(block["text"]["text"]))
            elif kind == "context":
                lines += [_unescaped(e.get("text", "")) for e in block["elements"]]
            elif kind == "actions":
                lines.append("  ".join(f"[{e['text']['text']}]" for e in block["elements"]))
    return "\n".join(lines).strip() + "\n"
