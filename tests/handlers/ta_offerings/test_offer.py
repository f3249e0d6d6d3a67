"""Offering TA: the form and its errors, review like practices, publication, edits, retiring."""

from __future__ import annotations

import json

from demokit import simulate
from handlers.home import ids as home_ids
from handlers.review.schemas import SubmissionRef
from handlers.ta_offerings import ids
from storage.models import SearchDocument, TaOfferingStatus
from tests.conftest import COORDINATORS, MEMBER, REVIEW_CHANNEL
from tests.handlers.ta.support import TA_CHANNEL
from tests.handlers.ta_offerings.support import (
    COLLEAGUE,
    PROVIDER,
    listed,
    manage,
    offer,
    offerings,
)
from tests.harness import Bot, body_json


def test_offer_ta_command_shortcut_and_home_open_the_form(bot: Bot) -> None:
    """`/offer-ta`, the Offer TA shortcut and Home's Offer TA button open the same form."""
    bot.send(simulate.slash_command(ids.OFFER_COMMAND, PROVIDER))
    bot.send(simulate.global_shortcut(ids.OFFER_SHORTCUT, PROVIDER))
    bot.send(simulate.home_click(ids.HOME_OFFER_ACTION, "open", PROVIDER))

    opened = bot.opened_views()
    assert [v["callback_id"] for v in opened] == [ids.OFFER_MODAL] * 3
    assert opened[0]["title"]["text"] == "Offer TA"


def test_home_shows_an_offer_ta_button(bot: Bot) -> None:
    """The Home tab's first row of buttons includes Offer TA."""
    bot.send(simulate.app_home_opened(PROVIDER, "EvHOME001"))

    [published] = bot.slack.calls_to("views.publish")
    view = published.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    actions = next(b for b in view["blocks"] if b["type"] == "actions")
    assert ids.HOME_OFFER_ACTION in [e["action_id"] for e in actions["elements"]]
    assert home_ids.SHARE_ACTION in [e["action_id"] for e in actions["elements"]]


