"""The site's HTTP behaviour: security headers, validators and 304s, feeds, the off switch."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest

from bot.app import build_runtime
from bot.web import WebApp
from core.config import Settings
from demokit.fake_slack import FakeSlack
from demokit.local_server import LocalServer
from tests.conftest import PRACTICES_CHANNEL, make_settings
from tests.handlers.library.conftest import PUBLIC_URL
from tests.handlers.search.conftest import publish_event, publish_practice
from tests.harness import Bot, FrozenClock

ATOM = "{http://www.w3.org/2005/Atom}"
SUMMARY = "What the school learned along the way."


def test_every_answer_carries_the_security_headers(web: httpx.Client, bot: Bot) -> None:
    """A strict CSP with no inline script, nosniff, a referrer policy, no framing: on 404s too."""
    practice_id = publish_practice(bot, "Family nights", SUMMARY)
    paths = ["/", f"/practices/{practice_id}", "/practices/999", "/events"]
    paths += ["/feeds/practices.atom", "/static/site.css", "/static/nope.js", "/feeds/x.atom"]

    for path in paths:
        headers = web.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "script-src" not in csp, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin", path


def test_a_current_copy_gets_304_and_a_new_approval_changes_the_page(
    web: httpx.Client, bot: Bot
) -> None:
    """ETag and Last-Modified validate; after another approval the old ETag no longer matches."""
    publish_practice(bot, "Family nights", SUMMARY)
    first = web.get("/")
    etag, modified = first.headers["etag"], first.headers["last-modified"]

    same = web.get("/", headers={"If-None-Match": etag})
    by_date = web.get("/", headers={"If-Modified-Since": modified})
    bot.clock.advance(minutes=1)
    publish_practice(bot, "Attendance circles", SUMMARY)
    changed = web.get("/", headers={"If-None-Match": etag})

    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    assert by_date.status_code == 304
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "Attendance circles" in changed.text


def test_head_answers_headers_without_a_body(web: httpx.Client, bot: Bot) -> None:
    """HEAD gives the same status and length as GET, and no bytes."""
    response = web.head("/")

    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) == len(web.get("/").content)


def test_other_methods_are_not_allowed(web: httpx.Client) -> None:
    """The site is read-only: POST to a page is 405 with Allow."""
    response = web.post("/", content=b"x")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_atom_feeds_for_all_practices_each_pillar_and_each_region(
    web: httpx.Client, bot: Bot
) -> None:
    """Absolute links from CCSN_PUBLIC_URL; pillar and region feeds hold only their practices."""
    bay = publish_practice(bot, "Bay practice", SUMMARY, county="Alameda", pillars=["supports"])
    publish_practice(bot, "Valley practice", SUMMARY, county="Fresno", pillars=["engagement"])

    def entries(path: str) -> list[tuple[str, str]]:
        response = web.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
        root = ET.fromstring(response.content)
        return [
            (str(e.findtext(f"{ATOM}title")), str(e.find(f"{ATOM}link").get("href")))  # type: ignore[union-attr]
            for e in root.findall(f"{ATOM}entry")
        ]

    assert [title for title, _ in entries("/feeds/practices.atom")] == [
        "Valley practice",
        "Bay practice",
    ]
    assert entries("/feeds/regions/bay-area.atom") == [
        ("Bay practice", f"{PUBLIC_URL}/practices/{bay}")
    ]
    assert [t for t, _ in entries("/feeds/pillars/engagement.atom")] == ["Valley practice"]
    assert web.get("/feeds/regions/atlantis.atom").status_code == 404
    page = web.get("/", params={"region": "Bay Area"}).text
    assert 'type="application/atom+xml" title="CCSN practices" href="/feeds/practices.atom"' in page
    assert 'href="/feeds/regions/bay-area.atom"' in page


def test_published_post_has_a_view_on_the_web_button(bot: Bot, slack: FakeSlack) -> None:
    """With CCSN_PUBLIC_URL set, the practices channel post links to the practice's page."""
    practice_id = publish_practice(bot, "Family nights", SUMMARY)

    (post,) = slack.posts(PRACTICES_CHANNEL)
    buttons = [
        element
        for block in post["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert [(b["text"]["text"], b["url"]) for b in buttons] == [
        ("View on the web", f"{PUBLIC_URL}/practices/{practice_id}")
    ]


@pytest.fixture
def switched_off(slack: FakeSlack, schema: str, clock: FrozenClock) -> Iterator[httpx.Client]:
    settings: Settings = make_settings(slack, schema, ccsn_public_pages=False)
    runtime = build_runtime(settings, clock=clock)
    with (
        LocalServer(WebApp(runtime.app, runtime.engine, runtime.deps)) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        yield client
    runtime.close()


def test_public_pages_can_be_switched_off(switched_off: httpx.Client) -> None:
    """CCSN_PUBLIC_PAGES=false: the site's paths are 404; the calendar is still served."""
    assert switched_off.get("/").status_code == 404
    assert switched_off.get("/feeds/practices.atom").status_code == 404
    assert switched_off.get("/calendar.ics").status_code == 200


def test_events_page_is_cacheable_and_lists_what_the_calendar_does(
    web: httpx.Client, bot: Bot
) -> None:
    """The events page validates like the others and shows the approved event."""
    publish_event(bot, "Coordinator meetup", "Coordinators meet to share notes.")

    response = web.get("/events")

    assert response.status_code == 200 and "Coordinator meetup" in response.text
    assert (
        web.get("/events", headers={"If-None-Match": response.headers["etag"]}).status_code == 304
    )
