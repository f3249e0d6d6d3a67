"""Home for providers and policy sharers: Your TA offerings and Your policy updates."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.views import View

from core.config import Settings
from demokit.fake_slack import FakeSlack
from handlers import ta_offerings
from handlers.home import ids
from handlers.policy import ids as policy_ids
from handlers.review import ids as review_ids
from handlers.ta_offerings import ids as offering_ids
from storage.models import TaOfferingStatus
from tests.conftest import COORDINATORS, MEMBER, make_settings
from tests.handlers.home.conftest import buttons, click, open_home, published, section_after
from tests.handlers.home.test_home_view import _many
from tests.handlers.policy.helpers import POLICY_CHANNEL, share
from tests.handlers.policy.helpers import published as published_update
from tests.handlers.ta.conftest import TA_SETTINGS
from tests.handlers.ta.support import TA_CHANNEL
from tests.handlers.ta_offerings.support import COLLEAGUE, PROVIDER, listed, manage, offer
from tests.handlers.ta_offerings.support import offerings as stored_offerings
from tests.harness import Bot

COORD = COORDINATORS[0]


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema, **TA_SETTINGS, ccsn_policy_channel=POLICY_CHANNEL)


def lines(view: dict[str, Any], heading: str) -> list[str]:
    """The section texts under one of Home's headings."""
    return [b["text"]["text"] for b in section_after(view, heading) if b["type"] == "section"]


def notice(bot: Bot, user: str) -> str:
    first = published(bot, user)[-1]["blocks"][1]["text"]["text"]
    assert first.startswith(":information_source: "), "no notice on the tab"
    return str(first.removeprefix(":information_source: "))


def test_your_offerings_shows_each_state_and_the_actions_that_exist(bot: Bot) -> None:
    """Unconfirmed, approved, retired, pending, changes requested, and one as a contact."""
    listed(bot, organisation="Unconfirmed Org")  # the oldest: counted, not shown
    bot.clock.advance(days=366)
    ta_offerings.upkeep(bot.runtime.deps)  # the yearly question
    bot.clock.advance(days=31)
    ta_offerings.upkeep(bot.runtime.deps)  # unanswered: unconfirmed
    approved = listed(bot, organisation="Approved Org")
    retired = listed(bot, organisation="Retired Org")
    manage(bot, PROVIDER, "retire", retired, TA_CHANNEL)
    bot.clock.advance(minutes=1)
    offer(bot, PROVIDER, organisation="Changes Org")
    bot.deliver()
    changes = stored_offerings(bot)[-1].id
    bot.click_review(review_ids.REQUEST_CHANGES_ACTION, COORD, kind="ta_offering", item_id=changes)
    bot.give_reason(COORD, "Please name the counties you serve.")
    bot.clock.advance(minutes=1)
    offer(bot, PROVIDER, organisation="Pending Org")
    pending = stored_offerings(bot)[-1].id
    bot.clock.advance(minutes=1)
    offer(bot, COLLEAGUE, organisation="Colleague Org", contacts=[PROVIDER])

    view = open_home(bot, PROVIDER)

    shown = lines(view, "Your TA offerings")
    assert [line.split("\n")[0].split(":")[0] for line in shown] == [
        "*Colleague Org",
        "*Pending Org",
        "*Changes Org",
        "*Retired Org",
        "*Approved Org",
    ]
    assert "Waiting for review" in shown[0] and "you answer for it" in shown[0]
    assert "Changes requested" in shown[2]
    assert ":no_entry_sign: Retired" in shown[3]
    assert "Listed in the directory" in shown[4]
    assert section_after(view, "Your TA offerings")[-1]["elements"][0]["text"].startswith(
        "…and 1 older."
    )
    mine = buttons(view)
    assert ("Edit offering", ids.EDIT_ACTION, f"ta_offering:{pending}") in mine
    assert ("Withdraw", ids.WITHDRAW_ACTION, f"ta_offering:{pending}") in mine
    assert ("Edit and resubmit", ids.EDIT_ACTION, f"ta_offering:{changes}") in mine
    assert ("Retire", ids.RETIRE_OFFERING_ACTION, str(approved)) in mine
    assert not [b for b in mine if b[2] in (str(retired), f"ta_offering:{retired}")]
    # The colleague's pending offering: only the member who offered it may edit or withdraw.
    assert not [b for b in mine if b[2].endswith(f":{stored_offerings(bot)[-1].id}")]

    colleague = open_home(bot, COLLEAGUE)
    assert [line.split(":")[0] for line in lines(colleague, "Your TA offerings")] == [
        "*Colleague Org"
    ]


