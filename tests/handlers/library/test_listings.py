"""The TA directory (`/ta`) and the policy tracker (`/policy`) over real HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from handlers import ta_offerings
from storage.models import PolicyStatus
from tests.conftest import MEMBER
from tests.handlers.policy.helpers import COORD, published, share, stored, update_status
from tests.handlers.ta.conftest import TA_CHANNEL
from tests.handlers.ta_offerings.support import PROVIDER, listed, manage, offer
from tests.harness import Bot


def headings(response: httpx.Response) -> list[str]:
    """The `<h3>` of each listed offering or update, in order, labels stripped."""
    found = re.findall(r"<h3>(.*?)</h3>", response.text)
    return [re.sub(r" ?<span class=\"label\">.*?</span>", "", h) for h in found]


# -- the TA directory -----------------------------------------------------------------------


def test_ta_directory_lists_approved_offerings_with_all_they_offer(
    web: httpx.Client, bot: Bot
) -> None:
    """Organisation, description, topics, regions, formats, cost, languages, contact link."""
    listed(bot, contact_link="mailto:ta@fcoe.example.org")

    response = web.get("/ta")

    assert response.status_code == 200
    assert headings(response) == ["Fresno County Office of Education"]
    for text in (
        "Coaching for site teams aligning their LCAP with community school plans.",
        "Aligning the LCAP with community schools",
        "Central Valley",
        "A workshop or training, A coaching series",
        "<dt>Cost</dt><dd>Free</dd>",
        "English, Spanish",
        'href="mailto:ta@fcoe.example.org"',
        "1 offering<",
    ):
        assert text in response.text
    assert PROVIDER not in response.text  # never a Slack user ID


def test_ta_directory_never_shows_pending_or_retired_offerings(web: httpx.Client, bot: Bot) -> None:
    """Pending (not yet reviewed) and retired offerings are not listed; approved ones are."""
    listed(bot, organisation="Still offering it")
    retired = listed(bot, organisation="Retired provider")
    manage(bot, PROVIDER, "retire", retired, TA_CHANNEL)
    bot.deliver()
    offer(bot, PROVIDER, organisation="Waiting for review")
    bot.deliver()

    assert headings(web.get("/ta")) == ["Still offering it"]


def test_ta_filters_narrow_by_topic_region_format_cost_and_words(
    web: httpx.Client, bot: Bot
) -> None:
    """Each filter keeps what `/ccsn find-ta` would; statewide serves every region."""
    listed(bot, organisation="Valley coaching", topics=["lcap"], regions=["Central Valley"])
    listed(
        bot,
        organisation="Statewide family help",
        description="Workshops on family engagement in home languages.",
        topics=["family_engagement"],
        regions=["statewide"],
        formats=["workshop"],
        cost="fee",
    )
    listed(
        bot,
        organisation="Bay data",
        topics=["data"],
        regions=["Bay Area"],
        formats=["call"],
        cost="grant",
    )

    def shown(**params: str) -> list[str]:
        return sorted(headings(web.get("/ta", params=params)))

    assert shown(topic="lcap") == ["Valley coaching"]
    assert shown(region="Bay Area") == ["Bay data", "Statewide family help"]
    assert shown(format="workshop") == ["Statewide family help", "Valley coaching"]
    assert shown(cost="grant") == ["Bay data"]
    assert shown(cost="free", region="Central Valley") == ["Valley coaching"]
    assert shown(q="languages") == ["Statewide family help"]
    page = web.get("/ta", params={"region": "Bay Area"}).text
    assert '<option value="Bay Area" selected>Bay Area</option>' in page


def test_an_unconfirmed_offering_is_labelled(web: httpx.Client, bot: Bot) -> None:
    """A year's question unanswered for 30 days: still listed, labelled unconfirmed."""
    listed(bot)
    bot.clock.advance(days=365)
    ta_offerings.upkeep(bot.runtime.deps)
    bot.clock.advance(days=30)
    ta_offerings.upkeep(bot.runtime.deps)

    page = web.get("/ta").text

    assert '<span class="label">Unconfirmed</span>' in page


def test_ta_directory_pages_twenty_at_a_time(web: httpx.Client, bot: Bot) -> None:
    """21 offerings: 20 on the first page, one on the second, linked by Next."""
    for n in range(21):
        listed(bot, organisation=f"Provider {n:02d}")
        bot.clock.advance(minutes=1)

    first, second = web.get("/ta"), web.get("/ta", params={"page": "2"})

    assert len(headings(first)) == 20 and headings(first)[0] == "Provider 20"
    assert headings(second) == ["Provider 00"]
    assert 'rel="next" href="/ta?page=2"' in first.text


@pytest.mark.parametrize(
    ("path", "notice"),
    [
        ("/ta?topic=astrology", "That topic is not one we know; showing every topic."),
        ("/ta?cost=%00%ff", "That cost is not one we know"),
        ("/ta?page=abc", "That page number is not valid; showing the first page."),
        ("/ta?page=9", "There is no such page; showing the first page."),
        ("/policy?kind=treaty", "That kind is not one we know; showing every kind."),
        ("/policy?status=%3Cscript%3E", "That status is not one we know"),
        ("/policy?page=0", "That page number is not valid"),
    ],
)
def test_a_bad_filter_gives_the_unfiltered_first_page_with_a_notice(
    web: httpx.Client, bot: Bot, path: str, notice: str
) -> None:
    """Unknown filter values and bad pages never fail: everything, first page, a notice."""
    listed(bot)
    published(bot)

    response = web.get(path)

    assert response.status_code == 200
    assert notice in response.text
    assert len(headings(response)) == 1
    assert "<script" not in response.text


