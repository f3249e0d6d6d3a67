"""A coordinator's decision racing the member's edit: what is published is what was reviewed.

Each round starts both requests at a barrier, so on PostgreSQL (and SQLite, one writer at a
time) the edit lands before, after or between the decision's read and its UPDATE.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from core.config import Settings
from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.events import ids as event_ids
from handlers.practices import ids as practice_ids
from handlers.review import ids
from handlers.review.schemas import EditRef, SubmissionRef
from storage.models import Event, EventStatus, OutboxMessage, Practice, PracticeStatus
from tests.conftest import COORDINATORS, MEMBER, REVIEW_CHANNEL, make_settings
from tests.handlers.events.helpers import EVENTS_CHANNEL, PUBLIC_URL, STARTS, stored_events
from tests.harness import Bot, body_json

COORD = COORDINATORS[0]
ROUNDS = 40


def race(first: Callable[[], object], second: Callable[[], object]) -> None:
    """Run both at once, released together by a barrier."""
    barrier = threading.Barrier(2)

    def run(step: Callable[[], object]) -> None:
        barrier.wait()
        step()

    threads = [threading.Thread(target=run, args=(step,)) for step in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def published(bot: Bot, key: str) -> OutboxMessage | None:
    """The queued publication (practice post or event announcement) under `key`, if any."""
    return next((row for row in bot.outbox() if row.key == key), None)


def test_approve_racing_the_members_edit_never_publishes_the_unreviewed_practice(
    bot: Bot,
) -> None:
    """Approve on edit 1 racing the member's edit: edit 1 is published, or Approve is refused."""
    for round_ in range(ROUNDS):
        bot.share(MEMBER, view_id=f"VSHARE{round_:03d}", title=f"Family nights {round_}")
        practice_id = bot.practices()[-1].id
        answers: dict[str, dict[str, Any]] = {}

        def approve(practice_id: int = practice_id) -> None:
            bot.click(ids.APPROVE_ACTION, f"practice:{practice_id}@1", COORD, REVIEW_CHANNEL)

        def edit(
            practice_id: int = practice_id,
            round_: int = round_,
            answers: dict[str, dict[str, Any]] = answers,
        ) -> None:
            values = simulate.practice_values(title=f"Unreviewed edit {round_}")
            response = bot.submit(
                practice_ids.PRACTICE_MODAL,
                MEMBER,
                values,
                EditRef(SubmissionRef("practice", practice_id), 1).metadata(),
                view_id=f"VEDIT{round_:03d}",
            )
            answers["edit"] = body_json(response)

        race(approve, edit)

        practice: Practice = bot.practices()[-1]
        post = published(bot, f"practice:{practice_id}:published")
        if practice.status is PracticeStatus.APPROVED:
            assert practice.revision == 1, f"round {round_}: approved an unreviewed edit"
            assert practice.title == f"Family nights {round_}"
            assert post is not None and post.payload["text"].endswith(f"Family nights {round_}")
            # refused on the form, whether it saw the approval or lost the UPDATE to it
            assert set(answers["edit"]["errors"]) == {practice_ids.TITLE_BLOCK}
        else:
            assert practice.status is PracticeStatus.PENDING
            assert practice.revision == 2
            assert post is None, f"round {round_}: published while the edit waits for review"
            assert bot.ephemerals(COORD)[-1] == (
                "This practice was edited since; please review the newer version."
            )


def test_approve_racing_the_members_edit_never_announces_the_unreviewed_event(
    bot: Bot,
) -> None:
    """Approve on edit 1 racing the member's edit of a pending event: never edit 2 announced."""
    for round_ in range(ROUNDS):
        ends = STARTS + timedelta(minutes=90)
        values = simulate.event_values(STARTS, ends, title=f"CoP {round_}")
        bot.send(
            simulate.view_submission(
                event_ids.EVENT_MODAL, MEMBER, values, view_id=f"VEVENT{round_:03d}"
            )
        )
        event_id = stored_events(bot)[-1].id

        def approve(event_id: int = event_id) -> None:
            bot.click(ids.APPROVE_ACTION, f"event:{event_id}@1", COORD, REVIEW_CHANNEL)

        def edit(event_id: int = event_id, round_: int = round_) -> None:
            edited = simulate.event_values(
                STARTS, STARTS + timedelta(minutes=90), title=f"Unreviewed edit {round_}"
            )
            bot.submit(
                event_ids.EVENT_MODAL,
                MEMBER,
                edited,
                EditRef(SubmissionRef("event", event_id), 1).metadata(),
                view_id=f"VEDITEV{round_:03d}",
            )

        race(approve, edit)

        event: Event = stored_events(bot)[-1]
        post = published(bot, f"event:{event_id}:published")
        if event.status is EventStatus.APPROVED:
            assert event.revision == 1, f"round {round_}: approved an unreviewed edit"
            assert event.title == f"CoP {round_}"
            assert post is not None and f"CoP {round_}" in post.payload["text"]
        else:
            assert (event.status, event.revision) == (EventStatus.PENDING, 2)
            assert post is None, f"round {round_}: announced while the edit waits for review"


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    """Events need their channel; practices run as usual alongside."""
    return make_settings(
        slack, schema, ccsn_events_channel=EVENTS_CHANNEL, ccsn_public_url=PUBLIC_URL
    )


def test_the_same_view_submitted_twice_at_once_saves_one_practice(bot: Bot) -> None:
    """Slack's retry racing the first delivery of a form: one practice, one review post."""
    for round_ in range(ROUNDS // 2):
        view_id = f"VDOUBLE{round_:03d}"
        race(
            lambda v=view_id: bot.share(MEMBER, view_id=v),
            lambda v=view_id: bot.share(MEMBER, view_id=v),
        )

    assert len(bot.practices()) == ROUNDS // 2
    reviews = [row for row in bot.outbox() if row.channel == REVIEW_CHANNEL]
    assert len(reviews) == ROUNDS // 2
