"""Home fixtures: TA and events switched on; opening Home and clicking on it as Slack does."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from core.config import Settings
from demokit import simulate
from demokit.fake_slack import FakeSlack
from tests.conftest import make_settings
from tests.handlers.events.helpers import EVENTS_CHANNEL
from tests.handlers.ta.support import TA_CHANNEL
from tests.harness import Bot

_event_ids = itertools.count(1)


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(
        slack, schema, ccsn_ta_channel=TA_CHANNEL, ccsn_events_channel=EVENTS_CHANNEL
    )


def published(bot: Bot, user: str) -> list[dict[str, Any]]:
    """Every Home view published for `user`, oldest first."""
    views = []
    for call in bot.slack.calls_to("views.publish"):
        if call.params.get("user_id") == user:
            view = call.params["view"]
            views.append(json.loads(view) if isinstance(view, str) else view)
    return views


def open_home(bot: Bot, user: str) -> dict[str, Any]:
    """The member opens the Home tab; the view the bot published for them."""
    response = bot.send(
        simulate.app_home_opened(user, f"EvHOME{next(_event_ids)}"), "application/json"
    )
    assert response.status == 200
    return published(bot, user)[-1]


def click(bot: Bot, action_id: str, value: str, user: str) -> None:
    """The member clicks a button on their Home tab."""
    assert bot.send(simulate.home_click(action_id, value, user)).status == 200


def texts(view: dict[str, Any]) -> str:
    """Every piece of text in a view, one per line, for "does it say" checks."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(view["blocks"])
    return "\n".join(found)


def buttons(view: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Every button as (label, action_id, value), in order."""
    found = []
    for block in view["blocks"]:
        elements = block.get("elements", []) if block["type"] == "actions" else []
        if block.get("accessory"):
            elements = [block["accessory"]]
        for element in elements:
            if element.get("type") == "button":
                found.append((element["text"]["text"], element["action_id"], element["value"]))
    return found


def section_after(view: dict[str, Any], heading: str) -> list[dict[str, Any]]:
    """The blocks under a header, up to the next divider."""
    blocks = view["blocks"]
    start = next(
        i for i, b in enumerate(blocks) if b["type"] == "header" and b["text"]["text"] == heading
    )
    found = []
    for block in blocks[start + 1 :]:
        if block["type"] == "divider":
            break
        found.append(block)
    return found