def test_hostile_offering_text_is_text_and_a_bad_contact_is_not_a_link(
    web: httpx.Client, bot: Bot
) -> None:
    """`<script>` and attribute breakouts are escaped; a `javascript:` contact is plain text."""
    offering_id = listed(bot, organisation="<script>alert(1)</script>")
    listed(bot, organisation='"><img src=x onerror=alert(1)>')
    with bot.runtime.deps.uow() as uow:  # the form refuses it; an old row might not have
        uow.ta_offerings.edit_published(
            offering_id,
            sequence=0,
            changes={"contact_link": "javascript:alert(document.cookie)"},
            at=bot.clock.now,
        )
        uow.commit()

    page = web.get("/ta").text

    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page
    assert "<dd>javascript:alert(document.cookie)</dd>" in page


# -- the policy and funding tracker -------------------------------------------------------


def test_policy_page_shows_published_updates_with_their_details(
    web: httpx.Client, bot: Bot
) -> None:
    """Kind, identifier, jurisdiction, status, key dates, source, summary, how to act, tags."""
    published(bot)

    response = web.get("/policy")

    assert response.status_code == 200
    for text in (
        "<h3>Community schools coordinators in every high-need school</h3>",
        "Bill · AB 2117 · State of California",
        "In committee",
        'Hearing: <time datetime="2026-12-10">Thu, Dec 10, 2026</time>',
        "(America/Los_Angeles)",
        'href="https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=AB2117"',
        "Funds a full-time community schools coordinator at every CCSPP school.",
        "Write to the Assembly Education Committee before the hearing.",
        "<dt>Pillars</dt>",
        "<dt>Funding streams</dt>",
        'href="/deadlines.ics"',
    ):
        assert text in response.text
    assert MEMBER not in response.text and COORD not in response.text


def test_policy_page_shows_the_status_history_without_who_changed_it(
    web: httpx.Client, bot: Bot
) -> None:
    """Each status change, dated in network time; never the Slack ID of who made it."""
    update = published(bot)
    bot.clock.advance(days=2)
    update_status(bot, MEMBER, update.id, "passed_one_house", "Passed the Assembly")
    bot.deliver()

    page = web.get("/policy").text

    assert "Status history" in page
    assert 'Passed the Assembly, <time datetime="2026-12-02">December 2, 2026</time>' in page
    assert MEMBER not in page


def test_policy_page_lists_only_published_updates_open_deadlines_first(
    web: httpx.Client, bot: Bot
) -> None:
    """Soonest open deadline first, undated ones after; pending and rejected never appear."""
    published(bot, title="Later hearing", key_dates=[("Hearing", "2026-12-20")])
    published(bot, title="Sooner hearing", key_dates=[("Vote", "2026-12-05")])
    published(bot, title="Nothing dated", key_dates=[])
    share(bot, view_id="VPENDINGPOL", title="Still waiting for review")
    share(bot, view_id="VREJECTPOL", title="Turned down")
    with bot.runtime.deps.uow() as uow:
        uow.policy_updates.transition(
            stored(bot)[-1].id,
            expected=PolicyStatus.PENDING,
            revision=1,
            to=PolicyStatus.REJECTED,
            actor_id=COORD,
            at=bot.clock.now,
            reason="Out of scope.",
        )
        uow.commit()

    assert headings(web.get("/policy")) == ["Sooner hearing", "Later hearing", "Nothing dated"]


def test_policy_filters_narrow_by_kind_status_pillar_funding_and_words(
    web: httpx.Client, bot: Bot
) -> None:
    """The same filters as `/ccsn policy`, one value each, plus words through the index."""
    published(bot, title="A bill", pillars=["leadership"], funding=["ccspp"])
    published(
        bot,
        title="A grant",
        kind="funding",
        stage="open",
        identifier=None,
        pillars=["supports"],
        funding=["elop"],
        summary="Grants for after-school programmes in rural districts.",
    )

    def shown(**params: str) -> list[str]:
        return headings(web.get("/policy", params=params))

    assert shown(kind="funding") == ["A grant"]
    assert shown(status="in_committee") == ["A bill"]
    assert shown(pillar="leadership") == ["A bill"]
    assert shown(funding="elop") == ["A grant"]
    assert shown(q="rural") == ["A grant"]


def test_hostile_policy_text_is_text_and_a_non_https_source_is_not_a_link(
    web: httpx.Client, bot: Bot
) -> None:
    """Titles and summaries are escaped; a source that is not https is shown as text."""
    update = published(bot, title='"><img src=x onerror=alert(1)>', act="<script>x</script>")
    with bot.runtime.deps.uow() as uow:  # the form refuses it; an old row might not have
        stored_update = uow.policy_updates.get(update.id)
        assert stored_update is not None
        stored_update.source_link = "javascript:alert(1)"
        uow.commit()

    page = web.get("/policy").text

    assert "<img" not in page and "<script" not in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page
    assert "<dd>javascript:alert(1)</dd>" in page


# -- both -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/ta", "/policy"])
def test_listings_answer_304_with_security_headers(web: httpx.Client, bot: Bot, path: str) -> None:
    """ETag and Last-Modified validate; the CSP and friends are on every answer."""
    listed(bot)
    published(bot)
    first = web.get(path)

    again = web.get(path, headers={"If-None-Match": first.headers["etag"]})
    by_date = web.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})

    assert first.status_code == 200
    assert again.status_code == 304 and again.content == b""
    assert by_date.status_code == 304
    for answer in (first, again):
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_every_page_links_the_directory_and_the_tracker(web: httpx.Client, bot: Bot) -> None:
    """The site's navigation names both new pages."""
    for path in ("/", "/events", "/ta", "/policy"):
        page = web.get(path).text
        assert '<a href="/ta">TA directory</a>' in page, path
        assert '<a href="/policy">Policy &amp; funding</a>' in page, path
