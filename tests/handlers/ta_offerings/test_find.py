"""Finding TA: `/ccsn find-ta`, `/ccsn search`, Request from them and routing to offerings."""

from __future__ import annotations

import json

from demokit import simulate
from handlers.ta import ids as ta_ids
from handlers.ta_offerings import ids
from tests.conftest import MEMBER
from tests.handlers.ta.support import NETWORK_PROVIDER, STRANGER, TA_CHANNEL, ta_values
from tests.handlers.ta.support import requests as ta_requests
from tests.handlers.ta_offerings.support import (
    COLLEAGUE,
    PROVIDER,
    find,
    listed,
    manage,
    organisations,
)
from tests.harness import Bot


def test_find_by_topic_and_region_lists_it_and_not_a_retired_one(bot: Bot) -> None:
    """A topic and region search finds the listed offering; a retired one is not listed."""
    listed(bot)
    retired = listed(bot, organisation="Kern County Office of Education")
    listed(bot, organisation="Bay Area Partners", regions=["Bay Area"])
    manage(bot, PROVIDER, "retire", retired, TA_CHANNEL)

    answer = find(bot, MEMBER, 'topic:lcap region:"Central Valley"')

    assert organisations(answer) == ["Fresno County Office of Education"]
    buttons = [
        e["action_id"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons == [ids.CONTACT_ACTION, ids.REQUEST_ACTION]


def test_statewide_offerings_serve_every_region_and_filters_narrow(bot: Bot) -> None:
    """Statewide counts for any region; `format:` and `cost:free` narrow the list."""
    listed(bot, organisation="Statewide Coaching", regions=["statewide"], cost="fee")
    listed(bot, organisation="Bay Workshops", regions=["Bay Area"], formats=["workshop"])

    assert set(organisations(find(bot, MEMBER, 'region:"Bay Area"'))) == {
        "Statewide Coaching",
        "Bay Workshops",
    }
    assert organisations(find(bot, MEMBER, 'region:"Bay Area" cost:free')) == ["Bay Workshops"]
    assert organisations(find(bot, MEMBER, "format:coaching")) == ["Statewide Coaching"]


def test_words_rank_through_the_full_text_index(bot: Bot) -> None:
    """Words find offerings by their description, best first; unknown filters are named."""
    listed(bot, organisation="Asset Mappers", description="Asset mapping walks with families.")
    listed(bot)

    answer = find(bot, MEMBER, "asset mapping topic:nonsense")

    assert organisations(answer) == ["Asset Mappers"]
    assert "I don't know the topic" in answer["blocks"][0]["text"]["text"]


def test_ccsn_search_finds_offerings_too(bot: Bot) -> None:
    """The shared full-text index covers offerings: `/ccsn search` lists them as TA offerings."""
    listed(bot)

    response = bot.send(simulate.slash_command("/ccsn", MEMBER, "search LCAP coaching"))

    [result] = json.loads(response.body)["blocks"][1:]
    assert "TA offering · Fresno County Office of Education" in result["text"]["text"]


def test_request_from_them_opens_the_request_form_prefilled(bot: Bot) -> None:
    """Request from them opens the TA request form with the offering's topic and region first."""
    offering_id = listed(bot)

    bot.click(ids.REQUEST_ACTION, f"{offering_id}|sustainability", MEMBER, "CGENERAL1")

    [form] = bot.opened_views()
    assert form["callback_id"] == ta_ids.REQUEST_MODAL
    assert json.loads(form["private_metadata"]) == {"offering_id": offering_id}
    topic = next(b for b in form["blocks"] if b.get("block_id") == ta_ids.TOPIC_BLOCK)
    assert topic["element"]["initial_option"]["value"] == "sustainability"
    county = next(b for b in form["blocks"] if b.get("block_id") == ta_ids.COUNTY_BLOCK)
    assert county["element"]["option_groups"][0]["label"]["text"] == "Central Valley"


def test_the_request_reaches_the_offerings_contacts_first_who_may_claim_it(bot: Bot) -> None:
    """The posted request mentions that offering's contacts first; they may claim it."""
    offering_id = listed(bot, contacts=[COLLEAGUE])
    values = ta_values(topic="lcap", county="Fresno")

    bot.submit(ta_ids.REQUEST_MODAL, MEMBER, values, {"offering_id": offering_id}, "VREQ0001")
    bot.deliver()

    [request] = ta_requests(bot)
    assert request.offering_id == offering_id
    assert request.offering_contacts == [COLLEAGUE]
    post = bot.slack.posts(TA_CHANNEL)[-1]
    assert post["text"].endswith(f"<@{COLLEAGUE}> <@{NETWORK_PROVIDER}>")
    assert f"Offered in the TA directory: <@{COLLEAGUE}>" in str(post["blocks"])
    bot.click(ta_ids.CLAIM_ACTION, str(request.id), STRANGER, TA_CHANNEL)
    bot.click(ta_ids.CLAIM_ACTION, str(request.id), COLLEAGUE, TA_CHANNEL)
    assert bot.ephemerals(STRANGER) == ["Only TA providers and coordinators can claim TA requests."]
    assert ta_requests(bot)[0].claimed_by == COLLEAGUE


def test_routing_mentions_at_most_five_offering_contacts_most_recently_confirmed_first(
    bot: Bot,
) -> None:
    """A request mentions covering offerings' contacts: five at most, newest confirmation first."""
    people = [f"UCONTACT{n}" for n in range(6)]
    for person in people:
        listed(bot, organisation=f"Provider {person}", contacts=[person])
        bot.clock.advance(minutes=1)
    listed(bot, organisation="Off topic", topics=["climate"], contacts=["UOFFTOPIC"])

    bot.send(
        simulate.view_submission(
            ta_ids.REQUEST_MODAL, MEMBER, ta_values(topic="lcap", county="Kern"), view_id="VREQ0002"
        )
    )
    bot.deliver()

    [request] = ta_requests(bot)
    assert request.offering_contacts == list(reversed(people))[:5]
    assert request.matched_offerings == 6
    assert request.offering_id is None


def test_request_from_a_retired_offering_is_refused(bot: Bot) -> None:
    """An offering retired since the search was made cannot be asked any more."""
    offering_id = listed(bot)
    manage(bot, PROVIDER, "retire", offering_id, TA_CHANNEL)

    bot.click(ids.REQUEST_ACTION, f"{offering_id}|", MEMBER, "CGENERAL1")

    assert bot.opened_views() == []
    assert bot.ephemerals(MEMBER) == ["That TA offering is no longer listed."]
