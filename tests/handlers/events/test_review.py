"""Coordinators review events exactly as practices: then the event is announced with RSVP."""

from __future__ import annotations

import threading
from collections.abc import Callable

from slack_bolt import BoltResponse

from demokit import simulate
from handlers.events import ids
from handlers.review import ids as review_ids
from storage.models import EventStatus
from tests.conftest import COORDINATORS, MEMBER, REVIEW_CHANNEL
from tests.handlers.events.helpers import (
    COORD,
    EVENTS_CHANNEL,
    PUBLIC_URL,
    STARTS,
    announce,
    stored_events,
)
from tests.harness import Bot, body_json

OTHER_COORD = COORDINATORS[1]


def pending_event(bot: Bot) -> int:
    """Announce an event, deliver its messages (the review post too), and return its id."""
    announce(bot)
    bot.deliver()
    return stored_events(bot)[-1].id


def click(bot: Bot, action_id: str, user: str, event_id: int) -> BoltResponse:
    """`user` clicks a button on the event's review post, as the bot posted it."""
    return bot.click_review(action_id, user, kind="event", item_id=event_id)


def test_approve_announces_with_times_rsvp_and_calendar_link(bot: Bot) -> None:
    """Approval posts to the events channel in network time and each reader's own time."""
    event_id = pending_event(bot)

    click(bot, review_ids.APPROVE_ACTION, COORD, event_id)
    bot.deliver()

    [event] = stored_events(bot)
    assert event.status is EventStatus.APPROVED
    assert event.decided_by == COORD
    [post] = bot.slack.posts(EVENTS_CHANNEL)
    assert post["text"] == (
        "Event: Family engagement community of practice, "
        "Thu, Dec 10, 2026, 10:00 AM \N{EN DASH} 11:30 AM PST"
    )
    assert post["blocks"][0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "Family engagement community of practice",
            "emoji": True,
        },
    }
    details = post["blocks"][1]["text"]["text"]
    assert f"<!date^{int(STARTS.timestamp())}^{{date_long_pretty}} at {{time}}|" in details
    assert "Statewide" in details
    assert "No RSVPs yet" in str(post["blocks"])
    going, not_going, join, register, calendar, menu = post["blocks"][-1]["elements"]
    assert (going["text"]["text"], going["action_id"]) == ("Going", ids.RSVP_GOING_ACTION)
    assert (not_going["text"]["text"], not_going["action_id"]) == (
        "Not going",
        ids.RSVP_NOT_GOING_ACTION,
    )
    assert (join["text"]["text"], join["url"]) == ("Join online", "https://example.org/zoom/123")
    assert (register["text"]["text"], register["url"]) == (
        "Register",
        "https://example.org/register",
    )
    assert calendar["url"] == f"{PUBLIC_URL}/events/{event.id}.ics"
    assert [o["value"] for o in menu["options"]] == [f"edit:{event.id}", f"cancel:{event.id}"]
    dm = bot.slack.posts(MEMBER)[-1]
    assert f"archives/{EVENTS_CHANNEL}/p" in dm["text"]
    [update] = bot.slack.calls_to("chat.update")
    assert update.params["channel"] == REVIEW_CHANNEL
    assert f"Approved by <@{COORD}>" in str(update.params["blocks"])
    assert [(e.action, e.actor_id) for e in bot.audit()] == [
        ("submitted", MEMBER),
        ("approved", COORD),
    ]


def test_without_a_public_address_there_is_no_calendar_link(make_bot: Callable[..., Bot]) -> None:
    """The Add to calendar link needs CCSN_PUBLIC_URL; without it the button is left out."""
    bot = make_bot(ccsn_public_url=None)
    event_id = pending_event(bot)

    click(bot, review_ids.APPROVE_ACTION, COORD, event_id)
    bot.deliver()

    [post] = bot.slack.posts(EVENTS_CHANNEL)
    assert [e.get("action_id") for e in post["blocks"][-1]["elements"]] == [
        ids.RSVP_GOING_ACTION,
        ids.RSVP_NOT_GOING_ACTION,
        ids.JOIN_ACTION,
        ids.REGISTER_ACTION,
        ids.MANAGE_ACTION,
    ]
    assert ".ics" not in str(post)


