"""RSVP: Going / Not going per member, idempotent, and a live count even under racing clicks."""

from __future__ import annotations

import threading
from datetime import timedelta

from demokit import simulate
from handlers.events import ids
from tests.conftest import FrozenClock
from tests.handlers.events.helpers import (
    EVENTS_CHANNEL,
    STARTS,
    announce,
    announced,
    announcement_now,
    announcement_updates,
    not_going,
    rsvp,
    stored_events,
    stored_rsvps,
)
from tests.harness import Bot

MEMBERS = [f"UMEMB{n:04d}" for n in range(12)]


def context_of(message: dict) -> str:
    """The announcement's attendance line."""
    return next(b for b in message["blocks"] if b["type"] == "context")["elements"][0]["text"]


def test_going_and_not_going_set_the_rsvp_and_the_announcement_shows_the_count(
    bot: Bot,
) -> None:
    """Going: going, count 1, the member is told; Not going: withdrawn, count 0."""
    event = announced(bot)
    announcement = bot.slack.posts(EVENTS_CHANNEL)[0]

    rsvp(bot, event.id, MEMBERS[0])
    bot.deliver()

    assert [r.user_id for r in stored_rsvps(bot)] == [MEMBERS[0]]
    [update] = announcement_updates(bot)
    assert update["ts"] == announcement["ts"]
    assert context_of(update).startswith("*1 person going*")
    [reply] = bot.ephemerals(MEMBERS[0])
    assert reply.startswith("You're going to *Family engagement community of practice*.")
    assert "reminder 24 hours before it starts" in reply

    not_going(bot, event.id, MEMBERS[0])
    bot.deliver()

    assert stored_rsvps(bot) == []
    assert context_of(announcement_now(bot)).startswith("*No RSVPs yet*")
    assert bot.ephemerals(MEMBERS[0])[-1] == (
        "You're not going to *Family engagement community of practice*. "
        "Click Going if your plans change."
    )
    assert [e.action for e in bot.audit()][-2:] == ["rsvp", "rsvp_withdrawn"]


def test_a_replayed_going_or_not_going_changes_nothing_the_second_time(bot: Bot) -> None:
    """The same signed click sent twice leaves the member going (or not), answered alike."""
    event = announced(bot)
    going = simulate.button_click(
        ids.RSVP_GOING_ACTION, str(event.id), MEMBERS[0], channel=EVENTS_CHANNEL
    )
    bot.send(going)
    bot.send(going)
    bot.deliver()

    assert [r.user_id for r in stored_rsvps(bot)] == [MEMBERS[0]]
    first, second = bot.ephemerals(MEMBERS[0])
    assert first == second and first.startswith("You're going")
    assert context_of(announcement_now(bot)).startswith("*1 person going*")

    leave = simulate.button_click(
        ids.RSVP_NOT_GOING_ACTION, str(event.id), MEMBERS[0], channel=EVENTS_CHANNEL
    )
    bot.send(leave)
    bot.send(leave)
    bot.deliver()

    assert stored_rsvps(bot) == []
    assert bot.ephemerals(MEMBERS[0])[-1] == bot.ephemerals(MEMBERS[0])[-2]
    assert context_of(announcement_now(bot)).startswith("*No RSVPs yet*")
    assert [e.action for e in bot.audit()][-2:] == ["rsvp", "rsvp_withdrawn"]


def test_the_old_rsvp_button_means_going_and_brings_the_new_buttons(bot: Bot) -> None:
    """A click on an announcement's old RSVP toggle, twice: going both times, post rewritten."""
    event = announced(bot)

    for _ in range(2):
        bot.click(ids.RSVP_ACTION, str(event.id), MEMBERS[0], EVENTS_CHANNEL)
    bot.deliver()

    assert [r.user_id for r in stored_rsvps(bot)] == [MEMBERS[0]]
    buttons = [e.get("action_id") for e in announcement_now(bot)["blocks"][-1]["elements"]]
    assert buttons[:2] == [ids.RSVP_GOING_ACTION, ids.RSVP_NOT_GOING_ACTION]


def test_concurrent_clicks_count_every_member_once(bot: Bot) -> None:
    """Twelve members click at the same instant: twelve RSVPs, and the post says twelve."""
    event = announced(bot)
    barrier = threading.Barrier(len(MEMBERS))

    def click(user: str) -> None:
        barrier.wait()
        rsvp(bot, event.id, user)

    threads = [threading.Thread(target=click, args=(user,)) for user in MEMBERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.deliver()

    assert sorted(r.user_id for r in stored_rsvps(bot)) == MEMBERS
    assert context_of(announcement_now(bot)).startswith("*12 people going*")
    # Each click queued a whole new post; only the newest still waiting was worth sending.
    assert len(announcement_updates(bot)) == 1
    assert all(bot.ephemerals(user)[0].startswith("You're going") for user in MEMBERS)


def test_a_double_click_on_going_counts_the_member_once(bot: Bot) -> None:
    """One member's two simultaneous Going clicks take turns: going once; the post agrees."""
    event = announced(bot)
    rsvp(bot, event.id, MEMBERS[1])
    barrier = threading.Barrier(2)

    def click() -> None:
        barrier.wait()
        rsvp(bot, event.id, MEMBERS[0])

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.deliver()

    assert sorted(r.user_id for r in stored_rsvps(bot)) == sorted(MEMBERS[:2])
    assert context_of(announcement_now(bot)).startswith("*2 people going*")
    replies = bot.ephemerals(MEMBERS[0])
    assert len(replies) == 2 and all(reply.startswith("You're going") for reply in replies)
    assert [e.action for e in bot.audit()].count("rsvp") == 2


def test_rsvp_within_the_reminder_window_promises_no_reminder(bot: Bot, clock: FrozenClock) -> None:
    """Someone who RSVPs 3 hours before the start is not promised a reminder."""
    event = announced(bot)
    clock.now = STARTS - timedelta(hours=3)

    rsvp(bot, event.id, MEMBERS[0])

    [reply] = bot.ephemerals(MEMBERS[0])
    assert reply.startswith("You're going")
    assert "reminder" not in reply


def test_rsvp_is_refused_once_the_event_has_ended(bot: Bot, clock: FrozenClock) -> None:
    """After the end, a click changes nothing and says why."""
    event = announced(bot)
    clock.now = STARTS + timedelta(hours=2)

    rsvp(bot, event.id, MEMBERS[0])

    assert bot.ephemerals(MEMBERS[0]) == ["This event has already ended."]
    assert stored_rsvps(bot) == []


def test_rsvp_to_an_event_not_yet_approved_is_refused(bot: Bot) -> None:
    """A crafted click on a pending event's id is refused; nothing is saved or posted."""
    announce(bot)
    [event] = stored_events(bot)

    rsvp(bot, event.id, MEMBERS[0])
    bot.deliver()

    assert bot.ephemerals(MEMBERS[0]) == ["This event is not open for RSVPs."]
    assert stored_rsvps(bot) == []
    assert announcement_updates(bot) == []
