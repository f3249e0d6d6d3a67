"""Sharing a policy or funding update: the form's checks, review, and the post it becomes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from demokit import simulate
from handlers.home import ids as home_ids
from handlers.policy import ids
from storage.models import PolicyStatus
from tests.conftest import MEMBER, REVIEW_CHANNEL
from tests.handlers.policy.helpers import (
    POLICY_CHANNEL,
    published,
    share,
    stored,
)
from tests.harness import Bot, body_json

PACIFIC = ZoneInfo("America/Los_Angeles")


def test_the_command_the_shortcut_and_home_open_the_form(bot: Bot) -> None:
    """`/policy-update`, the global shortcut and Home's button each open the same form."""
    bot.send(simulate.slash_command(ids.SHARE_COMMAND, MEMBER))
    bot.send(simulate.global_shortcut(ids.SHARE_SHORTCUT, MEMBER))
    bot.send(simulate.home_click(ids.HOME_SHARE_ACTION, "open", MEMBER))

    views = bot.opened_views()
    assert [v["callback_id"] for v in views] == [ids.POLICY_MODAL] * 3
    assert views[0]["title"]["text"] == "Share a policy update"


def test_home_shows_the_share_button(bot: Bot) -> None:
    """The Home tab's row of buttons includes Share a policy update."""
    bot.send(simulate.app_home_opened(MEMBER, "EvHOME0001"))
    [published_view] = bot.slack.calls_to("views.publish")
    view = published_view.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert ids.HOME_SHARE_ACTION in json.dumps(view)
    assert home_ids.SHARE_ACTION in json.dumps(view)


def test_without_a_policy_channel_the_form_explains(make_bot: Callable[..., Bot]) -> None:
    """Until CCSN_POLICY_CHANNEL is set, the command opens a note naming the setting."""
    bot = make_bot(ccsn_policy_channel=None)
    bot.send(simulate.slash_command(ids.SHARE_COMMAND, MEMBER))
    [view] = bot.opened_views()
    assert "CCSN_POLICY_CHANNEL" in json.dumps(view)
    assert "callback_id" not in view


def test_a_link_that_is_not_https_is_refused(bot: Bot) -> None:
    """http:// and javascript: sources get an error under the link; nothing is saved."""
    for link in ("http://leginfo.legislature.ca.gov/bill", "javascript:alert(1)"):
        answer = body_json(share(bot, source_link=link))
        assert answer["response_action"] == "errors"
        assert "https://" in answer["errors"][ids.SOURCE_BLOCK]
    assert stored(bot) == []


def test_a_key_date_in_the_past_is_refused(bot: Bot) -> None:
    """A hearing last week is refused under its date; today is accepted."""
    answer = body_json(share(bot, key_dates=[("Hearing", "2026-11-23")]))
    assert answer["errors"] == {
        ids.DATE_1_BLOCK: "That date has passed; key dates are ones still ahead."
    }

    assert body_json(share(bot, key_dates=[("Hearing", "2026-11-30")], view_id="VTODAY001")) == {}
    assert len(stored(bot)) == 1


def test_a_missing_title_and_other_gaps_are_named_field_by_field(bot: Bot) -> None:
    """No title, a date without a label, a bill status on a grant, a bad bill number."""
    answer = body_json(
        share(
            bot,
            title="",
            kind="funding",
            stage="in_committee",
            identifier="Assembly Bill two",
            key_dates=[("", "2026-12-10")],
            summary="Too short",
        )
    )
    errors = answer["errors"]
    assert errors[ids.TITLE_BLOCK] == "Please add a title."
    assert errors[ids.DATE_1_LABEL_BLOCK].startswith("Name this date")
    assert errors[ids.STAGE_BLOCK] == (
        "For a funding opportunity, choose one of: open, closing soon, closed."
    )
    assert errors[ids.IDENTIFIER_BLOCK].startswith("Write it as letters, a space and digits")
    assert errors[ids.SUMMARY_BLOCK] == "Please write at least 20 characters."
    assert stored(bot) == []


