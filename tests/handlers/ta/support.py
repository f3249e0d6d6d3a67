"""Filling in the request-TA form and reading TA requests back, for the TA tests."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy import select

from demokit import simulate
from handlers.ta import ids
from storage.models import TaRequest
from tests.harness import Bot

TA_CHANNEL = "CTAREQS01"
BAY_PROVIDER = "UBAYPROV1"
BAY_GROUP = "SBAYTEAM1"
NETWORK_PROVIDER = "UNETPROV1"
STRANGER = "USTRANGER"


def ta_values(**overrides: Any) -> dict[str, Any]:
    """The request-TA form filled in with a good request; override any field."""
    fields: dict[str, Any] = {
        "topic": "family_engagement",
        "need": "Our family nights draw few Spanish-speaking parents; we need outreach ideas.",
        "county": "Alameda",
        "organisation": "Hoover Elementary",
        "needed_by": "2026-12-15",
        "format": "call",
        "digest": "no",
    }
    fields.update(overrides)
    return {
        ids.TOPIC_BLOCK: simulate.select_state(ids.TOPIC_INPUT, fields["topic"]),
        ids.NEED_BLOCK: simulate.text_state(ids.NEED_INPUT, fields["need"]),
        ids.COUNTY_BLOCK: simulate.select_state(ids.COUNTY_INPUT, fields["county"]),
        ids.ORGANISATION_BLOCK: simulate.text_state(ids.ORGANISATION_INPUT, fields["organisation"]),
        ids.NEEDED_BY_BLOCK: simulate.date_state(ids.NEEDED_BY_INPUT, fields["needed_by"]),
        ids.FORMAT_BLOCK: simulate.select_state(ids.FORMAT_INPUT, fields["format"]),
        ids.DIGEST_BLOCK: simulate.select_state(ids.DIGEST_INPUT, fields["digest"]),
    }


def ask(bot: Bot, user: str, view_id: str = "VTAREQ001", **fields: Any) -> BoltResponse:
    """A member submits the request-TA form."""
    body = simulate.view_submission(ids.REQUEST_MODAL, user, ta_values(**fields), view_id=view_id)
    return bot.send(body)


def asked(bot: Bot, user: str, **fields: Any) -> str:
    """Submit a request, deliver its messages, and return its id as a button value."""
    ask(bot, user, view_id=f"VTA{len(requests(bot)) + 1:06d}", **fields)
    bot.deliver()
    return str(requests(bot)[-1].id)


def requests(bot: Bot) -> list[TaRequest]:
    """Every TA request, oldest first, as stored."""
    with bot.runtime.deps.uow() as uow:
        return list(uow.session.scalars(select(TaRequest).order_by(TaRequest.id)))


def resolve_with(bot: Bot, user: str, request_id: str, note: str, view_id: str) -> BoltResponse:
    """A provider submits the resolve form for `request_id`."""
    values = {ids.NOTE_BLOCK: simulate.text_state(ids.NOTE_INPUT, note)}
    return bot.submit(ids.RESOLVE_MODAL, user, values, {"request_id": int(request_id)}, view_id)


def edits(bot: Bot, channel: str = TA_CHANNEL) -> list[dict[str, Any]]:
    """`chat.update` calls on messages in `channel`, in order."""
    return [c.params for c in bot.slack.calls_to("chat.update") if c.params["channel"] == channel]


def buttons(message: dict[str, Any]) -> list[str]:
    """The labels of the buttons in a message's last actions block."""
    actions = [b for b in message["blocks"] if b["type"] == "actions"]
    return [e["text"]["text"] for e in actions[-1]["elements"]] if actions else []
