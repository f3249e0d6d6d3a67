"""Event Block Kit from the largest hostile input a member can type stays within Slack's limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from handlers.events import messages, views
from handlers.events.schemas import EventForm
from handlers.review.schemas import EditRef, ReviewDecision, SubmissionRef
from handlers.review.views import DecisionView
from tests.handlers.events.helpers import PACIFIC, STARTS
from tests.handlers.test_blocks import assert_within_limits
from tests.harness import mrkdwn_texts


def worst_case() -> EventForm:
    nasty = "<!channel>&" * 300
    return EventForm(
        title=nasty[:150],
        event_type="grant_webinar",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(days=30, hours=23),
        virtual_link="https://example.org/" + "|<>&" * 495,
        location=nasty[:300],
        registration_link="https://example.org/" + "a" * 1980,
        host_organisation=nasty[:150],
        region="Southern Inland",
        description=nasty[:3000],
    )


def test_event_messages_stay_within_block_kit_limits() -> None:
    """Review post, announcement, cancellation and every DM fit, and never ping anyone."""
    event = worst_case()
    decided = DecisionView(
        ReviewDecision.REJECT, "U0COORD1", datetime(2026, 1, 1, tzinfo=UTC), "<!here>" * 300
    )
    about = messages.Announcement(
        event_id=123456, submitter_id="U1", going=1_000_000, calendar_url="https://h.org/e.ics"
    )
    built = [
        messages.review_post(event, event_id=1, submitter_id="U1", revision=1, tz=PACIFIC),
        messages.review_post(
            event, event_id=1, submitter_id="U1", revision=9, tz=PACIFIC, decision=decided
        ),
        messages.announcement(event, about, PACIFIC),
        messages.cancelled_announcement(
            event, cancelled_by="U1", reason="<!here>" * 300, tz=PACIFIC
        ),
        messages.thanks_message(event, 1),
        messages.resubmitted_message(event, 1),
        messages.approved_message(event.title, "see it here", 24),
        messages.reminder_message(event, PACIFIC, "https://h.org/e.ics"),
        messages.changed_message(event, ["time", "location"], PACIFIC, None),
        messages.cancelled_message(event, "<!everyone>" * 200, PACIFIC),
        messages.edited_notice(event.title, event_id=1, editor_id="U1"),
    ]
    for message in built:
        assert_within_limits(message, 50)
        for text in mrkdwn_texts(message):
            for raw in ("<!channel>", "<!here>", "<!everyone>"):
                assert raw not in text
    reply = messages.rsvp_reply(event.title, going=True, reminder_hours=24)
    assert "<!channel>" not in reply


def test_links_cannot_break_out_of_their_mrkdwn_link() -> None:
    """In the review post a URL's `|`, `<` and `>` are encoded; buttons carry it untouched."""
    event = worst_case()

    [online, registration] = views.link_sections(event)
    buttons = views.link_buttons(event, None)

    # Escaped, this URL is too long to link whole, so it is shown as text, never half a link.
    assert online["text"]["text"].startswith("*Online:* https://example.org/|&lt;&gt;&amp;")
    assert len(online["text"]["text"]) <= 3000
    assert registration["text"]["text"].startswith("*Registration:* <https://example.org/a")
    assert registration["text"]["text"].endswith(">")
    short = worst_case().model_copy(update={"virtual_link": "https://x.org/a|b<c>"})
    assert views.link_sections(short)[0]["text"]["text"] == (
        "*Online:* <https://x.org/a%7Cb&lt;c&gt;>"
    )
    assert [b["url"] for b in buttons] == [event.virtual_link, event.registration_link]
    assert all(len(b["url"]) <= 3000 for b in buttons)


def test_event_modal_fits_view_limits_even_when_prefilled() -> None:
    """The form, blank or prefilled for an edit, respects title, option and block limits."""
    for view in (
        views.event_modal(),
        views.event_modal(
            worst_case(), EditRef(SubmissionRef("event", 1), 1, live=True).metadata()
        ),
    ):
        assert len(view["title"]["text"]) <= 24
        assert len(view["submit"]["text"]) <= 24
        assert len(view["blocks"]) <= 100
        assert len(view["private_metadata"]) <= 3000
        for block in view["blocks"]:
            element = block.get("element", {})
            for option in element.get("options", []):
                assert len(option["text"]["text"]) <= 75
                assert len(option["value"]) <= 150
            assert len(element.get("initial_value", "")) <= element.get("max_length", 3000)
    assert len(json.dumps(views.cancel_modal(1, worst_case().title))) < 10_000
