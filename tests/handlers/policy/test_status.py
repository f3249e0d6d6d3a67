"""Update status: the post edited in place with a dated history line, one DM per follower."""

from __future__ import annotations

import json

from demokit import simulate
from handlers.policy import ids
from tests.conftest import COORDINATORS, MEMBER
from tests.handlers.policy.helpers import (
    dms,
    follow,
    post_now,
    post_updates,
    published,
    stored,
    update_status,
)
from tests.harness import Bot, body_json

ANA, BEN, STRANGER = "UANA00001", "UBEN00001", "USTRANGE1"


def test_a_status_change_edits_the_post_and_tells_each_follower_once(bot: Bot) -> None:
    """Passed the Assembly: the post is updated in place, each follower gets one DM."""
    update = published(bot)
    follow(bot, update.id, ANA)
    follow(bot, update.id, BEN)
    bot.deliver()
    bot.clock.advance(days=2)

    answer = update_status(bot, MEMBER, update.id, "passed_one_house", "Passed the Assembly")
    assert body_json(answer) == {}
    bot.deliver()

    post = post_now(bot)
    text = json.dumps(post, ensure_ascii=False)
    assert "*Status:* Passed one house" in text
    assert "• Passed the Assembly, Dec 2" in text
    first_post = bot.slack.posts("CPOLICY01")[0]
    assert post["ts"] == first_post["ts"], "the post is edited, not posted again"
    for user in (ANA, BEN):
        [notice] = [t for t in dms(bot, user) if "has moved" in t]
        assert "In committee → Passed one house" in notice
        assert "Passed the Assembly" in notice
    assert stored(bot)[0].history[0]["stage"] == "passed_one_house"


def test_the_same_form_submitted_twice_changes_the_status_once(bot: Bot) -> None:
    """A replayed Update status is answered as the first, with no second DM."""
    update = published(bot)
    follow(bot, update.id, ANA)
    update_status(bot, MEMBER, update.id, "passed_both", view_id="VSTAGEDUP")
    update_status(bot, MEMBER, update.id, "passed_both", view_id="VSTAGEDUP")
    bot.deliver()

    assert len([t for t in dms(bot, ANA) if "has moved" in t]) == 1
    assert len(stored(bot)[0].history) == 1


def test_a_coordinator_may_update_it_but_another_member_may_not(bot: Bot) -> None:
    """The ⋯ menu answers a stranger privately; a coordinator's change lands."""
    update = published(bot)
    bot.send(
        simulate.overflow_click(
            ids.MANAGE_ACTION, f"stage:{update.id}", STRANGER, channel="CPOLICY01"
        )
    )
    assert bot.ephemerals(STRANGER) == [
        "Only the member who shared this update or a coordinator can change its status."
    ]

    update_status(bot, COORDINATORS[0], update.id, "enacted", "Signed by the Governor")
    bot.deliver()
    assert stored(bot)[0].stage == "enacted"
    assert len(post_updates(bot)) >= 1


def test_a_stale_form_loses_to_the_change_made_since(bot: Bot) -> None:
    """Two forms opened on the same version: the second save is told it is out of date."""
    update = published(bot)
    update_status(bot, MEMBER, update.id, "passed_one_house", view_id="VSTAGEONE")
    form = bot.opened_views()[-1]
    values = {
        ids.NEW_STAGE_BLOCK: simulate.select_state(ids.NEW_STAGE_INPUT, "vetoed_failed"),
        ids.NOTE_BLOCK: simulate.text_state(ids.NOTE_INPUT, None),
    }
    answer = bot.send(
        simulate.view_submission(
            ids.STAGE_MODAL,
            COORDINATORS[0],
            values,
            view_id="VSTAGETWO",
            private_metadata=form["private_metadata"],
        )
    )
    assert "out of date" in body_json(answer)["errors"][ids.NEW_STAGE_BLOCK]
    assert stored(bot)[0].stage == "passed_one_house"


def test_a_grant_offers_only_its_own_statuses(bot: Bot) -> None:
    """A funding opportunity's Update status lists open, closing soon, closed."""
    update = published(bot, kind="funding", stage="open", identifier=None)
    bot.send(simulate.overflow_click(ids.MANAGE_ACTION, f"stage:{update.id}", MEMBER, channel="C1"))
    form = bot.opened_views()[-1]
    [select] = [b for b in form["blocks"] if b.get("block_id") == ids.NEW_STAGE_BLOCK]
    assert [o["value"] for o in select["element"]["options"]] == ["open", "closing_soon", "closed"]