def test_a_good_update_waits_for_review_with_its_dates_and_number(bot: Bot) -> None:
    """Saved pending; the member is thanked; coordinators see it with Approve."""
    share(
        bot,
        identifier="ab2117",
        key_dates=[("Floor vote", "2027-01-15"), ("Hearing", "2026-12-10")],
    )
    bot.deliver()

    [update] = stored(bot)
    assert update.status is PolicyStatus.PENDING
    assert update.identifier == "AB 2117"
    assert update.key_dates == [
        {"label": "Hearing", "on": "2026-12-10"},
        {"label": "Floor vote", "on": "2027-01-15"},
    ]
    assert str(update.last_key_date) == "2027-01-15"
    [review] = bot.slack.posts(REVIEW_CHANNEL)
    assert "Policy update to review" in json.dumps(review)
    assert f"policy:{update.id}@1" in json.dumps(review)
    assert bot.slack.posts(MEMBER)[0]["text"].startswith("Thank you for sharing")


def test_approval_posts_it_with_follow_the_source_and_dates(bot: Bot) -> None:
    """The post in CCSN_POLICY_CHANNEL: Follow, the source, dates in words and date tokens."""
    update = published(bot, key_dates=[("Hearing", "2026-12-10")])

    assert update.status is PolicyStatus.APPROVED
    [post] = bot.slack.posts(POLICY_CHANNEL)
    text = json.dumps(post, ensure_ascii=False)
    noon = int(datetime.combine(datetime(2026, 12, 10).date(), time(12), PACIFIC).timestamp())
    assert f"<!date^{noon}^{{date_pretty}}|Thu, Dec 10, 2026>" in text
    assert "*Hearing:* Thu, Dec 10, 2026" in text
    assert "Bill · AB 2117 · State of California" in text
    assert "*Status:* In committee" in text
    assert "How members can act" in text
    actions = [b for b in post["blocks"] if b["type"] == "actions"][-1]["elements"]
    assert [e.get("action_id") for e in actions] == [
        ids.FOLLOW_ACTION,
        ids.UNFOLLOW_ACTION,
        ids.SOURCE_ACTION,
        ids.MANAGE_ACTION,
    ]
    assert actions[2]["url"].startswith("https://leginfo.legislature.ca.gov/")
    dm = bot.slack.posts(MEMBER)[-1]["text"]
    assert dm.startswith("Good news:") and "/archives/" in dm


def test_a_county_update_names_its_district_and_region(bot: Bot) -> None:
    """A district policy in Fresno County reads as the district, and is filed in its region."""
    update = published(
        bot,
        kind="local",
        stage="proposed",
        identifier=None,
        jurisdiction="Fresno",
        district="Fresno Unified",
    )
    assert update.region == "Central Valley"
    post = bot.slack.posts(POLICY_CHANNEL)[-1]
    assert "Local policy · Fresno Unified, Fresno County" in json.dumps(post, ensure_ascii=False)


def test_a_pending_update_is_edited_and_goes_back_to_review(bot: Bot) -> None:
    """Edit reopens the form filled in (dates too); saving it is revision 2 for coordinators."""
    share(bot, key_dates=[("Hearing", "2026-12-10")])
    [update] = stored(bot)
    bot.click(ids.EDIT_ACTION, str(update.id), MEMBER, "DMEMBER01")
    form = bot.opened_views()[-1]
    assert form["callback_id"] == ids.POLICY_MODAL
    [picker] = [b for b in form["blocks"] if b.get("block_id") == ids.DATE_1_BLOCK]
    assert picker["element"]["initial_date"] == "2026-12-10"

    values = simulate.policy_values(stage="passed_one_house")
    bot.send(
        simulate.view_submission(
            ids.POLICY_MODAL,
            MEMBER,
            values,
            view_id="VEDITPOL1",
            private_metadata=form["private_metadata"],
        )
    )
    [edited] = stored(bot)
    assert (edited.revision, edited.stage) == (2, "passed_one_house")
    bot.deliver()
    assert "Policy update to review (edit 2)" in json.dumps(bot.slack.posts(REVIEW_CHANNEL)[-1])