def test_an_offering_is_saved_pending_and_sent_for_review(bot: Bot) -> None:
    """A valid offer is saved pending, answered by its submitter, and posted for review."""
    response = offer(bot, PROVIDER)
    bot.deliver()

    assert body_json(response) == {}
    [offering] = offerings(bot)
    assert offering.status is TaOfferingStatus.PENDING
    assert offering.contacts == [PROVIDER]  # nobody named: the member who offered it
    assert offering.regions == ["Central Valley"]
    assert offering.cost == "free"
    [review] = bot.slack.posts(REVIEW_CHANNEL)
    assert "TA offering to review" in str(review["blocks"])
    values = [e["value"] for b in review["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert values == [f"ta_offering:{offering.id}@1"] * 3
    assert "Thank you for offering TA" in bot.slack.posts(PROVIDER)[0]["text"]


def test_field_errors_are_shown_and_nothing_is_saved(bot: Bot) -> None:
    """A plain-http link, no topics, a short description and Statewide-less junk are refused."""
    response = offer(
        bot,
        PROVIDER,
        contact_link="http://example.org",
        topics=[],
        description="too short",
        regions=["Atlantis"],
    )

    errors = body_json(response)["errors"]
    assert set(errors) == {
        ids.CONTACT_LINK_BLOCK,
        ids.TOPICS_BLOCK,
        ids.DESCRIPTION_BLOCK,
        ids.REGIONS_BLOCK,
    }
    assert "https://" in errors[ids.CONTACT_LINK_BLOCK]
    assert offerings(bot) == []


def test_a_contact_id_with_a_trailing_line_break_is_refused(bot: Bot) -> None:
    """A user ID with a line break after it is not one (a `$` anchor let it through): refused."""
    response = offer(bot, PROVIDER, contacts=[f"{COLLEAGUE}\n"])

    assert set(body_json(response)["errors"]) == {ids.CONTACTS_BLOCK}
    assert offerings(bot) == []


def test_a_mailto_contact_and_named_contacts_are_kept(bot: Bot) -> None:
    """`mailto:` links are accepted, and the people named answer for the offering."""
    offer(bot, PROVIDER, contact_link="mailto:ta@fcoe.example.org", contacts=[COLLEAGUE])

    [offering] = offerings(bot)
    assert offering.contact_link == "mailto:ta@fcoe.example.org"
    assert offering.contacts == [COLLEAGUE]


def test_approval_publishes_to_the_ta_channel_and_indexes_it(bot: Bot) -> None:
    """Approve posts it to the TA channel with Contact and Request from them, and indexes it."""
    offering_id = listed(bot)

    [offering] = offerings(bot)
    assert offering.status is TaOfferingStatus.APPROVED
    assert offering.confirmed_at == bot.clock.now
    [post] = bot.slack.posts(TA_CHANNEL)
    assert post["text"] == "TA available: Fresno County Office of Education"
    buttons = [e for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert next(e.get("url") for e in buttons) == "https://example.org/fcoe-ta"
    assert [e["action_id"] for e in buttons] == [
        ids.CONTACT_ACTION,
        ids.REQUEST_ACTION,
        ids.MANAGE_ACTION,
    ]
    with bot.runtime.deps.uow() as uow:
        [document] = uow.session.query(SearchDocument).all()
    assert (document.kind, document.ref_id) == ("ta_offering", offering_id)
    assert "now in the TA directory" in bot.slack.posts(PROVIDER)[-1]["text"]
    assert [(e.action, e.entity_type) for e in bot.audit()] == [
        ("submitted", "ta_offering"),
        ("approved", "ta_offering"),
    ]


def test_reject_needs_a_reason_like_every_kind(bot: Bot) -> None:
    """Reject opens the shared reason modal for a TA offering."""
    offer(bot, PROVIDER)
    bot.deliver()
    offering_id = offerings(bot)[0].id

    bot.click("review_reject", f"ta_offering:{offering_id}@1", COORDINATORS[0], REVIEW_CHANNEL)

    [modal] = bot.opened_views()
    assert modal["title"]["text"] == "Reject TA offering"
    assert json.loads(modal["private_metadata"])["ref"] == f"ta_offering:{offering_id}"


def test_the_provider_edits_a_listed_offering_live_and_coordinators_are_told(bot: Bot) -> None:
    """Edit from the post's ⋯ menu rewrites the post at once and tells the coordinators."""
    offering_id = listed(bot)

    manage(bot, PROVIDER, "edit", offering_id, TA_CHANNEL)
    [form] = bot.opened_views()
    meta = json.loads(form["private_metadata"])
    assert meta["live"] is True
    values = simulate.ta_offering_values(
        cost="grant", description="Coaching series, now grant-funded."
    )
    bot.submit(ids.OFFER_MODAL, PROVIDER, values, meta, view_id="VEDIT0001")
    bot.deliver()

    [offering] = offerings(bot)
    assert offering.cost == "grant" and offering.sequence == 1
    [update] = [
        c.params for c in bot.slack.calls_to("chat.update") if c.params["channel"] == TA_CHANNEL
    ]
    assert "Covered by a grant" in str(update["blocks"])
    notice = bot.slack.posts(REVIEW_CHANNEL)[-1]["text"]
    assert "edited the listed TA offering" in notice and ": description, cost." in notice


def test_a_stranger_cannot_edit_or_retire(bot: Bot) -> None:
    """Someone who neither offered it nor answers for it is refused; nothing changes."""
    offering_id = listed(bot)

    manage(bot, MEMBER, "edit", offering_id, TA_CHANNEL)
    manage(bot, MEMBER, "retire", offering_id, TA_CHANNEL)

    assert bot.opened_views() == []
    assert len(bot.ephemerals(MEMBER)) == 2
    assert "Only the provider" in bot.ephemerals(MEMBER)[0]
    assert offerings(bot)[0].status is TaOfferingStatus.APPROVED


def test_retiring_unlists_it_and_rewrites_the_post(bot: Bot) -> None:
    """Retire takes it out of search, rewrites the post without buttons, tells coordinators."""
    offering_id = listed(bot, contacts=[COLLEAGUE])

    manage(bot, COLLEAGUE, "retire", offering_id, TA_CHANNEL)
    bot.deliver()

    [offering] = offerings(bot)
    assert offering.status is TaOfferingStatus.RETIRED and offering.retired_by == COLLEAGUE
    [update] = [
        c.params for c in bot.slack.calls_to("chat.update") if c.params["channel"] == TA_CHANNEL
    ]
    assert "No longer offered" in str(update["blocks"])
    assert "actions" not in [b["type"] for b in update["blocks"]]
    with bot.runtime.deps.uow() as uow:
        assert uow.session.query(SearchDocument).count() == 0
    assert "retired the TA offering" in bot.slack.posts(REVIEW_CHANNEL)[-1]["text"]
    assert "is retired" in bot.ephemerals(COLLEAGUE)[0]


def test_submission_refs_name_the_kind_with_an_underscore() -> None:
    """`ta_offering:3` names the TA offering kind; odd spellings still name nothing."""
    assert SubmissionRef.parse("ta_offering:3") == SubmissionRef("ta_offering", 3)
    assert SubmissionRef.parse("TA_offering:3") is None
    assert SubmissionRef.parse("ta-offering:3") is None


def test_approve_a_second_time_is_refused(bot: Bot) -> None:
    """A second coordinator approving after the first is told it was already approved."""
    offering_id = listed(bot)

    bot.click("review_approve", f"ta_offering:{offering_id}@1", COORDINATORS[1], REVIEW_CHANNEL)

    assert bot.ephemerals(COORDINATORS[1]) == [
        f"This TA offering was already approved by <@{COORDINATORS[0]}>."
    ]
