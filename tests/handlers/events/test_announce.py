"""Announcing an event: the form, field errors within the request, saving, and review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from demokit import simulate
from handlers.events import ids
from storage.models import EventStatus
from tests.conftest import MEMBER, REVIEW_CHANNEL
from tests.handlers.events.helpers import (
    ENDS,
    EVENTS_CHANNEL,
    STARTS,
    announce,
    stored_events,
)
from tests.harness import Bot, body_json


def test_slash_command_opens_the_event_form(bot: Bot) -> None:
    """/announce-event opens the modal with every field, start and end as datetimepickers."""
    response = bot.send(simulate.slash_command(ids.ANNOUNCE_COMMAND, MEMBER))

    assert response.status == 200
    [view] = bot.opened_views()
    assert view["callback_id"] == ids.EVENT_MODAL
    by_block = {block.get("block_id"): block for block in view["blocks"]}
    assert by_block[ids.START_BLOCK]["element"]["type"] == "datetimepicker"
    assert by_block[ids.END_BLOCK]["element"]["type"] == "datetimepicker"
    types = [o["text"]["text"] for o in by_block[ids.TYPE_BLOCK]["element"]["options"]]
    assert len(types) == 10
    assert "Legislative hearing / policy briefing" in types
    regions = [o["value"] for o in by_block[ids.REGION_BLOCK]["element"]["options"]]
    assert regions[0] == "statewide"
    assert len(regions) == 9


def test_global_shortcut_opens_the_same_form(bot: Bot) -> None:
    """The shortcut opens the same modal as the command."""
    bot.send(simulate.global_shortcut(ids.ANNOUNCE_SHORTCUT, MEMBER))

    assert [view["callback_id"] for view in bot.opened_views()] == [ids.EVENT_MODAL]


def test_without_an_events_channel_the_form_explains_instead(
    make_bot: Callable[..., Bot],
) -> None:
    """With CCSN_EVENTS_CHANNEL unset, members learn events are off; nothing can be saved."""
    bot = make_bot(ccsn_events_channel=None)

    bot.send(simulate.slash_command(ids.ANNOUNCE_COMMAND, MEMBER))

    [view] = bot.opened_views()
    assert "callback_id" not in view
    assert "CCSN_EVENTS_CHANNEL" in str(view["blocks"])


@pytest.mark.parametrize(
    ("overrides", "block", "message"),
    [
        ({"ends_at": STARTS - timedelta(hours=1)}, ids.END_BLOCK, "end must be after the start"),
        ({"ends_at": STARTS}, ids.END_BLOCK, "end must be after the start"),
        (
            {"starts_at": STARTS - timedelta(days=30), "ends_at": STARTS - timedelta(days=29)},
            ids.START_BLOCK,
            "start time in the future",
        ),
        ({"ends_at": STARTS + timedelta(days=40)}, ids.END_BLOCK, "at most 31 days"),
        ({"virtual_link": "javascript:alert(1)"}, ids.VIRTUAL_LINK_BLOCK, "http:// or https://"),
        ({"registration_link": "ftp://x.org/f"}, ids.REGISTRATION_BLOCK, "http:// or https://"),
        ({"virtual_link": None, "location": None}, ids.LOCATION_BLOCK, "a location, a virtual"),
        ({"event_type": None}, ids.TYPE_BLOCK, "Choose the type"),
        ({"event_type": "rave"}, ids.TYPE_BLOCK, "from the list"),
        ({"region": "Atlantis"}, ids.REGION_BLOCK, "from the list"),
        ({"title": ""}, ids.TITLE_BLOCK, "Please add a title."),
        ({"host": ""}, ids.HOST_BLOCK, "host organisation"),
        ({"description": "soon"}, ids.DESCRIPTION_BLOCK, "at least 20"),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(
    bot: Bot, overrides: dict[str, object], block: str, message: str
) -> None:
    """Each problem is reported on its own block in the response; no row or message is made."""
    response = announce(bot, **overrides)

    assert response.status == 200
    answer = body_json(response)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block]
    assert message in answer["errors"][block]
    assert stored_events(bot) == []
    assert bot.outbox() == []


def test_missing_times_are_field_errors_not_crashes(bot: Bot) -> None:
    """A submission with no state at all gets errors on every required field."""
    body = simulate.view_submission(ids.EVENT_MODAL, MEMBER, {}, view_id="VEMPTY002")

    answer = body_json(bot.send(body))

    assert {ids.TITLE_BLOCK, ids.START_BLOCK, ids.END_BLOCK, ids.LOCATION_BLOCK} <= set(
        answer["errors"]
    )
    assert stored_events(bot) == []


def test_a_start_that_has_just_passed_is_refused(bot: Bot) -> None:
    """The form's start is checked against the moment it arrives, not when it was opened."""
    response = announce(bot, starts_at=bot.clock(), ends_at=bot.clock() + timedelta(hours=1))

    assert list(body_json(response)["errors"]) == [ids.START_BLOCK]


def test_location_alone_is_enough(bot: Bot) -> None:
    """An in-person event needs no virtual link."""
    response = announce(bot, virtual_link=None, location="Fresno COE, 1111 Van Ness Ave")

    assert body_json(response) == {}
    [event] = stored_events(bot)
    assert event.location == "Fresno COE, 1111 Van Ness Ave"
    assert event.virtual_link is None


def test_valid_event_is_saved_pending_and_sent_for_review(bot: Bot) -> None:
    """The modal closes; the event is pending in UTC; the member is thanked; coordinators see it."""
    response = announce(bot, region="Central Valley")

    assert body_json(response) == {}
    [event] = stored_events(bot)
    assert event.status is EventStatus.PENDING
    assert (event.starts_at, event.ends_at) == (STARTS, ENDS)
    assert event.region == "Central Valley"

    bot.deliver()
    [thanks] = bot.slack.posts(MEMBER)
    assert "Thank you for announcing *Family engagement community of practice*" in thanks["text"]
    [review] = bot.slack.posts(REVIEW_CHANNEL)
    assert review["text"] == "Event to review: Family engagement community of practice"
    assert "Thu, Dec 10, 2026, 10:00 AM \N{EN DASH} 11:30 AM PST" in str(review["blocks"])
    buttons = review["blocks"][-1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Approve", "Request changes", "Reject"]
    assert {b["value"] for b in buttons} == {f"event:{event.id}@1"}
    assert bot.slack.posts(EVENTS_CHANNEL) == []
    assert [entry.action for entry in bot.audit()] == ["submitted"]


def test_the_same_view_submitted_twice_saves_one_event(bot: Bot) -> None:
    """A member who resubmits after a slow answer does not create a duplicate."""
    announce(bot, view_id="VTWICE002")
    second = announce(bot, view_id="VTWICE002")

    assert second.status == 200
    assert len(stored_events(bot)) == 1


def test_mentions_typed_into_the_form_never_ping(bot: Bot) -> None:
    """`<!channel>` and friends reach Slack escaped in every message of the event."""
    announce(
        bot,
        title="Hi <!channel> & <@U999>",
        location="<!here> room",
        host="<!everyone> org",
        description="Ping <!subteam^S123> via <https://evil.example|click> please",
    )
    bot.deliver()

    sent = [call.params for call in bot.slack.calls if call.method == "chat.postMessage"]
    assert len(sent) == 2
    for message in sent:
        for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U999>", "<!subteam^S123>"):
            assert raw not in str(message)
    review = bot.slack.posts(REVIEW_CHANNEL)[0]
    assert review["text"] == "Event to review: Hi &lt;!channel&gt; &amp; &lt;@U999&gt;"
