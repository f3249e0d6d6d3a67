"""Home's Find TA: the `/ccsn find-ta` search as a modal, its results in the same modal."""

from __future__ import annotations

import json
from typing import Any

from demokit import simulate
from handlers.ta import ids as ta_ids
from handlers.ta_offerings import ids
from tests.conftest import MEMBER
from tests.handlers.home.conftest import buttons, click, open_home
from tests.handlers.ta.support import TA_CHANNEL
from tests.handlers.ta_offerings.support import PROVIDER, listed, manage
from tests.harness import Bot, answer_problems, body_json

RESULTS_VIEW = "VFINDRESULTS1"


def search_values(
    words: str | None = None,
    topic: str | None = None,
    region: str | None = None,
    offered_as: str | None = None,
    free: bool = False,
) -> dict[str, Any]:
    """The Find TA form's state as Slack sends it."""
    return {
        ids.FIND_WORDS_BLOCK: simulate.text_state(ids.FIND_WORDS_INPUT, words),
        ids.FIND_TOPIC_BLOCK: simulate.select_state(ids.FIND_TOPIC_INPUT, topic),
        ids.FIND_REGION_BLOCK: simulate.select_state(ids.FIND_REGION_INPUT, region),
        ids.FIND_FORMAT_BLOCK: simulate.select_state(ids.FIND_FORMAT_INPUT, offered_as),
        ids.FIND_COST_BLOCK: simulate.multi_state(ids.FIND_COST_INPUT, ["free"] if free else []),
    }


def search(bot: Bot, **fields: Any) -> dict[str, Any]:
    """The member submits Find TA; Slack's answer (`response_action` and the new view)."""
    response = bot.send(
        simulate.view_submission(ids.FIND_MODAL, MEMBER, search_values(**fields), view_id="VF1")
    )
    assert response.status == 200
    assert answer_problems(response) == []  # the fake Slack's Block Kit checks
    return body_json(response)


def organisations(view: dict[str, Any]) -> list[str]:
    """The organisations a results view lists, in order."""
    return [
        block["text"]["text"].split("*")[1]
        for block in view["blocks"][1:]
        if block["type"] == "section"
    ]


def modal_click(action_id: str, value: str, user: str) -> str:
    """A button clicked inside Find TA's results modal, as Slack sends it (no channel)."""
    return simulate.interaction_body(
        {
            "type": "block_actions",
            "user": {"id": user, "team_id": simulate.TEAM},
            "team": {"id": simulate.TEAM},
            "api_app_id": simulate.APP_ID,
            "trigger_id": "trigger-find-1",
            "container": {"type": "view", "view_id": RESULTS_VIEW},
            "view": {
                "id": RESULTS_VIEW,
                "type": "modal",
                "callback_id": ids.FIND_RESULTS_MODAL,
                "private_metadata": "{}",
                "hash": "1700000000.abcdef",
            },
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "find",
                    "value": value,
                    "action_ts": "1700000000.000002",
                }
            ],
        }
    )


def pushed(bot: Bot) -> list[dict[str, Any]]:
    views = [call.params["view"] for call in bot.slack.calls_to("views.push")]
    return [json.loads(v) if isinstance(v, str) else v for v in views]


def test_find_ta_on_home_opens_the_search_form(bot: Bot) -> None:
    """Home shows Find TA; it opens a form with words, topic, region, format and cost."""
    assert ("Find TA", ids.HOME_FIND_ACTION, "open") in buttons(open_home(bot, MEMBER))

    click(bot, ids.HOME_FIND_ACTION, "open", MEMBER)

    [form] = bot.opened_views()
    assert form["callback_id"] == ids.FIND_MODAL
    assert [b["block_id"] for b in form["blocks"] if b["type"] == "input"] == [
        ids.FIND_WORDS_BLOCK,
        ids.FIND_TOPIC_BLOCK,
        ids.FIND_REGION_BLOCK,
        ids.FIND_FORMAT_BLOCK,
        ids.FIND_COST_BLOCK,
    ]


