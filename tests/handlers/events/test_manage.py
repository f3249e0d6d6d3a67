"""After approval: the member who announced an event, or a coordinator, edits or cancels it."""

from __future__ import annotations

from datetime import timedelta

from demokit import simulate
from handlers.events import ids
from handlers.review import ids as review_ids
from storage.models import EventStatus
from tests.conftest import MEMBER, REVIEW_CHANNEL, FrozenClock
from tests.handlers.events.helpers import (
    COORD,
    STARTS,
    announce,
    announced,
    announcement_now,
    cancel_event,
    choose,
    dms,
    edit_event,
    rsvp,
    stored_events,
)
from tests.harness import Bot, body_json

ANA, BEN, STRANGER = "UANA00001", "UBEN00001", "USTRANGER"


def test_member_cancels_and_everyone_who_rsvpd_is_told(bot: Bot) -> None:
    """The announcement says cancelled with no RSVP button; each attendee gets the reason."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)
    rsvp(bot, event.id, BEN)

    response = cancel_event(bot, MEMBER, event.id, "Speaker is ill <!channel>")
    bot.deliver()

    assert body_json(response) == {}
    [stored] = stored_events(bot)
    assert stored.status is EventStatus.CANCELLED
    assert stored.cancelled_by == MEMBER
    post = announcement_now(bot)
    assert post["text"] == "Cancelled: Family engagement community of practice"
    assert "actions" not in [block["type"] for block in post["blocks"]]
    assert "Speaker is ill &lt;!channel&gt;" in str(post["blocks"])
    for user in (ANA, BEN):
        [notice] = [text for text in dms(bot, user) if "cancelled" in text]
        assert "*Family engagement community of practice*" in notice
        assert "Speaker is ill &lt;!channel&gt;" in notice
    assert not any("has been cancelled" in text for text in dms(bot, MEMBER))
    assert bot.audit()[-1].action == "cancelled"

    rsvp(bot, event.id, "UCAROL001")
    assert bot.ephemerals("UCAROL001") == ["This event has been cancelled."]


def test_coordinator_cancelling_tells_the_member_who_announced_it(bot: Bot) -> None:
    """A coordinator may cancel someone else's event; that member hears about it."""
    event = announced(bot)

    cancel_event(bot, COORD, event.id)
    bot.deliver()

    assert stored_events(bot)[0].status is EventStatus.CANCELLED
    assert any("has been cancelled" in text for text in dms(bot, MEMBER))


def test_other_members_cannot_edit_or_cancel(bot: Bot) -> None:
    """The menu refuses a stranger, and a crafted cancel form changes nothing."""
    event = announced(bot)

    choose(bot, "cancel", event.id, STRANGER)
    choose(bot, "edit", event.id, STRANGER)
    values = {ids.CANCEL_REASON_BLOCK: simulate.text_state(ids.CANCEL_REASON_INPUT, "")}
    forged = bot.submit(
        ids.CANCEL_MODAL, STRANGER, values, {"event_id": event.id}, view_id="VFORGED02"
    )

    refusal = "Only the member who announced this event or a coordinator can change it."
    assert bot.ephemerals(STRANGER) == [refusal, refusal]
    assert body_json(forged)["errors"] == {ids.CANCEL_REASON_BLOCK: refusal}
    assert [view["callback_id"] for view in bot.opened_views()] == []
    assert stored_events(bot)[0].status is EventStatus.APPROVED


def test_edit_moves_the_event_and_attendees_hear_what_changed(bot: Bot) -> None:
    """The announcement shows the new time and place; attendees and coordinators are told."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)
    new_start = STARTS + timedelta(days=1)

    response = edit_event(bot, MEMBER, event.id, starts_at=new_start, location="Fresno COE, Room 4")
    bot.deliver()

    assert body_json(response) == {}
    [form] = bot.opened_views()
    assert form["submit"]["text"] == "Save changes"
    assert "show on the announcement at once" in str(form["blocks"][0])
    [stored] = stored_events(bot)
    assert (stored.starts_at, stored.location, stored.sequence) == (
        new_start,
        "Fresno COE, Room 4",
        1,
    )
    post = announcement_now(bot)
    assert "Fri, Dec 11, 2026, 10:00 AM" in post["text"]
    assert "Fresno COE, Room 4" in str(post["blocks"])
    assert "*1 person going*" in str(post["blocks"])
    [notice] = [text for text in dms(bot, ANA) if "has changed" in text]
    assert "has changed (time, location)" in notice
    assert any(
        f"<@{MEMBER}> edited the approved event" in post["text"]
        for post in bot.slack.posts(REVIEW_CHANNEL)
    )
    assert (bot.audit()[-1].action, bot.audit()[-1].reason) == ("edited", "time, location")


def test_coordinator_edit_tells_the_member_but_not_the_coordinators(bot: Bot) -> None:
    """Coordinators need no notice of their own edits; the member who announced it does."""
    event = announced(bot)
    reviews_before = len(bot.slack.posts(REVIEW_CHANNEL))

    edit_event(bot, COORD, event.id, title="Family engagement CoP: home visits")
    bot.deliver()

    assert stored_events(bot)[0].title == "Family engagement CoP: home visits"
    assert len(bot.slack.posts(REVIEW_CHANNEL)) == reviews_before
    assert any("has changed (title)" in text for text in dms(bot, MEMBER))


def test_a_stale_edit_form_is_refused(bot: Bot) -> None:
    """Two edit forms opened on the same version: the second save is told to reopen."""
    event = announced(bot)
    choose(bot, "edit", event.id, MEMBER)
    stale = bot.opened_views()[-1]["private_metadata"]
    edit_event(bot, MEMBER, event.id, title="First edit wins here")

    values = simulate.event_values(STARTS, STARTS + timedelta(hours=1), title="Second edit")
    body = simulate.view_submission(
        ids.EVENT_MODAL, MEMBER, values, view_id="VSTALE001", private_metadata=stale
    )
    answer = body_json(bot.send(body))

    assert answer["errors"] == {ids.TITLE_BLOCK: "This form is out of date; open it again."}
    assert stored_events(bot)[0].title == "First edit wins here"


def test_saving_an_edit_with_no_changes_tells_nobody(bot: Bot) -> None:
    """Opening Edit and saving as it was changes nothing and messages nobody."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)
    bot.deliver()
    sent = len(bot.slack.calls)

    edit_event(bot, MEMBER, event.id)
    bot.deliver()

    assert len(bot.slack.calls) == sent + 1  # only the views.open of the form
    assert stored_events(bot)[0].sequence == 0


