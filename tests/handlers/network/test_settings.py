"""Coordinators set channels, coordinators and providers in Home; members cannot."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.app import build_runtime
from core.config import Settings
from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.network import ids
from handlers.network import service as network_service
from handlers.review import ids as review_ids
from storage.models import NetworkSetting
from tests.conftest import COORDINATORS, MEMBER, REVIEW_CHANNEL, SIGNING_SECRET, make_settings
from tests.handlers.home.conftest import open_home, published, texts
from tests.handlers.network.conftest import block, choose_channel, choose_people, notice
from tests.harness import Bot, FrozenClock

COORD = COORDINATORS[0]
CHOSEN = "CCHOSEN01"
NEWCOMER = "UNEWCOORD"


def stored(bot: Bot) -> dict[str, object]:
    with bot.runtime.deps.uow() as uow:
        return {row.key: row.value for row in uow.session.scalars(select(NetworkSetting))}


def approve_a_practice(bot: Bot, title: str) -> None:
    bot.share(MEMBER, title=title)
    practice_id = max(p.id for p in bot.practices())
    bot.deliver()
    bot.click_review(review_ids.APPROVE_ACTION, COORD, kind="practice", item_id=practice_id)
    bot.deliver()


def test_a_channel_chosen_in_home_takes_the_next_publication_without_a_restart(bot: Bot) -> None:
    """The coordinator picks the practices channel; the next approved practice is posted there."""
    assert (
        "Sharing practices is not open yet"
        in bot.send(simulate.slash_command("/share-practice", MEMBER)).body
    )

    choose_channel(bot, COORD, "ccsn_practices_channel", CHOSEN)

    assert notice(bot, COORD) == f"Saved: the practices channel is now <#{CHOSEN}>."
    approve_a_practice(bot, "Homework club")
    [post] = bot.slack.posts(CHOSEN)
    assert "Homework club" in post["text"]
    [entry] = [e for e in bot.audit() if e.entity_type == "network_settings"]
    assert entry.actor_id == COORD
    assert json.loads(entry.reason or "") == {
        "setting": "ccsn_practices_channel",
        "old": None,
        "new": CHOSEN,
    }


def test_another_process_on_the_same_database_sees_the_change(
    bot: Bot, settings: Settings, clock: FrozenClock, slack: FakeSlack
) -> None:
    """A second runtime (another process) uses the chosen channel within a second."""
    other_runtime = build_runtime(settings, clock=clock)
    try:
        other = Bot(runtime=other_runtime, slack=slack, clock=clock, secret=SIGNING_SECRET)
        assert other.runtime.deps.settings.ccsn_practices_channel is None  # read before

        choose_channel(bot, COORD, "ccsn_practices_channel", CHOSEN)
        clock.advance(seconds=1)

        approve_a_practice(other, "Family nights")
        assert [p["text"] for p in slack.posts(CHOSEN) if "Family nights" in p["text"]]
    finally:
        other_runtime.close()


def test_a_members_crafted_settings_action_is_refused_and_stores_nothing(bot: Bot) -> None:
    """A member who sends the coordinators' control by hand is told no; nothing is saved."""
    choose_channel(bot, MEMBER, "ccsn_practices_channel", CHOSEN)
    choose_people(bot, MEMBER, "ccsn_coordinators", [MEMBER])

    assert notice(bot, MEMBER) == network_service.NOT_COORDINATOR
    assert stored(bot) == {}
    assert not [e for e in bot.audit() if e.entity_type == "network_settings"]
    assert "Network settings" not in texts(published(bot, MEMBER)[-1])
    assert not bot.runtime.deps.settings.is_coordinator(MEMBER)


def test_a_coordinator_added_in_home_can_review_and_owners_stay(bot: Bot) -> None:
    """Adding a coordinator lets them approve; clearing the list leaves the owners in place."""
    choose_people(bot, COORD, "ccsn_coordinators", [NEWCOMER])
    choose_channel(bot, COORD, "ccsn_practices_channel", CHOSEN)
    bot.share(MEMBER, title="Garden club")
    practice_id = bot.practices()[0].id

    bot.deliver()
    bot.click_review(review_ids.APPROVE_ACTION, NEWCOMER, kind="practice", item_id=practice_id)
    bot.deliver()
    assert bot.slack.posts(CHOSEN)

    choose_people(bot, NEWCOMER, "ccsn_coordinators", [])
    assert (
        notice(bot, NEWCOMER)
        == f"Saved: the coordinators are now <@{COORD}>, <@{COORDINATORS[1]}>."
    )
    settings = bot.runtime.deps.settings
    assert all(settings.is_coordinator(owner) for owner in COORDINATORS)
    assert not settings.is_coordinator(NEWCOMER)
    view = open_home(bot, COORD)
    assert "Owners (always coordinators, set by the server's configuration)" in texts(view)


def test_the_last_coordinator_cannot_be_removed(
    slack: FakeSlack, schema: str, clock: FrozenClock
) -> None:
    """With no owners in the environment, removing the only coordinator is refused."""
    with_owner = build_runtime(make_settings(slack, schema), clock=clock)
    network_service.seed(with_owner.deps)  # the first start stored the owners
    with_owner.close()
    runtime = build_runtime(make_settings(slack, schema, ccsn_coordinators=""), clock=clock)
    try:
        bot = Bot(runtime=runtime, slack=slack, clock=clock, secret=SIGNING_SECRET)
        choose_people(bot, COORD, "ccsn_coordinators", [COORDINATORS[1]])
        assert notice(bot, COORD).startswith("Saved")  # one may go while another remains

        choose_people(bot, COORDINATORS[1], "ccsn_coordinators", [])

        assert notice(bot, COORDINATORS[1]) == network_service.LAST_COORDINATOR
        assert bot.runtime.deps.settings.ccsn_coordinators == (COORDINATORS[1],)
    finally:
        runtime.close()


def test_an_environment_pinned_value_is_shown_as_pinned_and_cannot_change(bot: Bot) -> None:
    """The review channel comes from CCSN_COORDINATOR_CHANNEL: shown as such, no control."""
    view = open_home(bot, COORD)

    pinned = block(view, f"{ids.SETTING_BLOCK_PREFIX}ccsn_coordinator_channel")
    assert pinned is None  # no control to change it
    assert (
        f"*Coordinators' review channel:* <#{REVIEW_CHANNEL}>\n_set by the server's configuration_"
        in texts(view)
    )
    control = block(view, f"{ids.SETTING_BLOCK_PREFIX}ccsn_practices_channel")
    assert control is not None and control["accessory"]["type"] == "conversations_select"

    choose_channel(bot, COORD, "ccsn_coordinator_channel", CHOSEN)
    assert "set by the server's configuration (CCSN_COORDINATOR_CHANNEL)" in notice(bot, COORD)
    assert bot.runtime.deps.settings.ccsn_coordinator_channel == REVIEW_CHANNEL
    assert stored(bot) == {}
