"""The public library over real HTTP: only approved content, filters, search, paging, 404s."""

from __future__ import annotations

import re

import httpx
import pytest

from storage.models import PracticeStatus
from tests.conftest import COORDINATORS, MEMBER
from tests.handlers.library.conftest import add_approved
from tests.handlers.search.conftest import publish_event, publish_practice
from tests.harness import Bot

COORD = COORDINATORS[0]


def titles(response: httpx.Response) -> list[str]:
    """The practice titles listed on a library page, in order."""
    return re.findall(r'<h3><a href="/practices/\d+">(.*?)</a></h3>', response.text)


def reject(bot: Bot, practice_id: int) -> None:
    """A coordinator's rejection, as the review service stores it."""
    with bot.runtime.deps.uow() as uow:
        uow.practices.transition(
            practice_id,
            expected=PracticeStatus.PENDING,
            revision=1,
            to=PracticeStatus.REJECTED,
            actor_id=COORD,
            at=bot.clock.now,
            reason="Not a practice.",
        )
        uow.commit()


def test_library_lists_only_approved_practices_newest_first(web: httpx.Client, bot: Bot) -> None:
    """Approved practices appear newest first; pending and rejected ones never do."""
    publish_practice(bot, "Attendance circles", "Weekly attendance huddles.")
    bot.clock.advance(minutes=5)
    publish_practice(bot, "Family resource nights", "Monthly evenings for families.")
    bot.share(MEMBER, view_id="VPENDING1", title="Still waiting for review")
    bot.share(MEMBER, view_id="VREJECT01", title="Turned down")
    reject(bot, bot.practices()[-1].id)

    response = web.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert titles(response) == ["Family resource nights", "Attendance circles"]
    assert "2 practices" in response.text


def test_non_public_and_unknown_ids_answer_the_same_404(web: httpx.Client, bot: Bot) -> None:
    """Pending, rejected and never-existing ids (even past PostgreSQL's integer) look alike."""
    published = publish_practice(bot, "Published", "Out in the open — what the school learned.")
    bot.share(MEMBER, view_id="VPENDING2", title="Pending one")
    pending = bot.practices()[-1].id
    bot.share(MEMBER, view_id="VREJECT02", title="Rejected one")
    rejected = bot.practices()[-1].id
    reject(bot, rejected)

    answers = [
        web.get(f"/practices/{practice_id}")
        for practice_id in (
            pending,
            rejected,
            999_999,
            2**31,
            10**18,
            "0",
            "abc",
            "-1",
            f"{published}x",
        )
    ]

    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert web.get(f"/practices/{published}").status_code == 200


def test_practice_page_shows_what_the_public_may_see(web: httpx.Client, bot: Bot) -> None:
    """Title, summary, organisation, county and region, pillars, funding, link, approval date."""
    practice_id = publish_practice(
        bot,
        "Family resource nights",
        "Monthly evenings for families.",
        county="Alameda",
        funding=["elop"],
    )

    page = web.get(f"/practices/{practice_id}").text

    for text in (
        "<h1>Family resource nights</h1>",
        "Monthly evenings for families.",
        "Roosevelt High School",
        "Alameda",
        "Bay Area",
        "Active family &amp; community engagement",
        "ELO-P (Expanded Learning Opportunities Program)",
        'href="https://example.org/family-nights"',
        "Approved November 30, 2026",
    ):
        assert text in page
    assert MEMBER not in page  # never a Slack user ID


def test_filters_narrow_the_list_and_count_each_value(web: httpx.Client, bot: Bot) -> None:
    """A region filter lists only its practices; each option shows how many it would give."""
    publish_practice(
        bot, "Bay one", "Alpha — what the school learned.", county="Alameda", pillars=["supports"]
    )
    publish_practice(
        bot, "Bay two", "Beta — what the school learned.", county="Marin", pillars=["engagement"]
    )
    publish_practice(
        bot, "Valley one", "Gamma — what the school learned.", county="Fresno", pillars=["supports"]
    )

    response = web.get("/", params={"region": "Bay Area"})
    by_pillar = web.get("/", params={"pillar": "supports", "county": "Fresno"})

    assert sorted(titles(response)) == ["Bay one", "Bay two"]
    assert '<option value="Bay Area" selected>Bay Area (2)</option>' in response.text
    assert '<option value="Central Valley">Central Valley (1)</option>' in response.text
    assert "Integrated student supports (1)" in response.text  # within the Bay Area
    assert titles(by_pillar) == ["Valley one"]


