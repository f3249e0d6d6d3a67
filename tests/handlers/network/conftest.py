"""Network settings fixtures: a bot whose practices channel is left for Home to choose."""

from __future__ import annotations

from typing import Any

import pytest

from core.config import Settings
from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.network import ids
from tests.conftest import make_settings
from tests.handlers.home.conftest import published
from tests.harness import Bot


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    """Only the token, secret, owners and review channel come from the environment."""
    return make_settings(slack, schema, ccsn_practices_channel=None)


def choose_channel(bot: Bot, user: str, key: str, channel: str) -> None:
    """`user` picks `channel` in the Home control for the setting `key`."""
    body = simulate.home_select(
        ids.CHANNEL_ACTION,
        f"{ids.SETTING_BLOCK_PREFIX}{key}",
        user,
        selected_conversation=channel,
    )
    assert bot.send(body).status == 200


def choose_people(bot: Bot, user: str, key: str, people: list[str]) -> None:
    """`user` sets the people of the setting `key` (coordinators, TA providers) in Home."""
    body = simulate.home_select(
        ids.PEOPLE_ACTION, f"{ids.SETTING_BLOCK_PREFIX}{key}", user, selected_users=people
    )
    assert bot.send(body).status == 200


def notice(bot: Bot, user: str) -> str:
    """The note at the top of the Home tab published last for `user`."""
    first = published(bot, user)[-1]["blocks"][1]["text"]["text"]
    assert first.startswith(":information_source: "), "no notice on the tab"
    return str(first.removeprefix(":information_source: "))


def block(view: dict[str, Any], block_id: str) -> dict[str, Any] | None:
    """The block with this id, if the view has one."""
    return next((b for b in view["blocks"] if b.get("block_id") == block_id), None)
