"""`/ccsn search`: the best approved practices and events, filtered, only to whoever asked."""

from __future__ import annotations

from handlers.review import ids as review_ids
from storage.models import PracticeStatus
from tests.conftest import MEMBER, PRACTICES_CHANNEL
from tests.handlers.events.helpers import EVENTS_CHANNEL
from tests.handlers.search.conftest import (
    COORD,
    publish_event,
    publish_practice,
    result_titles,
    search,
)
from tests.harness import Bot

SUMMARY = "Weekly sessions where families meet the school's partners and sign up for services."


def test_title_matches_come_first_with_a_link_to_the_published_post(bot: Bot) -> None:
    """A word in a title outranks the same word in a summary; each result links to its post."""
    publish_practice(bot, "Attendance team", "Our team also runs mentoring for a few students.")
    publish_practice(bot, "Mentoring circles", "Ninth graders meet an adult mentor every week.")
    publish_practice(bot, "Food pantry", SUMMARY)

    answer = search(bot, "mentoring")

    assert answer.get("response_type", "ephemeral") == "ephemeral"
    assert result_titles(answer) == ["Mentoring circles", "Attendance team"]
    circles_post = bot.slack.posts(PRACTICES_CHANNEL)[1]
    link = f"https://ccsn-demo.slack.com/archives/{PRACTICES_CHANNEL}/p" + circles_post[
        "ts"
    ].replace(".", "")
    first = answer["blocks"][1]["text"]["text"]
    assert first.startswith(f"<{link}|Mentoring circles>")
    assert "Practice · Roosevelt High School · Fresno, Central Valley" in first


def test_every_word_must_match_and_prefixes_are_enough(bot: Bot) -> None:
    """`famil night` finds "Family nights"; adding a word found nowhere finds nothing."""
    publish_practice(bot, "Family nights", SUMMARY)
    publish_practice(bot, "Family food pantry", SUMMARY.replace("Weekly", "Monthly"))

    assert result_titles(search(bot, "famil night")) == ["Family nights"]
    nothing = search(bot, "family zebra")
    assert result_titles(nothing) == []
    assert "Nothing approved matches yet" in nothing["blocks"][0]["text"]["text"]


def test_a_word_the_index_drops_does_not_hide_the_results(bot: Bot) -> None:
    """`family _` and `family ²` find what `family` finds: such words are simply dropped."""
    publish_practice(bot, "Family nights", SUMMARY)

    for query in ["family _", "family ²", "² family __"]:
        assert result_titles(search(bot, query)) == ["Family nights"], query


def test_filters_narrow_by_county_region_pillar_and_funding(bot: Bot) -> None:
    """`county:`, `region:`, `pillar:` and `funding:` keep only matching results."""
    publish_practice(bot, "Parent cafe", SUMMARY, county="Alameda", pillars=["engagement"])
    bot.clock.advance(seconds=1)  # equal matches list newest first: publish them apart
    publish_practice(
        bot, "Parent academy", SUMMARY, pillars=["leadership"], funding=["elop", "ccspp"]
    )
    bot.clock.advance(seconds=1)
    publish_practice(bot, "Parent clinic", SUMMARY, pillars=["supports"], funding=["title1"])

    assert result_titles(search(bot, 'parent region:"Bay Area"')) == ["Parent cafe"]
    assert result_titles(search(bot, "parent county:fresno")) == [
        "Parent clinic",
        "Parent academy",
    ]
    assert result_titles(search(bot, "parent pillar:leadership")) == ["Parent academy"]
    assert result_titles(search(bot, "parent funding:ELO-P")) == ["Parent academy"]
    assert result_titles(search(bot, "pillar:supports funding:title1")) == ["Parent clinic"]


def test_unknown_filter_values_are_named_and_the_rest_still_searches(bot: Bot) -> None:
    """`county:Atlantis` is pointed out; the words still find what matches."""
    publish_practice(bot, "Restorative circles", SUMMARY)

    answer = search(bot, "restorative county:Atlantis")

    assert "I don't know the county “Atlantis”." in answer["blocks"][0]["text"]["text"]
    assert result_titles(answer) == ["Restorative circles"]


def test_approved_events_are_found_but_nothing_unapproved(bot: Bot) -> None:
    """An approved event is a result; pending and rejected practices never are."""
    publish_event(bot, "Coordinator network meeting", "Coordinators compare notes on budgets.")
    bot.share(MEMBER, view_id="VPENDING1", title="Coordinator budgets (pending)", summary=SUMMARY)
    bot.share(MEMBER, view_id="VREJECT01", title="Coordinator budgets (rejected)", summary=SUMMARY)
    rejected = bot.practices()[-1].id
    bot.deliver()
    bot.click_review(review_ids.REJECT_ACTION, COORD, kind="practice", item_id=rejected)
    bot.give_reason(COORD, "Not for the network.")
    assert bot.practices()[-1].status is PracticeStatus.REJECTED

    answer = search(bot, "coordinator")

    assert result_titles(answer) == ["Coordinator network meeting"]
    text = answer["blocks"][1]["text"]["text"]
    assert f"/archives/{EVENTS_CHANNEL}/p" in text
    assert "Event · Learning Policy Institute · Statewide" in text


def test_search_without_words_explains_how_to_search(bot: Bot) -> None:
    """`/ccsn search` alone answers with an example and the filters."""
    answer = search(bot, "")

    assert answer["text"].startswith("Tell me what to look for")


def test_what_the_member_typed_is_echoed_escaped(bot: Bot) -> None:
    """Typed mentions in a query come back escaped, so the answer pings nobody."""
    answer = search(bot, "<!channel> & <@U999>")

    echoed = answer["blocks"][0]["text"]["text"]
    assert "<!channel>" not in echoed
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt;" in echoed
