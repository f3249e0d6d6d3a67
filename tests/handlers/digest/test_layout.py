"""The digest's layout: Slack's limits, threads for busy weeks, every item listed or counted."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from core.vocabulary import EVENT_TYPES, PILLARS, REGIONS, TA_TOPICS
from handlers.digest.layout import DigestIntro, Limits, layout, render
from handlers.digest.sections import (
    EventEntry,
    HelpEntry,
    PracticeEntry,
    can_you_help,
    coming_up,
    new_practices,
)
from storage.outbox_links import LINK_URL_MAX, Links, LinkSpot, fill, spot_keys

PACIFIC = ZoneInfo("America/Los_Angeles")
INTRO = DigestIntro(
    title="CCSN weekly digest · Nov 30, 2026", tally="This week: lots", fallback="CCSN digest"
)
MORE = re.compile(r"…and (\d+) more (new practices|requests for help|events) ")
LINKS = Links()  # the links of every digest built here
SECTION_TITLES = ("New practices", "Can you help?", "Coming up")


def practices(count: int, title: str = "Family resource nights & more") -> list[PracticeEntry]:
    pillars = list(PILLARS)
    counties = [c for counties in REGIONS.values() for c in counties]
    return [
        PracticeEntry(
            title=f"P{n:03d} {title}",
            organisation="Roosevelt High School & Partners " * 4,
            county=counties[n % len(counties)],
            pillars=[pillars[n % 4], pillars[(n + 1) % 4]],
            post_key=f"practice:{n}:published",
        )
        for n in range(count)
    ]


def requests(count: int) -> list[HelpEntry]:
    topics = list(TA_TOPICS)
    return [
        HelpEntry(
            topic=topics[n % len(topics)],
            region=list(REGIONS)[n % 8],
            needed_by=date(2026, 12, 1) + timedelta(days=n % 30),
            post_key=f"ta:{n}:posted",
        )
        for n in range(count)
    ]


def events(count: int) -> list[EventEntry]:
    start = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    return [
        EventEntry(
            title=f"E{n:03d} Coordinator network meeting <!here>",
            starts_at=start + timedelta(hours=5 * n),
            event_type=list(EVENT_TYPES)[n % 10],
            region=list(REGIONS)[n % 8],
            post_key=f"event:{n}:published",
        )
        for n in range(count)
    ]


def week(p: int, h: int, e: int) -> list[Any]:
    return [
        new_practices(practices(p), where="in <#CPRACTICE1>", links=LINKS),
        can_you_help(requests(h), where="in <#CTA000001>", links=LINKS),
        coming_up(events(e), tz=PACIFIC, where="in <#CEVENTS01>", links=LINKS),
    ]


def placed(text: str) -> tuple[str, list[LinkSpot]]:
    """The text as the outbox row stores it, and where its links go."""
    payload, spots = LINKS.place({"text": text})
    return payload["text"], spots


def filled(text: str) -> str:
    """Text as Slack receives it once the outbox put the longest allowed link in each place."""
    payload, spots = LINKS.place({"text": text})
    longest = "h" * LINK_URL_MAX
    return str(fill(payload, spots, {key: longest for key in spot_keys(spots)})["text"])


def texts_of(block: dict[str, Any]) -> list[str]:
    if block["type"] in ("section", "header"):
        return [block["text"]["text"]]
    if block["type"] == "context":
        return [element["text"] for element in block["elements"]]
    return []


def assert_within_slack_limits(message: dict[str, Any]) -> None:
    assert message["text"].strip()
    assert len(message["blocks"]) <= 50
    total = 0
    for block in message["blocks"]:
        for text in texts_of(block):
            limit = 150 if block["type"] == "header" else 3000
            assert len(filled(text)) <= limit
            total += len(filled(text))
    assert total <= 12_000


def account(messages: list[dict[str, Any]]) -> dict[str, tuple[list[str], int]]:
    """Per section title: the item lines listed, and the count given as "and N more"."""
    found: dict[str, tuple[list[str], int]] = {}
    current = None
    for message in messages:
        for block in message["blocks"]:
            text = " ".join(texts_of(block))
            if block["type"] == "header":
                current = next((t for t in SECTION_TITLES if text.startswith(t)), current)
                continue
            if current is None:
                continue
            listed, more = found.get(current, ([], 0))
            listed.extend(line for line in text.split("\n") if line.startswith("• "))
            match = MORE.search(text)
            found[current] = (listed, more + (int(match.group(1)) if match else 0))
    return found


def test_a_busy_week_splits_into_a_thread_within_slack_limits() -> None:
    """300 practices, 100 TA requests and 60 events: parent plus replies, each within limits."""
    messages = layout(INTRO, week(300, 100, 60))

    assert 1 < len(messages) <= Limits().messages
    for message in messages:
        assert_within_slack_limits(message)
    assert "Continued in" in str(messages[0]["blocks"][-1])
    assert messages[1]["text"].startswith("CCSN weekly digest · Nov 30, 2026 (continued, part 2")


def test_every_item_of_a_busy_week_is_listed_or_counted() -> None:
    """Listed items plus each "and N more" add up to every item, and none is listed twice."""
    messages = layout(INTRO, week(300, 100, 60))

    totals = {"New practices": 300, "Can you help?": 100, "Coming up": 60}
    accounted = account(messages)
    assert set(accounted) == set(totals)
    for title, total in totals.items():
        listed, more = accounted[title]
        assert len(listed) + more == total, title
        assert len(set(listed)) == len(listed) or title == "Can you help?"
    practices_more = accounted["New practices"][1]
    assert practices_more > 0, "300 practices cannot all fit in five messages"
    assert "_…and" in str(messages) and "in <#CPRACTICE1>" in str(messages)


def test_a_busy_section_does_not_crowd_out_the_others() -> None:
    """With 300 practices, the TA requests and events still get listed, not just counted."""
    accounted = account(layout(INTRO, week(300, 100, 60)))

    assert len(accounted["Can you help?"][0]) >= 50
    assert len(accounted["Coming up"][0]) == 60
    assert len(accounted["New practices"][0]) >= len(accounted["Can you help?"][0])


def test_a_capped_section_keeps_every_pillar() -> None:
    """When only some practices fit, each pillar still has practices listed under it."""
    messages = layout(INTRO, week(300, 0, 0), Limits(messages=1))

    flat = str(messages)
    assert all(f"*{label.replace('&', '&amp;')}*" in flat for label in PILLARS.values())
    listed, more = account(messages)["New practices"]
    assert more > 0 and len(listed) + more == 300


def test_maximum_length_hostile_titles_still_fit() -> None:
    """150-character titles of `&` (750 once escaped) and mentions stay within every limit."""
    entries = practices(120, title="&" * 140 + "<!channel>")

    messages = layout(INTRO, [new_practices(entries, where="in <#CPRACTICE1>", links=LINKS)])

    for message in messages:
        assert_within_slack_limits(message)
        assert "<!channel>" not in str(message)
    listed, more = account(messages)["New practices"]
    assert len(listed) + more == 120


def test_an_ordinary_week_is_one_message_grouped_by_pillar() -> None:
    """A few items fit in one message: practices under their pillar, each linked to its post."""
    [message] = layout(INTRO, week(3, 2, 2))

    assert_within_slack_limits(message)
    headers = [b["text"]["text"] for b in message["blocks"] if b["type"] == "header"]
    assert headers == [INTRO.title, "New practices (3)", "Can you help? (2)", "Coming up (2)"]
    practices_text, spots = placed(message["blocks"][3]["text"]["text"])
    assert practices_text.startswith("*Integrated student supports*\n• *P000 Family")
    assert spots[0].key == "practice:0:published"
    assert practices_text[spots[0].start : spots[0].end].startswith("P000 Family")
    assert "Roosevelt High School &amp; Partners" in practices_text
    assert "County" in practices_text
    assert "…and" not in str(message)


def test_a_quiet_week_gets_a_short_friendly_message() -> None:
    """With nothing in any section there are no empty headings, just one short note."""
    [message] = layout(INTRO, week(0, 0, 0))

    assert message["text"] == "CCSN weekly digest · Nov 30, 2026: a quiet week"
    assert [b["type"] for b in message["blocks"]] == ["header", "section", "context"]
    assert "quiet week" in message["blocks"][1]["text"]["text"]
    assert "/share-practice" in message["blocks"][1]["text"]["text"]


def test_empty_sections_are_left_out() -> None:
    """A week with practices only shows no "Can you help?" or "Coming up" headings."""
    [message] = layout(INTRO, week(2, 0, 0))

    headers = [b["text"]["text"] for b in message["blocks"] if b["type"] == "header"]
    assert headers == [INTRO.title, "New practices (2)"]


def test_event_times_are_local_in_both_daylight_saving_states() -> None:
    """17:00 UTC is 9:00 AM PST in December and 10:00 AM PDT in October, by local day."""
    section = coming_up(
        [
            EventEntry("Winter webinar", datetime(2026, 12, 1, 17, 0, tzinfo=UTC), "webinar"),
            EventEntry("Autumn summit", datetime(2026, 10, 30, 17, 0, tzinfo=UTC), "convening"),
        ],
        tz=PACIFIC,
        where="in the events channel",
        links=LINKS,
    )

    [autumn, winter] = section.groups
    assert autumn.heading == "*Friday, October 30*"
    assert autumn.lines == ("• 10:00 AM PDT — *Autumn summit* · Summit / convening",)
    assert winter.heading == "*Tuesday, December 1*"
    assert winter.lines == ("• 9:00 AM PST — *Winter webinar* · Webinar / virtual session",)


def test_typed_link_tokens_cannot_pose_as_real_ones() -> None:
    """A title containing `{permalink:...}` is shown as typed; the only link is its post's."""
    [entry] = practices(1, title="{permalink:practice:9:published} {permalink}")
    section = new_practices([entry], where="", links=LINKS)

    line, spots = placed(section.groups[0].lines[0])
    assert "P000 {permalink:practice:9:published} {permalink}" in line
    assert [spot.key for spot in spots] == ["practice:0:published"]


