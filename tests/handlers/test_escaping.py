"""Mentions, links and markup typed into any form never reach Slack as live markup.

Every user field of every form gets the same hostile text, and the whole life of each item is
driven: submitted, reviewed (approved, changes asked, rejected, with reasons), published, RSVP'd,
edited, reminded, resolved, cancelled, and rounded up in the weekly digest, a personal digest
and the coordinators' preview. Then every mrkdwn text and `text` fallback the bot sent (every
Web API call to the fake Slack, every ephemeral answer in an HTTP response) is searched for the
raw control sequences. `plain_text` objects are exempt: Slack shows them literally.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from core.config import Settings
from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.ccsn import ids as ccsn_ids
from handlers.digest import ids as digest_ids
from handlers.events import ids as event_ids
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from handlers.ta import ids as ta_ids
from tests.conftest import COORDINATORS, MEMBER, make_settings
from tests.handlers.events.helpers import (
    EVENTS_CHANNEL,
    STARTS,
    choose,
    rsvp,
    run_reminders,
    stored_events,
)
from tests.handlers.ta.conftest import TA_SETTINGS
from tests.handlers.ta.support import NETWORK_PROVIDER, TA_CHANNEL, requests, ta_values
from tests.harness import Bot, FrozenClock, body_json, mrkdwn_texts

pytestmark = pytest.mark.reliability

COORD = COORDINATORS[0]
ATTENDEE = "UATTEND01"
READER = "UREADER01"
DIGEST_CHANNEL = "CDIGEST01"

CONTROL = (
    "<!channel>",
    "<!here>",
    "<@UEVIL0001>",
    "<!subteam^SEVIL0001>",
    "<https://evil.example|x>",
)
HOSTILE = " ".join((*CONTROL, "*bold*"))
HOSTILE_ESCAPED = "&lt;!channel&gt; &lt;!here&gt;"
# A link passes the form's check (http(s), a host, no spaces) yet carries every sequence.
HOSTILE_LINK = "https://example.org/x?a=<!channel>&b=<@UEVIL0001>|<!here>&c=<!subteam^SEVIL0001>"


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    """Every feature on, so every form and every message exists."""
    return make_settings(
        slack,
        schema,
        ccsn_events_channel=EVENTS_CHANNEL,
        ccsn_digest_channel=DIGEST_CHANNEL,
        **TA_SETTINGS,
    )


def sent_texts(bot: Bot, answers: list[dict[str, Any]]) -> list[str]:
    """Every string Slack would parse for mentions, in everything the bot sent or answered."""
    found: list[str] = []
    for call in bot.slack.calls:
        if "text" in call.params:
            found.append(str(call.params["text"]))  # a message's fallback is parsed too
        found += mrkdwn_texts(call.params)
    for answer in answers:
        if "text" in answer:
            found.append(str(answer["text"]))
        found += mrkdwn_texts(answer)
    return found


class Flows:
    """The forms and buttons a member, a coordinator and a provider use, with hostile input."""

    def __init__(self, bot: Bot, text: str = HOSTILE, link: str = HOSTILE_LINK) -> None:
        self.bot = bot
        self.text = text  # what the member types into every text field
        self.link = link  # ... and into every link field
        self.answers: list[dict[str, Any]] = []
        self._views = 0

    def send(self, body: str) -> dict[str, Any]:
        response = self.bot.send(body)
        assert response.status == 200
        answer = body_json(response)
        assert "errors" not in answer, answer
        self.answers.append(answer)
        return answer

    def view_id(self) -> str:
        self._views += 1
        return f"VESC{self._views:05d}"

    def submit_opened(self, user: str, values: dict[str, Any]) -> None:
        """Submit the modal the last click opened, with its own metadata."""
        view = self.bot.opened_views()[-1]
        self.send(
            simulate.view_submission(
                view["callback_id"],
                user,
                values,
                view_id=self.view_id(),
                private_metadata=view.get("private_metadata", ""),
            )
        )

    def decide(self, ref: str, action: str, reason: str | None = None) -> None:
        """A coordinator clicks `action` on the review post of `ref` (`event:3`) as posted."""
        kind, _, item_id = ref.partition(":")
        self.send(self.bot.review_button(action, kind=kind, item_id=int(item_id)).click(COORD))
        if reason is not None:
            values = {review_ids.REASON_BLOCK: simulate.text_state(review_ids.REASON_INPUT, reason)}
            self.submit_opened(COORD, values)
        self.bot.deliver()

    def share_practice(self) -> str:
        values = simulate.practice_values(
            title=self.text, summary=self.text, organisation=self.text, link=self.link
        )
        body = simulate.view_submission(
            practice_ids.PRACTICE_MODAL, MEMBER, values, view_id=self.view_id()
        )
        self.send(body)
        self.bot.deliver()
        return f"practice:{self.bot.practices()[-1].id}"

    def request_ta(self) -> str:
        values = ta_values(need=self.text, organisation=self.text, digest="yes")
        self.send(
            simulate.view_submission(ta_ids.REQUEST_MODAL, MEMBER, values, view_id=self.view_id())
        )
        self.bot.deliver()
        return str(requests(self.bot)[-1].id)

    def announce_event(self) -> str:
        values = simulate.event_values(
            STARTS,
            STARTS + timedelta(hours=1),
            title=self.text,
            virtual_link=self.link,
            location=self.text,
            registration_link=self.link,
            host=self.text,
            description=self.text,
        )
        self.send(
            simulate.view_submission(event_ids.EVENT_MODAL, MEMBER, values, view_id=self.view_id())
        )
        self.bot.deliver()
        return str(stored_events(self.bot)[-1].id)

    def everything(self, clock: FrozenClock) -> None:
        """The whole life of every kind of item, with `text` and `link` in every field."""
        self.clock = clock
        clock.advance(minutes=1)  # after the Monday digest time, so next week's covers all this

        # Practices: one approved and published, one sent back for changes, one rejected.
        self.decide(self.share_practice(), review_ids.APPROVE_ACTION)
        self.decide(self.share_practice(), review_ids.REQUEST_CHANGES_ACTION, self.text)
        self.decide(self.share_practice(), review_ids.REJECT_ACTION, self.text)

        # TA: one request stays open for the digest; another is claimed and resolved with a note.
        self.request_ta()
        resolved = self.request_ta()
        self.send(
            simulate.button_click(
                ta_ids.CLAIM_ACTION, resolved, NETWORK_PROVIDER, channel=TA_CHANNEL
            )
        )
        self.send(
            simulate.button_click(
                ta_ids.RESOLVE_ACTION, resolved, NETWORK_PROVIDER, channel=TA_CHANNEL
            )
        )
        self.submit_opened(
            NETWORK_PROVIDER, {ta_ids.NOTE_BLOCK: simulate.text_state(ta_ids.NOTE_INPUT, self.text)}
        )
        self.bot.deliver()

        # Events: one approved, RSVP'd, edited, reminded; one cancelled with a reason; one sent back
        # and one rejected by the coordinators with reasons.
        kept = self.announce_event()
        self.decide(f"event:{kept}", review_ids.APPROVE_ACTION)
        self.send(
            simulate.button_click(
                event_ids.RSVP_GOING_ACTION, kept, ATTENDEE, channel=EVENTS_CHANNEL
            )
        )
        choose(self.bot, "edit", int(kept), MEMBER)
        self.submit_opened(
            MEMBER,
            simulate.event_values(
                STARTS,
                STARTS + timedelta(hours=2),
                title=self.text + " (longer)",
                virtual_link=self.link,
                location=self.text,
                registration_link=self.link,
                host=self.text,
                description=self.text + " and more",
            ),
        )
        cancelled = self.announce_event()
        self.decide(f"event:{cancelled}", review_ids.APPROVE_ACTION)
        rsvp(self.bot, int(cancelled), ATTENDEE)
        choose(self.bot, "cancel", int(cancelled), MEMBER)
        self.submit_opened(
            MEMBER,
            {
                event_ids.CANCEL_REASON_BLOCK: simulate.text_state(
                    event_ids.CANCEL_REASON_INPUT, self.text
                )
            },
        )
        self.decide(f"event:{self.announce_event()}", review_ids.REQUEST_CHANGES_ACTION, self.text)
        self.decide(f"event:{self.announce_event()}", review_ids.REJECT_ACTION, self.text)
        self.bot.deliver()

        # A member subscribes to a personal digest; a coordinator previews the weekly one.
        self.send(
            simulate.view_submission(
                digest_ids.SUBSCRIBE_MODAL,
                READER,
                {
                    digest_ids.REGIONS_BLOCK: simulate.multi_state(digest_ids.REGIONS_INPUT, []),
                    digest_ids.PILLARS_BLOCK: simulate.multi_state(digest_ids.PILLARS_INPUT, []),
                    digest_ids.TOPICS_BLOCK: simulate.multi_state(digest_ids.TOPICS_INPUT, []),
                },
                view_id=self.view_id(),
            )
        )
        self.send(simulate.slash_command(ccsn_ids.CCSN_COMMAND, COORD, text="digest"))

        # A week later: the weekly digest and the personal one; then the event's reminder.
        self.clock.advance(days=7)
        self.bot.runtime.scheduler.catch_up()
        self.bot.deliver()
        self.clock.now = STARTS - timedelta(hours=23)
        run_reminders(self.bot)
        self.bot.deliver()


def test_hostile_text_in_every_field_reaches_slack_escaped_in_every_message(
    bot: Bot, clock: FrozenClock
) -> None:
    """No mrkdwn text or fallback the bot sends contains a live mention, broadcast or link."""
    flows = Flows(bot)
    flows.everything(clock)

    digest = bot.slack.posts(DIGEST_CHANNEL)
    assert digest, "the weekly digest was not posted"
    assert "\\u2217bold\\u2217" in json.dumps(digest), "the digest should list the hostile items"
    assert any("Reminder:" in p["text"] for p in bot.slack.posts(ATTENDEE))
    assert bot.slack.posts(READER), "the personal digest was not sent"
    texts = sent_texts(bot, flows.answers)
    assert sum(HOSTILE_ESCAPED in text for text in texts) > 50
    for text in texts:
        for raw in (*CONTROL, "*bold*"):
            assert raw not in text, f"{raw!r} reached Slack live in: {text[:300]!r}"
        assert "<https://example.org/x?a=<" not in text