def test_non_coordinator_cannot_approve_an_event(bot: Bot) -> None:
    """A member clicking Approve is told only coordinators can review; nothing is announced."""
    event_id = pending_event(bot)

    click(bot, review_ids.APPROVE_ACTION, MEMBER, event_id)
    bot.deliver()

    assert bot.ephemerals(MEMBER) == ["Only coordinators can review submissions."]
    assert stored_events(bot)[0].status is EventStatus.PENDING
    assert bot.slack.posts(EVENTS_CHANNEL) == []


def test_reject_with_reason_reaches_the_member(bot: Bot) -> None:
    """Reject opens a reason form naming the event; the member gets the reason."""
    event_id = pending_event(bot)

    click(bot, review_ids.REJECT_ACTION, COORD, event_id)
    [modal] = bot.opened_views()
    assert modal["title"]["text"] == "Reject event"
    response = bot.give_reason(COORD, "Not a network event <!here>")
    bot.deliver()

    assert body_json(response) == {}
    assert stored_events(bot)[0].status is EventStatus.REJECTED
    dm = bot.slack.posts(MEMBER)[-1]
    assert "decided not to publish" in dm["text"]
    assert "Not a network event &lt;!here&gt;" in dm["text"]
    assert bot.slack.posts(EVENTS_CHANNEL) == []


def test_request_changes_then_member_edits_and_resubmits(bot: Bot) -> None:
    """The member's DM has an edit button; the form reopens filled in and goes back for review."""
    event_id = pending_event(bot)
    click(bot, review_ids.REQUEST_CHANGES_ACTION, COORD, event_id)
    bot.give_reason(COORD, "Add a registration deadline")
    bot.deliver()

    dm = bot.slack.posts(MEMBER)[-1]
    assert "Add a registration deadline" in dm["text"]
    edit_button = dm["blocks"][-1]["elements"][0]
    assert edit_button["action_id"] == ids.EDIT_ACTION

    bot.press(bot.dm_button(MEMBER, ids.EDIT_ACTION), MEMBER)
    _reason_form, form = bot.opened_views()
    blocks = {b.get("block_id"): b for b in form["blocks"]}
    assert blocks[ids.START_BLOCK]["element"]["initial_date_time"] == int(STARTS.timestamp())
    assert blocks[ids.TYPE_BLOCK]["element"]["initial_option"]["value"] == "community_of_practice"

    values = simulate.event_values(
        STARTS, STARTS.replace(hour=20), title="Family engagement CoP (register by Dec 8)"
    )
    body = simulate.view_submission(
        ids.EVENT_MODAL,
        MEMBER,
        values,
        view_id="VEDIT0002",
        private_metadata=form["private_metadata"],
    )
    assert body_json(bot.send(body)) == {}
    bot.deliver()

    [event] = stored_events(bot)
    assert event.status is EventStatus.PENDING
    assert event.revision == 2
    assert event.title == "Family engagement CoP (register by Dec 8)"
    reviews = bot.slack.posts(REVIEW_CHANNEL)
    assert (
        reviews[-1]["text"] == "Event to review (edit 2): Family engagement CoP (register by Dec 8)"
    )
    assert [e.action for e in bot.audit()] == ["submitted", "changes_requested", "resubmitted"]


def test_only_the_member_can_resubmit_their_event(bot: Bot) -> None:
    """Someone else clicking the edit button is refused and no form opens."""
    event_id = pending_event(bot)
    click(bot, review_ids.REQUEST_CHANGES_ACTION, COORD, event_id)
    bot.give_reason(COORD, "Add a registration deadline")
    bot.deliver()
    reason_form = bot.reason_modal()
    edit = bot.dm_button(MEMBER, ids.EDIT_ACTION)

    bot.press(edit, "USTRANGER")  # a click forged from the member's DM

    assert bot.opened_views() == [reason_form]
    assert bot.ephemerals("USTRANGER") == ["Only the member who announced this event can edit it."]


def test_concurrent_approvals_announce_once(bot: Bot) -> None:
    """Two coordinators approving the same event at once: one announcement, one refusal."""
    button = bot.review_button(review_ids.APPROVE_ACTION, kind="event", item_id=pending_event(bot))
    barrier = threading.Barrier(2)

    def approve(user: str) -> None:
        barrier.wait()
        bot.press(button, user)

    threads = [threading.Thread(target=approve, args=(u,)) for u in (COORD, OTHER_COORD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.deliver()

    assert len(bot.slack.posts(EVENTS_CHANNEL)) == 1
    refusals = bot.ephemerals(COORD) + bot.ephemerals(OTHER_COORD)
    assert len(refusals) == 1
    assert refusals[0].startswith("This event was already approved by")