def test_unconfirmed_offerings_can_be_confirmed_and_retired_from_home(bot: Bot) -> None:
    """Still offered answers the yearly question; Retire takes another out of the directory."""
    unconfirmed = listed(bot, organisation="Unconfirmed Org")
    bot.clock.advance(days=366)
    ta_offerings.upkeep(bot.runtime.deps)
    bot.clock.advance(days=31)
    ta_offerings.upkeep(bot.runtime.deps)
    other = listed(bot, organisation="Other Org")

    view = open_home(bot, PROVIDER)
    [line] = [t for t in lines(view, "Your TA offerings") if "Unconfirmed Org" in t]
    assert ":grey_question: Unconfirmed" in line
    assert ("Still offered", ids.CONFIRM_OFFERING_ACTION, str(unconfirmed)) in buttons(view)

    click(bot, ids.CONFIRM_OFFERING_ACTION, str(unconfirmed), PROVIDER)
    assert notice(bot, PROVIDER).startswith("Thank you: *Unconfirmed Org")
    click(bot, ids.RETIRE_OFFERING_ACTION, str(other), PROVIDER)
    assert notice(bot, PROVIDER).startswith("Done: *Other Org: ")
    assert notice(bot, PROVIDER).endswith("* is retired and no longer listed.")

    by_id = {o.id: o for o in stored_offerings(bot)}
    assert by_id[unconfirmed].unconfirmed_at is None
    assert by_id[other].status is TaOfferingStatus.RETIRED
    click(bot, ids.RETIRE_OFFERING_ACTION, str(unconfirmed), "USTRANGER")  # a forged click
    assert notice(bot, "USTRANGER").startswith("Only the provider who offered this TA")


def test_edit_from_home_opens_the_live_edit_form(bot: Bot) -> None:
    """Edit on a listed offering opens the same form as the post's ⋯ menu, for a live edit."""
    offering_id = listed(bot)

    click(bot, ids.EDIT_ACTION, f"ta_offering:{offering_id}", PROVIDER)

    [form] = bot.opened_views()
    assert form["callback_id"] == offering_ids.OFFER_MODAL
    assert form["title"]["text"] == "Edit TA offering"


def test_home_lists_the_members_own_policy_updates_with_update_status(bot: Bot) -> None:
    """Published and pending updates with their stage; Update status opens its form."""
    update = published_update(bot, MEMBER)
    bot.clock.advance(minutes=1)
    share(bot, MEMBER, view_id="VPENDINGPOL", title="Budget trailer bill")
    share(bot, "USOMEONE1", view_id="VOTHERPOL", title="Someone else's update")

    view = open_home(bot, MEMBER)

    shown = lines(view, "Your policy updates")
    assert [line.split("\n")[0] for line in shown] == [
        "*Budget trailer bill*",
        f"*{update.title}*",
    ]
    assert "Waiting for review" in shown[0]
    assert "In committee · :white_check_mark: Published" in shown[1]
    assert ("Update status", ids.POLICY_STATUS_ACTION, str(update.id)) in buttons(view)

    click(bot, ids.POLICY_STATUS_ACTION, str(update.id), MEMBER)

    assert bot.opened_views()[-1]["callback_id"] == policy_ids.STAGE_MODAL
    click(bot, ids.POLICY_STATUS_ACTION, str(update.id), "USOMEONE1")
    assert notice(bot, "USOMEONE1").startswith("Only the member who shared this update")


def test_home_stays_within_100_blocks_with_every_section_full(bot: Bot) -> None:
    """500 submissions, 6 offerings and 6 policy updates: capped, counted, a valid view."""
    _many(bot, practices=400, events=50, requests=50, upcoming=30)
    for n in range(6):
        offer(bot, MEMBER, view_id=f"VMANYOFFER{n}", organisation=f"Provider {n}")
        share(bot, MEMBER, view_id=f"VMANYPOL{n}", title=f"Update {n}")
    with bot.runtime.deps.uow() as uow:
        uow.digest_subscriptions.save(MEMBER, regions=[], pillars=[], ta_topics=[], at=bot.clock())
        uow.commit()

    view = open_home(bot, MEMBER)

    assert len(view["blocks"]) <= 100
    View(**view).validate_json()
    assert len(lines(view, "Your TA offerings")) == 5
    assert len(lines(view, "Your policy updates")) == 5
    assert "Your personal digest" in [
        b["text"]["text"] for b in view["blocks"] if b["type"] == "header"
    ]
    counted = section_after(view, "Your submissions and requests")[-1]["elements"][0]["text"]
    assert counted.startswith("Showing your ") and "of 530" in counted