def test_an_event_that_has_started_can_no_longer_be_changed(bot: Bot, clock: FrozenClock) -> None:
    """Once it starts, the menu says so instead of opening a form."""
    event = announced(bot)
    clock.now = STARTS + timedelta(minutes=10)

    choose(bot, "cancel", event.id, MEMBER)

    assert bot.ephemerals(MEMBER) == [
        "This event has already started, so it can no longer be changed."
    ]
    assert stored_events(bot)[0].status is EventStatus.APPROVED


def test_a_replayed_cancel_form_closes_as_the_first_did(bot: Bot) -> None:
    """The same signed cancel submission sent twice: both close the form; one cancellation."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)
    choose(bot, "cancel", event.id, MEMBER)
    form = bot.opened_views()[-1]
    values = {ids.CANCEL_REASON_BLOCK: simulate.text_state(ids.CANCEL_REASON_INPUT, "Ill")}
    body = simulate.view_submission(
        ids.CANCEL_MODAL,
        MEMBER,
        values,
        view_id="VCANCEL09",
        private_metadata=form["private_metadata"],
    )

    first, replay = bot.send(body), bot.send(body)
    bot.deliver()

    assert (first.status, body_json(first)) == (200, {})
    assert (replay.status, body_json(replay)) == (200, {})
    assert stored_events(bot)[0].status is EventStatus.CANCELLED
    assert [e.action for e in bot.audit()].count("cancelled") == 1
    assert sum("has been cancelled" in text for text in dms(bot, ANA)) == 1


def test_a_members_new_links_wait_for_a_coordinator(bot: Bot) -> None:
    """A member's live edit changing a link: the rest goes live, the link goes to review first."""
    event = announced(bot)
    rsvp(bot, event.id, ANA)

    response = edit_event(
        bot,
        MEMBER,
        event.id,
        title="Family engagement CoP: home visits",
        virtual_link="https://evil.example/phish",
    )
    bot.deliver()

    assert body_json(response) == {}
    [stored] = stored_events(bot)
    assert stored.title == "Family engagement CoP: home visits"
    assert stored.virtual_link == "https://example.org/zoom/123"
    post = announcement_now(bot)
    assert "evil.example" not in str(post)
    assert "https://example.org/zoom/123" in str(post)
    assert not any("evil.example" in text for text in dms(bot, ANA))
    [request] = [
        p for p in bot.slack.posts(REVIEW_CHANNEL) if "wants to change the links" in p["text"]
    ]
    assert "<https://evil.example/phish>" in str(request["blocks"])
    edit = request["blocks"][-1]["elements"][0]
    assert (edit["action_id"], edit["value"]) == (ids.EDIT_ACTION, str(event.id))
    assert "with them now" in dms(bot, MEMBER)[-1]
    assert [e.action for e in bot.audit()][-2:] == ["edited", "link_change_requested"]

    # A coordinator applies it from that post's Edit event button: a coordinator's edit is live.
    bot.click(ids.EDIT_ACTION, edit["value"], COORD, REVIEW_CHANNEL)
    form = bot.opened_views()[-1]
    values = simulate.event_values(
        STARTS,
        STARTS + timedelta(minutes=90),
        title="Family engagement CoP: home visits",
        virtual_link="https://example.org/zoom/456",
    )
    bot.send(
        simulate.view_submission(
            ids.EVENT_MODAL,
            COORD,
            values,
            view_id="VAPPLY001",
            private_metadata=form["private_metadata"],
        )
    )
    bot.deliver()

    assert stored_events(bot)[0].virtual_link == "https://example.org/zoom/456"
    assert "https://example.org/zoom/456" in str(announcement_now(bot))


def test_an_edit_form_opened_for_review_is_not_saved_live_after_approval(bot: Bot) -> None:
    """The member opens Edit while pending; a coordinator approves; that save is refused."""
    announce(bot)
    [event] = stored_events(bot)
    bot.click(ids.EDIT_ACTION, str(event.id), MEMBER, "DMEMBER01")
    form = bot.opened_views()[-1]
    bot.deliver()
    bot.click_review(review_ids.APPROVE_ACTION, COORD, kind="event", item_id=event.id)

    values = simulate.event_values(STARTS, STARTS + timedelta(minutes=90), title="Never reviewed")
    body = simulate.view_submission(
        ids.EVENT_MODAL,
        MEMBER,
        values,
        view_id="VEDITPEND",
        private_metadata=form["private_metadata"],
    )
    answer = body_json(bot.send(body))

    assert answer["errors"] == {ids.TITLE_BLOCK: "This form is out of date; open it again."}
    assert stored_events(bot)[0].title == "Family engagement community of practice"
