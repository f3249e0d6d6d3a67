"""Search fixtures: an events channel, and practices and events published through review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from core.config import Settings
from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.ccsn import ids as ccsn_ids
from handlers.events import ids as event_ids
from handlers.review import ids as review_ids
from tests.conftest import COORDINATORS, MEMBER, make_settings
from tests.handlers.ccsn.conftest import command_answer
from tests.handlers.events.helpers import EVENTS_CHANNEL, STARTS, stored_events
from tests.harness import Bot

COORD = COORDINATORS[0]


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema, ccsn_events_channel=EVENTS_CHANNEL)


def publish_practice(bot: Bot, title: str, summary: str, **fields: Any) -> int:
    """A member shares a practice, a coordinator approves it, and its post goes out."""
    view_id = f"VPRACTICE{len(bot.practices())}"
    bot.share(MEMBER, view_id=view_id, title=title, summary=summary, **fields)
    practice_id = bot.practices()[-1].id
    bot.deliver()
    bot.click_review(review_ids.APPROVE_ACTION, COORD, kind="practice", item_id=practice_id)
    bot.deliver()
    return practice_id


def publish_event(bot: Bot, title: str, description: str, **fields: Any) -> int:
    """A member announces an event, a coordinator approves it, and its announcement goes out."""
    values = simulate.event_values(
        STARTS, STARTS + timedelta(hours=1), title=title, description=description, **fields
    )
    view_id = f"VEVENT{len(stored_events(bot))}"
    bot.send(simulate.view_submission(event_ids.EVENT_MODAL, MEMBER, values, view_id=view_id))
    event_id = stored_events(bot)[-1].id
    bot.deliver()
    bot.click_review(review_ids.APPROVE_ACTION, COORD, kind="event", item_id=event_id)
    bot.deliver()
    return event_id


def search(bot: Bot, text: str, user: str = MEMBER) -> dict[str, Any]:
    """What `/ccsn search <text>` answered."""
    body = simulate.slash_command(ccsn_ids.CCSN_COMMAND, user, f"search {text}".strip())
    return command_answer(bot.send(body))


def result_titles(answer: dict[str, Any]) -> list[str]:
    """The titles listed in a search answer, in order (each result is a section after the first)."""
    titles = []
    for block in answer["blocks"][1:]:
        heading = block["text"]["text"].split("\n", 1)[0]
        if heading.startswith("<"):
            heading = heading.split("|", 1)[1].removesuffix(">")
        titles.append(heading.strip("*"))
    return titles
