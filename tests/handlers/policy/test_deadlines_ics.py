"""`GET /deadlines.ics` over HTTP, parsed back with `icalendar`: all-day key dates ahead."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import icalendar
import pytest

from bot.app import Runtime
from bot.web import WebApp
from demokit.local_server import LocalServer
from tests.conftest import FrozenClock
from tests.handlers.policy.helpers import published, share
from tests.harness import Bot

HOSTILE = 'Budget; "trailer" bill\r\nATTENDEE:mailto:x@evil.example, <!channel>'


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


def test_every_upcoming_key_date_is_an_all_day_event(bot: Bot, http: httpx.Client) -> None:
    """Two dates of one approved update: VALUE=DATE starts, next-day ends, label and title."""
    update = published(bot, key_dates=[("Hearing", "2026-12-10"), ("Floor vote", "2027-01-15")])
    share(bot, title="Still pending review", view_id="VPENDING01")

    events = vevents(http.get("/deadlines.ics"))

    assert [str(e["SUMMARY"]) for e in events] == [
        "Hearing: Community schools coordinators in every high-need school",
        "Floor vote: Community schools coordinators in every high-need school",
    ]
    first = events[0]
    assert first["DTSTART"].params["VALUE"] == "DATE"
    assert (first["DTSTART"].dt, first["DTEND"].dt) == (date(2026, 12, 10), date(2026, 12, 11))
    assert str(first["UID"]) == f"ccsn-policy-{update.id}-1@ccsn-hub"
    assert str(first["URL"]).startswith("https://leginfo.legislature.ca.gov/")
    assert "How members can act: Write to the Assembly" in str(first["DESCRIPTION"])


def test_past_dates_drop_out(bot: Bot, http: httpx.Client, clock: FrozenClock) -> None:
    """After the hearing, only the floor vote is served; HEAD answers without a body."""
    published(bot, key_dates=[("Hearing", "2026-12-10"), ("Floor vote", "2027-01-15")])
    clock.advance(days=11)

    assert [str(e["SUMMARY"]).split(":")[0] for e in vevents(http.get("/deadlines.ics"))] == [
        "Floor vote"
    ]
    head = http.head("/deadlines.ics")
    assert head.status_code == 200 and head.content == b""


def test_hostile_text_cannot_add_a_property(bot: Bot, http: httpx.Client) -> None:
    """A title with CRLF, `;` and `,` stays one SUMMARY; no ATTENDEE appears."""
    published(bot, title=HOSTILE[:150])

    response = http.get("/deadlines.ics")
    [event] = vevents(response)
    assert "ATTENDEE" not in event
    assert str(event["SUMMARY"]).startswith('Hearing: Budget; "trailer" bill')
    assert b"\r\nATTENDEE" not in response.content
