"""Synchronous answers to the person who acted: ephemeral messages and metadata parsing.

These are the only Slack calls made outside the outbox: they answer a click right now, and
nothing is lost if one fails (the person simply clicks again).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from http.client import HTTPException
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

_ID = re.compile(r"[1-9][0-9]{0,9}")  # ASCII digits only: "²".isdigit() is True
TRY_AGAIN = "Sorry, I couldn't save that just now. Please try again in a minute."


def tell(client: WebClient, body: Mapping[str, Any], text: str) -> None:
    """Show `text` only to the person who clicked, where they clicked."""
    channel = _field(body, "channel", "id") or _field(body, "container", "channel_id")
    user = _field(body, "user", "id")
    if not channel or not user:
        return
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        log.warning("reply.ephemeral_failed error=%s", exc.response.get("error"))
    except (URLError, OSError, HTTPException) as exc:  # an answer we could not deliver
        log.warning("reply.ephemeral_failed error=%s", type(exc).__name__)


def _field(body: Mapping[str, Any], name: str, key: str) -> str | None:
    """`body[name][key]` when both have Slack's shape (an object holding a string)."""
    part = body.get(name)
    value = part.get(key) if isinstance(part, Mapping) else None
    return value if isinstance(value, str) else None


def metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    """A view's `private_metadata` as a dict; anything malformed reads as empty."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def int_or_none(value: object) -> int | None:
    """A positive id from an untrusted button value or metadata field."""
    if isinstance(value, str) and _ID.fullmatch(value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 2**31 else None  # ids are 32-bit on PostgreSQL
    return None


_MENTION = re.compile(r"<@[UW][A-Z0-9]+>")


def for_modal(message: str) -> str:
    """A message fit for a modal's field error, which Slack shows as plain text.

    Mentions would appear raw (`<@U123>`) there, so they become a plain phrase.
    """
    return _MENTION.sub("someone else", message)
