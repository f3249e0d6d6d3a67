"""The calendar files over HTTP, parsed back with `icalendar`: right times, right events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import icalendar
import pytest

from bot.app import Runtime
from bot.web import WebApp
from demokit.local_server import LocalServer
from tests.conftest import MEMBER, FrozenClock
from tests.handlers.events.helpers import (
    ENDS,
    PACIFIC,
    STARTS,
    announce,
    announced,
    cancel_event,
    stored_events,
)
from tests.harness import Bot


@pytest.fixture
def http(runtime: Runtime) -> Iterator[httpx.Client]:
    with (
        LocalServer(WebApp(runtime.app, runtime.engine, runtime.deps)) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        yield client


def vevents(response: httpx.Response) -> list[icalendar.Event]:
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_one_event_parses_back_with_its_times_in_the_network_zone(
    bot: Bot, http: httpx.Client
) -> None:
    """DTSTART/DTEND carry TZID America/Los_Angeles and name the same instants as stored."""
    event = announced(bot, title="Budget hearing; CCSPP, year 3")

    response = http.get(f"/events/{event.id}.ics")

    [vevent] = vevents(response)
    start, end = vevent["DTSTART"], vevent["DTEND"]
    assert start.params["TZID"] == "America/Los_Angeles"
    assert (start.dt, end.dt) == (STARTS, ENDS)
    assert (start.dt.hour, start.dt.utcoffset()) == (10, timedelta(hours=-8))
    assert str(vevent["SUMMARY"]) == "Budget hearing; CCSPP, year 3"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["UID"]) == f"ccsn-event-{event.id}@ccsn-hub"
    assert str(vevent["URL"]) == "https://example.org/register"
    assert "Host: Learning Policy Institute" in str(vevent["DESCRIPTION"])
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Los_Angeles"]


def test_an_event_after_the_spring_change_is_in_daylight_time(
    bot: Bot, http: httpx.Client, clock: FrozenClock
) -> None:
    """10:00 on 8 March 2026 (clocks went forward at 02:00) is 17:00 UTC, offset -7."""
    clock.now = datetime(2026, 3, 1, tzinfo=UTC)
    starts = datetime(2026, 3, 8, 10, 0, tzinfo=PACIFIC)
    event = announced(bot, starts_at=starts)

    [vevent] = vevents(http.get(f"/events/{event.id}.ics"))

    assert vevent["DTSTART"].dt == datetime(2026, 3, 8, 17, 0, tzinfo=UTC)
    assert vevent["DTSTART"].dt.utcoffset() == timedelta(hours=-7)
    assert vevent["DTEND"].dt.astimezone(PACIFIC).hour == 11


def test_the_feed_has_only_upcoming_approved_events(
    bot: Bot, http: httpx.Client, clock: FrozenClock
) -> None:
    """Pending, cancelled and finished events are left out; the rest come soonest first."""
    announced(bot, title="Office hours today", starts_at=clock.now + timedelta(hours=1))
    announced(bot, title="Winter convening", starts_at=STARTS + timedelta(days=30))
    announced(bot, title="Next week's webinar", starts_at=STARTS)
    cancelled = announced(bot, title="Cancelled hearing", starts_at=STARTS + timedelta(days=2))
    cancel_event(bot, MEMBER, cancelled.id, view_id="VCANCEL02")
    announce(bot, title="Still under review", view_id="VPENDING1")
    clock.advance(hours=3)  # the office hours are over

    titles = [str(v["SUMMARY"]) for v in vevents(http.get("/calendar.ics"))]

    assert titles == ["Next week's webinar", "Winter convening"]


def test_a_cancelled_event_file_says_cancelled(bot: Bot, http: httpx.Client) -> None:
    """Someone who imported the event sees STATUS:CANCELLED with a higher SEQUENCE."""
    event = announced(bot)
    cancel_event(bot, MEMBER, event.id)

    [vevent] = vevents(http.get(f"/events/{event.id}.ics"))

    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 1


def test_events_not_announced_are_not_served(bot: Bot, http: httpx.Client) -> None:
    """A pending event and an unknown id are 404, so nothing leaks before review."""
    announce(bot)
    [pending] = stored_events(bot)

    assert http.get(f"/events/{pending.id}.ics").status_code == 404
    assert http.get("/events/999.ics").status_code == 404
    assert http.get("/events/abc.ics").status_code == 404


def test_head_gives_the_headers_without_the_body(bot: Bot, http: httpx.Client) -> None:
    """Calendar apps probing the feed with HEAD get its type and length only."""
    response = http.head("/calendar.ics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert int(response.headers["content-length"]) > 0
    assert response.content == b""


# Every control character a member could paste, and the Unicode line breaks: each is a line
# break or an illegal octet to some consumer of the feed (RFC 5545 allows none but HTAB in text).
FORGED = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
FORGED += "".join(chr(c) for c in range(0x80, 0xA0)) + "\u2028\u2029"


def test_control_characters_in_an_event_cannot_forge_calendar_lines(
    bot: Bot, http: httpx.Client
) -> None:
    """Control characters typed into every text field never reach the feed; each line is one."""
    forged = {
        "title": f"Town hall{FORGED}ATTACH:https://evil.example/x",
        "location": f"Room 4{FORGED}END:VEVENT",
        "host": f"District{FORGED}BEGIN:VALARM",
        "description": f"Agenda{FORGED}ORGANIZER:mailto:evil@example.org\n\tsecond line",
        # not whitespace, so the link check alone would let them through
        "virtual_link": "https://example.org/zoom/123\x01\x7f\x9b",
    }
    announced(bot, **forged)

    text = http.get("/calendar.ics").content.decode()

    lines = text.split("\r\n")
    assert text.splitlines() == lines[:-1]  # no consumer splits a line anywhere else
    assert not [c for c in text if c in FORGED]
    [vevent] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    # U+2028 and U+2029 became line breaks inside the value, escaped as `\n` like any other
    assert str(vevent["SUMMARY"]) == "Town hall\n\nATTACH:https://evil.example/x"
    assert str(vevent["LOCATION"]) == "Room 4\n\nEND:VEVENT"
    assert "ATTACH" not in vevent and "ORGANIZER" not in vevent and not vevent.subcomponents
    assert str(vevent["DESCRIPTION"]).startswith("Agenda\n\nORGANIZER:mailto:evil@example.org\n")
