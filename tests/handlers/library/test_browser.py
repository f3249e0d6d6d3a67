"""The library in a real browser: Debian's headless Chromium driven by Playwright, with axe-core.

Loads the library, filters it, searches it, opens a practice and the events page, then the TA
directory and the policy tracker, filtering each; checks every page with axe-core (no serious
or critical violations) and writes a screenshot of each to docs/screenshots/. Skips, saying
what to install, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from demokit.fake_slack import FakeSlack
from handlers.library.names import SlackDirectory, resolve_names
from tests.conftest import MEMBER
from tests.handlers.policy.helpers import published, update_status
from tests.handlers.search.conftest import publish_event, publish_practice
from tests.handlers.ta_offerings.support import listed
from tests.harness import Bot

try:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # reported by the skip below
    sync_playwright = None  # type: ignore[assignment]

CHROMIUM = os.environ.get("CCSN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"

if sync_playwright is None:
    pytestmark = pytest.mark.skip(
        reason="browser tests need Playwright: pip install -e '.[dev]' (never `playwright install`)"
    )
elif not Path(CHROMIUM).exists():
    pytestmark = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium"
    )


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def seed(bot: Bot, slack: FakeSlack) -> int:
    """A small library: three practices across regions and pillars, and one event."""
    slack.names[MEMBER] = "Maria Lopez"
    publish_practice(
        bot,
        "Family resource nights",
        "Monthly evenings where families meet the school's partners and sign up for services.",
        county="Fresno",
        pillars=["engagement"],
    )
    bot.clock.advance(minutes=5)
    publish_practice(
        bot,
        "Peer tutoring after school",
        "Older students tutor younger ones twice a week, paid from expanded learning funds.",
        county="Alameda",
        pillars=["learning_time", "supports"],
        funding=["elop"],
        organisation="Oakland Unified",
    )
    bot.clock.advance(minutes=5)
    practice_id = publish_practice(
        bot,
        "A wellness centre on campus",
        "A county behavioral health partnership staffs a drop-in wellness centre every day.",
        county="Los Angeles",
        pillars=["supports"],
        funding=["county_bh", "cybhi_fees"],
        organisation="Lincoln Elementary",
    )
    publish_event(bot, "Regional coordinator convening", "A day of peer learning for coordinators.")
    return practice_id


def check(page: Page, name: str) -> None:
    """No serious or critical axe-core violation; the stylesheet applied; a screenshot saved."""
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"
    font: Any = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "system-ui" in str(font), "the stylesheet did not load under the CSP"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_reader_browses_filters_searches_and_opens_a_practice(
    browser: Browser, web: httpx.Client, bot: Bot, slack: FakeSlack
) -> None:
    """The journey a policymaker takes, in Chromium, each page accessible and screenshotted."""
    practice_id = seed(bot, slack)
    resolve_names(bot.runtime.deps, SlackDirectory(bot.runtime.settings))
    base = str(web.base_url).rstrip("/")
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(base + "/")
    assert page.locator("h3").all_inner_texts() == [
        "A wellness centre on campus",
        "Peer tutoring after school",
        "Family resource nights",
    ]
    check(page, "library")

    page.get_by_label("Region").select_option("Bay Area")
    page.get_by_role("button", name="Show practices").click()
    page.wait_for_load_state()
    assert page.locator("h3").all_inner_texts() == ["Peer tutoring after school"]
    check(page, "library-filtered")

    page.goto(base + "/")
    page.get_by_label("Search the library").fill("wellness")
    page.get_by_label("Search the library").press("Enter")
    page.wait_for_load_state()
    assert page.locator("h3").all_inner_texts() == ["A wellness centre on campus"]
    check(page, "library-search")

    page.get_by_role("link", name="A wellness centre on campus").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/practices/{practice_id}"
    assert page.locator("h1").inner_text() == "A wellness centre on campus"
    assert "Shared by Maria Lopez" in page.locator("main").inner_text()
    check(page, "practice")

    page.get_by_role("link", name="Events").click()
    page.wait_for_load_state()
    assert "Regional coordinator convening" in page.locator("main").inner_text()
    check(page, "events")

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(base + "/")
    check(page, "library-phone")
    assert errors == []  # nothing refused by the CSP, no broken resource


def seed_listings(bot: Bot) -> None:
    """Three TA offerings (one statewide) and three tracked updates, one with a history."""
    listed(bot)
    listed(
        bot,
        organisation="Bay Area Community Schools Partnership",
        description="Workshops for family liaisons on outreach in home languages.",
        topics=["family_engagement"],
        regions=["Bay Area"],
        formats=["workshop"],
        cost="fee",
        contact_link="mailto:ta@bacsp.example.org",
    )
    listed(
        bot,
        organisation="Statewide Mental Health Collaborative",
        description="Readiness reviews for fee-schedule billing with county behavioral health.",
        topics=["mental_health"],
        regions=["statewide"],
        formats=["call", "written"],
        cost="grant",
    )
    bill = published(bot)
    published(
        bot,
        title="Expanded learning grants for rural districts",
        kind="funding",
        stage="open",
        identifier=None,
        key_dates=[("Applications due", "2026-12-18")],
        pillars=["learning_time"],
        funding=["elop"],
        summary="A competitive round for rural districts adding summer and after-school time.",
        act="Tell your district's expanded learning lead before applications close.",
    )
    published(
        bot,
        title="Guidance on community school coordinator roles",
        kind="guidance",
        stage="final",
        identifier=None,
        key_dates=[],
        pillars=["leadership"],
        funding=[],
        summary="The department's guidance on what a coordinator does and how sites staff it.",
        act=None,
    )
    bot.clock.advance(days=1)
    update_status(bot, MEMBER, bill.id, "passed_one_house", "Passed the Assembly")
    bot.deliver()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_reader_finds_ta_and_follows_policy_deadlines(
    browser: Browser, web: httpx.Client, bot: Bot
) -> None:
    """The TA directory and the tracker in Chromium: filtered, accessible, screenshotted."""
    seed_listings(bot)
    base = str(web.base_url).rstrip("/")
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(base + "/")
    page.get_by_role("link", name="TA directory").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/ta"
    assert len(page.locator("main h3").all_inner_texts()) == 3
    page.get_by_label("Region").select_option("Bay Area")
    page.get_by_role("button", name="Show offerings").click()
    page.wait_for_load_state()
    assert sorted(page.locator("main h3").all_inner_texts()) == [
        "Bay Area Community Schools Partnership",
        "Statewide Mental Health Collaborative",
    ]
    assert page.get_by_role("link", name="ta@bacsp.example.org").count() == 1
    check(page, "ta")

    page.get_by_role("link", name="Policy & funding").click()
    page.wait_for_load_state()
    assert page.locator("main h3").all_inner_texts() == [
        "Community schools coordinators in every high-need school",
        "Expanded learning grants for rural districts",
        "Guidance on community school coordinator roles",
    ]
    assert "Passed the Assembly" in page.locator("main").inner_text()
    check(page, "policy")

    page.get_by_label("Kind").select_option("funding")
    page.get_by_role("button", name="Show updates").click()
    page.wait_for_load_state()
    assert page.locator("main h3").all_inner_texts() == [
        "Expanded learning grants for rural districts"
    ]
    check(page, "policy-filtered")
    assert (
        page.get_by_role("link", name="Subscribe to every deadline").get_attribute("href")
        == "/deadlines.ics"
    )
    assert errors == []
