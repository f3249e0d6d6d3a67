"""Offering TA, approving it and reading offerings back, for the TA directory tests."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy import select

from demokit import simulate
from handlers.review import ids as review_ids
from handlers.ta_offerings import ids
from storage.models import TaOffering
from tests.conftest import COORDINATORS, REVIEW_CHANNEL
from tests.harness import Bot

PROVIDER = "UPROVIDE1"
COLLEAGUE = "UCOLLEAG1"


def offer(bot: Bot, user: str, view_id: str | None = None, **fields: Any) -> BoltResponse:
    """A provider submits the offer-TA form."""
    view_id = view_id or f"VOFFER{len(offerings(bot)) + 1:04d}"
    values = simulate.ta_offering_values(**fields)
    return bot.send(simulate.view_submission(ids.OFFER_MODAL, user, values, view_id=view_id))


def offerings(bot: Bot) -> list[TaOffering]:
    """Every offering, oldest first, as stored."""
    with bot.runtime.deps.uow() as uow:
        return list(uow.session.scalars(select(TaOffering).order_by(TaOffering.id)))


def approve(bot: Bot, offering_id: int, revision: int = 1) -> None:
    """A coordinator approves the offering on its review post; everything is delivered."""
    value = f"ta_offering:{offering_id}@{revision}"
    bot.click(review_ids.APPROVE_ACTION, value, COORDINATORS[0], REVIEW_CHANNEL)
    bot.deliver()


def listed(bot: Bot, user: str = PROVIDER, **fields: Any) -> int:
    """Offer, deliver and approve an offering; its id."""
    offer(bot, user, **fields)
    bot.deliver()
    offering_id = offerings(bot)[-1].id
    approve(bot, offering_id)
    return offering_id


def find(bot: Bot, user: str, text: str) -> dict[str, Any]:
    """`/ccsn find-ta <text>`: the ephemeral answer's JSON."""
    response = bot.send(simulate.slash_command("/ccsn", user, f"find-ta {text}"))
    assert response.status == 200
    return json.loads(response.body)


def organisations(answer: dict[str, Any]) -> list[str]:
    """The organisations a find-ta answer lists, in order."""
    found = []
    for block in answer.get("blocks", [])[1:]:
        if block["type"] == "section":
            found.append(block["text"]["text"].split("*")[1])
    return found


def manage(bot: Bot, user: str, choice: str, offering_id: int, channel: str) -> BoltResponse:
    """A choice from the ⋯ menu of an offering's TA channel post."""
    return bot.send(
        simulate.overflow_click(ids.MANAGE_ACTION, f"{choice}:{offering_id}", user, channel=channel)
    )