def test_a_pillar_with_nothing_listed_gets_no_empty_heading() -> None:
    """Listing 2 of 8 practices over four pillars shows two headings, each with its practice."""
    section = new_practices(practices(8), where="in <#CPRACTICE1>", links=LINKS)

    [page] = render(INTRO, [section], [2], Limits())

    texts = [b["text"]["text"] for b in page if b["type"] == "section"]
    assert len(texts) == 2
    assert all(text.count("\n• ") == 1 for text in texts)
    assert "…and 6 more new practices in <#CPRACTICE1>" in str(page[-1])


def test_a_group_is_split_only_where_the_next_line_would_not_fit() -> None:
    """Each section of a long pillar is as full as 3,000 characters of filled links allow.

    The layout adds up the lines' lengths instead of measuring every text it tries, so this
    checks the sum against the filled text itself, both ways: under the limit, and full.
    """
    entries = [replace(entry, pillars=[next(iter(PILLARS))]) for entry in practices(60)]
    messages = layout(INTRO, [new_practices(entries, where="in <#CP1>", links=LINKS)])

    sections = [
        block["text"]["text"]
        for message in messages
        for block in message["blocks"]
        if block["type"] == "section"
    ]
    assert len(sections) > 2
    for text, following in pairwise(sections):
        next_line = following.split("\n")[0]
        assert len(filled(text)) <= 3000
        assert len(filled(f"{text}\n{next_line}")) > 3000