def test_a_search_shows_the_approved_offering_not_the_retired_one(bot: Bot) -> None:
    """Topic and region find the listed offering, in the same modal, with its two buttons."""
    offering_id = listed(bot)
    retired = listed(bot, organisation="Kern County Office of Education")
    listed(bot, organisation="Bay Area Partners", regions=["Bay Area"])
    manage(bot, PROVIDER, "retire", retired, TA_CHANNEL)

    answer = search(bot, topic="lcap", region="Central Valley")

    assert answer["response_action"] == "update"
    view = answer["view"]
    assert view["callback_id"] == ids.FIND_RESULTS_MODAL
    assert organisations(view) == ["Fresno County Office of Education"]
    [actions] = [b for b in view["blocks"] if b["type"] == "actions"]
    contact, request = actions["elements"]
    assert (contact["action_id"], contact["url"]) == (
        ids.CONTACT_ACTION,
        "https://example.org/fcoe-ta",
    )
    assert (request["action_id"], request["value"]) == (ids.REQUEST_ACTION, f"{offering_id}|lcap")
    assert view["submit"]["text"] == "Search again"
    assert "LCAP" in view["blocks"][0]["text"]["text"]


def test_words_and_free_only_narrow_the_results(bot: Bot) -> None:
    """Words rank through the full-text index; Only free leaves out an offering with a fee."""
    listed(bot, organisation="Asset Mappers", description="Asset mapping walks with families.")
    listed(bot, organisation="Paid Mappers", description="Asset mapping for a fee.", cost="fee")

    assert organisations(search(bot, words="asset mapping", free=True)["view"]) == ["Asset Mappers"]


def test_no_match_says_so_in_a_plain_sentence(bot: Bot) -> None:
    """Nothing listed matches: one sentence, no offering blocks."""
    listed(bot)

    view = search(bot, region="Bay Area", offered_as="site_visit")["view"]

    assert [b["type"] for b in view["blocks"]] == ["section", "context"]
    assert "No listed offering matches that search." in view["blocks"][0]["text"]["text"]


def test_a_value_not_on_the_list_is_a_field_error(bot: Bot) -> None:
    """A forged topic or cost is refused on its own field; nothing is searched."""
    answer = search(bot, topic="astrology", free=False)

    assert answer == {
        "response_action": "errors",
        "errors": {ids.FIND_TOPIC_BLOCK: "Choose a topic from the list."},
    }


def test_search_again_brings_back_the_form_as_it_was_filled(bot: Bot) -> None:
    """The results' submit button updates the modal back to the form, choices kept."""
    listed(bot)
    results = search(bot, words="coaching", topic="lcap", free=True)["view"]

    response = bot.send(
        simulate.view_submission(
            ids.FIND_RESULTS_MODAL,
            MEMBER,
            {},
            view_id="VF1",
            private_metadata=results["private_metadata"],
        )
    )

    answer = body_json(response)
    assert answer["response_action"] == "update"
    form = {b["block_id"]: b["element"] for b in answer["view"]["blocks"] if b["type"] == "input"}
    assert form[ids.FIND_WORDS_BLOCK]["initial_value"] == "coaching"
    assert form[ids.FIND_TOPIC_BLOCK]["initial_option"]["value"] == "lcap"
    assert "initial_option" not in form[ids.FIND_REGION_BLOCK]
    assert [o["value"] for o in form[ids.FIND_COST_BLOCK]["initial_options"]] == ["free"]


def test_request_from_them_in_the_modal_pushes_the_prefilled_request_form(bot: Bot) -> None:
    """From the results, the request form is pushed over them (views.push), prefilled."""
    offering_id = listed(bot)

    bot.send(modal_click(ids.REQUEST_ACTION, f"{offering_id}|lcap", MEMBER))

    assert bot.opened_views() == []  # not views.open: the results stay under the form
    [form] = pushed(bot)
    assert form["callback_id"] == ta_ids.REQUEST_MODAL
    assert json.loads(form["private_metadata"]) == {"offering_id": offering_id}


def test_request_from_a_retired_offering_in_the_modal_is_explained_there(bot: Bot) -> None:
    """No channel to answer in: a short note is pushed over the results instead."""
    offering_id = listed(bot)
    manage(bot, PROVIDER, "retire", offering_id, TA_CHANNEL)

    bot.send(modal_click(ids.REQUEST_ACTION, f"{offering_id}|", MEMBER))

    [note] = pushed(bot)
    assert note["blocks"][0]["text"]["text"] == "That TA offering is no longer listed."