def test_search_box_finds_practices_through_the_full_text_index(
    web: httpx.Client, bot: Bot
) -> None:
    """Words are matched as `/ccsn search` matches them (prefixes, any field), with filters."""
    publish_practice(bot, "Peer tutoring", "Older students tutor younger ones.", county="Fresno")
    publish_practice(bot, "Food pantry", "A pantry open after school.", county="Alameda")
    publish_practice(bot, "Tutor training", "Training volunteer tutors.", county="Alameda")

    found = web.get("/", params={"q": "tutor"})
    narrowed = web.get("/", params={"q": "tutor", "region": "Bay Area"})

    assert sorted(titles(found)) == ["Peer tutoring", "Tutor training"]
    assert "2 practices matching “tutor”" in found.text
    assert titles(narrowed) == ["Tutor training"]
    assert "Bay Area (1)" in narrowed.text and "Central Valley (1)" in narrowed.text


def test_twenty_a_page_with_a_pager(web: httpx.Client, bot: Bot) -> None:
    """45 practices make three pages: 20, 20 and 5, linked by Previous and Next."""
    add_approved(bot, 45)

    first, last = web.get("/"), web.get("/", params={"page": "3"})

    assert len(titles(first)) == 20 and titles(first)[0] == "Paged practice 044"
    assert len(titles(last)) == 5 and titles(last)[-1] == "Paged practice 000"
    assert 'href="/?page=2"' in first.text and "Page 1 of 3" in first.text
    assert 'rel="prev" href="/?page=2"' in last.text


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("page=abc", "That page number is not valid; showing the first page."),
        ("page=-3", "That page number is not valid; showing the first page."),
        ("page=0", "That page number is not valid; showing the first page."),
        ("page=99999999999999999999", "That page number is not valid"),
        ("page=7", "There is no such page; showing the first page."),
        ("region=Atlantis", "That region is not one we know; showing every region."),
        ("pillar=%00%ff", "That pillar is not one we know"),
        ("county=Fresno&county=Marin&funding=nope", "That funding stream is not one we know"),
    ],
)
def test_a_bad_query_gives_the_first_page_with_a_notice(
    web: httpx.Client, bot: Bot, query: str, notice: str
) -> None:
    """Bad page numbers and unknown filters never fail: the first page, and a notice."""
    add_approved(bot, 25)

    response = web.get("/?" + query)

    assert response.status_code == 200
    assert notice in response.text
    assert "Page 1 of" in response.text or "practices" in response.text


def test_hostile_titles_render_as_text_and_bad_links_are_not_links(
    web: httpx.Client, bot: Bot
) -> None:
    """`<script>`, attribute breakouts and `javascript:` links never become markup."""
    scripted = publish_practice(
        bot, "<script>alert(1)</script>", "Plain — what the school learned."
    )
    breakout = publish_practice(
        bot, '"><img src=x onerror=alert(1)>', "Plain too — what the school learned."
    )
    (linked,) = add_approved(bot, 1, title="Bad link", link="javascript:alert(document.cookie)")

    pages = [
        web.get(path).text for path in ("/", f"/practices/{scripted}", f"/practices/{breakout}")
    ]
    link_page = web.get(f"/practices/{linked}").text

    for page in pages:
        assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in pages[2]
    assert "javascript:" not in link_page


def test_events_page_lists_upcoming_approved_events_in_network_time(
    web: httpx.Client, bot: Bot
) -> None:
    """Times in the network's zone, the .ics per event and the calendar subscription link."""
    event_id = publish_event(bot, "Regional convening", "A day of learning together.")

    page = web.get("/events").text

    assert "<h2>Regional convening</h2>" in page
    assert "(America/Los_Angeles)" in page
    assert f'href="/events/{event_id}.ics"' in page
    assert 'href="/calendar.ics"' in page
    assert re.search(r"\d{1,2}:\d{2} (AM|PM)", page)


def test_an_approval_in_the_same_instant_still_updates_the_counts(
    web: httpx.Client, bot: Bot
) -> None:
    """Counts are cached per library version; two approvals stamped alike still differ."""
    publish_practice(bot, "First practice", "Monthly evenings for families.")
    assert "1 practice<" in web.get("/").text

    publish_practice(bot, "Second practice", "Monthly evenings for families.")

    page = web.get("/").text
    assert "2 practices" in page
    assert "Active family &amp; community engagement (2)" in page
