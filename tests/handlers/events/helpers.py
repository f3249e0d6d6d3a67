"""Driving the events feature as members and coordinators do, and reading what they see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import BoltResponse
from sqlalchemy import select

from demokit import simulate
from handlers import events as events_feature
from handlers.events import ids
from handlers.review import ids as review_ids
from storage.models import Event, Rsvp
from tests.conftest import COORDINATORS, MEMBER
from tests.harness import Bot

EVENTS_CHANNEL = "CEVENTS01"
PUBLIC_URL = "https://hub.example.org"
PACIFIC = ZoneInfo("America/Los_Angeles")
COORD = COORDINATORS[0]
# Thursday 10 December 2026, 10:00-11:30 in California (PST, UTC-8); the clock starts on the
# Monday before, 30 November 2026 at 09:00 PST.
STARTS = datetime(2026, 12, 10, 18, 0, tzinfo=UTC)
ENDS = STARTS + timedelta(minutes=90)


def announce(
    bot: Bot,
    user: str = MEMBER,
    *,
    starts_at: datetime = STARTS,
    ends_at: datetime | None = None,
    view_id: str = "VEVENT001",
    **fields: Any,
) -> BoltResponse:
    """A member submits the announce-an-event form."""
    values = simulate.event_values(
        starts_at, ends_at or starts_at + timedelta(minutes=90), **fields
    )
    return bot.send(simulate.view_submission(ids.EVENT_MODAL, user, values, view_id=view_id))


def announced(bot: Bot, *, starts_at: datetime = STARTS, **fields: Any) -> Event:
    """An event announced, approved by a coordinator, and its announcement delivered."""
    announce(bot, starts_at=starts_at, view_id=f"VANNOUNCE{len(stored_events(bot))}", **fields)
    event = stored_events(bot)[-1]
    bot.deliver()
    bot.click_review(review_ids.APPROVE_ACTION, COORD, kind="event", item_id=event.id)
    bot.deliver()
    return stored_events(bot)[-1]


def rsvp(bot: Bot, event_id: int, user: str) -> BoltResponse:
    """A member clicks Going on the announcement."""
    return bot.click(ids.RSVP_GOING_ACTION, str(event_id), user, EVENTS_CHANNEL)


def not_going(bot: Bot, event_id: int, user: str) -> BoltResponse:
    """A member clicks Not going on the announcement."""
    return bot.click(ids.RSVP_NOT_GOING_ACTION, str(event_id), user, EVENTS_CHANNEL)


def choose(bot: Bot, choice: str, event_id: int, user: str) -> BoltResponse:
    """A member picks Edit or Cancel from the announcement's ⋯ menu."""
    body = simulate.overflow_click(
        ids.MANAGE_ACTION, f"{choice}:{event_id}", user, channel=EVENTS_CHANNEL
    )
    return bot.send(body)


def run_reminders(bot: Bot) -> None:
    """One tick of the reminder job, as the scheduler would run it now."""
    [job] = events_feature.jobs(bot.runtime.deps)
    job.run(bot.clock())


def stored_events(bot: Bot) -> list[Event]:
    with bot.runtime.deps.uow() as uow:
        return list(uow.session.scalars(select(Event).order_by(Event.id)))


def stored_rsvps(bot: Bot) -> list[Rsvp]:
    with bot.runtime.deps.uow() as uow:
        return list(uow.session.scalars(select(Rsvp).order_by(Rsvp.created_at, Rsvp.user_id)))


def announcement_updates(bot: Bot) -> list[dict[str, Any]]:
    """Every edit of a message in the events channel, in order."""
    return [
        call.params
        for call in bot.slack.calls_to("chat.update")
        if call.params.get("channel") == EVENTS_CHANNEL
    ]


def announcement_now(bot: Bot) -> dict[str, Any]:
    """The announcement as members see it now: its latest edit, or the post itself."""
    updates = announcement_updates(bot)
    return updates[-1] if updates else bot.slack.posts(EVENTS_CHANNEL)[-1]


def dms(bot: Bot, user: str) -> list[str]:
    """The text of every DM a member received."""
    return [str(post["text"]) for post in bot.slack.posts(user)]


def flat(message: dict[str, Any]) -> str:
    """Everything in a message as one string, for "does it mention" checks."""
    return str(message)


def edit_event(
    bot: Bot,
    user: str,
    event_id: int,
    *,
    starts_at: datetime = STARTS,
    ends_at: datetime | None = None,
    view_id: str = "VEDITEV01",
    **fields: Any,
) -> BoltResponse:
    """`user` picks Edit from the announcement's menu and saves the form with these values."""
    choose(bot, "edit", event_id, user)
    form = bot.opened_views()[-1]
    assert form["callback_id"] == ids.EVENT_MODAL, "the edit form did not open"
    values = simulate.event_values(
        starts_at, ends_at or starts_at + timedelta(minutes=90), **fields
    )
    body = simulate.view_submission(
        ids.EVENT_MODAL, user, values, view_id=view_id, private_metadata=form["private_metadata"]
    )
    return bot.send(body)


def cancel_event(
    bot: Bot, user: str, event_id: int, reason: str = "", view_id: str = "VCANCEL01"
) -> BoltResponse:
    """`user` picks Cancel from the announcement's menu and confirms with `reason`."""
    choose(bot, "cancel", event_id, user)
    form = bot.opened_views()[-1]
    assert form["callback_id"] == ids.CANCEL_MODAL, "the cancel form did not open"
    values = {ids.CANCEL_REASON_BLOCK: simulate.text_state(ids.CANCEL_REASON_INPUT, reason)}
    body = simulate.view_submission(
        ids.CANCEL_MODAL, user, values, view_id=view_id, private_metadata=form["private_metadata"]
    )
    return bot.send(body)
