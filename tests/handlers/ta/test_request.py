"""Asking for TA: the form, field errors, saving, routing by county, and what people see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from demokit import simulate
from handlers.ta import ids
from storage.models import TaStatus
from tests.conftest import MEMBER, FrozenClock
from tests.handlers.ta.support import (
    BAY_GROUP,
    BAY_PROVIDER,
    NETWORK_PROVIDER,
    TA_CHANNEL,
    ask,
    buttons,
    requests,
)
from tests.harness import Bot, body_json


def test_slash_command_opens_the_request_form(bot: Bot) -> None:
    """/request-ta opens the modal: every field, counties by region, digest defaulting to no."""
    response = bot.send(simulate.slash_command(ids.REQUEST_COMMAND, MEMBER))

    assert response.status == 200
    [view] = bot.opened_views()
    assert view["callback_id"] == ids.REQUEST_MODAL
    by_block = {block.get("block_id"): block for block in view["blocks"]}
    assert {
        ids.TOPIC_BLOCK,
        ids.NEED_BLOCK,
        ids.COUNTY_BLOCK,
        ids.ORGANISATION_BLOCK,
        ids.NEEDED_BY_BLOCK,
        ids.FORMAT_BLOCK,
        ids.DIGEST_BLOCK,
    } <= set(by_block)
    assert len(by_block[ids.TOPIC_BLOCK]["element"]["options"]) == 13
    groups = by_block[ids.COUNTY_BLOCK]["element"]["option_groups"]
    assert [g["label"]["text"] for g in groups][:3] == [
        "Northern California",
        "Capitol Area",
        "Bay Area",
    ]
    assert sum(len(group["options"]) for group in groups) == 58
    assert by_block[ids.NEEDED_BY_BLOCK]["element"]["type"] == "datepicker"
    formats = [o["value"] for o in by_block[ids.FORMAT_BLOCK]["element"]["options"]]
    assert formats == ["call", "site_visit", "written", "peer"]
    assert by_block[ids.DIGEST_BLOCK]["element"]["initial_option"]["value"] == "no"


def test_global_shortcut_opens_the_same_form(bot: Bot) -> None:
    """The shortcut opens the same modal as the command."""
    bot.send(simulate.global_shortcut(ids.REQUEST_SHORTCUT, MEMBER))

    assert [view["callback_id"] for view in bot.opened_views()] == [ids.REQUEST_MODAL]


def test_without_a_ta_channel_the_member_is_told_instead_of_a_crash(
    bot_with: Callable[..., Bot],
) -> None:
    """No CCSN_TA_CHANNEL: the command answers only the member; the shortcut explains in a modal."""
    unset_bot = bot_with()
    response = unset_bot.send(simulate.slash_command(ids.REQUEST_COMMAND, MEMBER))
    unset_bot.send(simulate.global_shortcut(ids.REQUEST_SHORTCUT, MEMBER))
    submitted = ask(unset_bot, MEMBER)

    assert response.status == 200
    assert "CCSN_TA_CHANNEL is not set" in response.body  # Slack shows it only to the member
    [explanation] = unset_bot.opened_views()
    assert "submit" not in explanation
    assert "CCSN_TA_CHANNEL is not set" in str(explanation["blocks"])
    assert "CCSN_TA_CHANNEL is not set" in body_json(submitted)["errors"][ids.TOPIC_BLOCK]
    assert requests(unset_bot) == []
    assert unset_bot.outbox() == []


@pytest.mark.parametrize(
    ("fields", "block", "message"),
    [
        ({"topic": None}, ids.TOPIC_BLOCK, "Choose the topic"),
        ({"topic": "astrology"}, ids.TOPIC_BLOCK, "from the list"),
        ({"need": ""}, ids.NEED_BLOCK, "Please add what you need."),
        ({"need": "help"}, ids.NEED_BLOCK, "at least 10"),
        ({"need": "x" * 3001}, ids.NEED_BLOCK, "under 3000"),
        ({"county": None}, ids.COUNTY_BLOCK, "Choose your county"),
        ({"county": "Atlantis"}, ids.COUNTY_BLOCK, "from the list"),
        ({"organisation": ""}, ids.ORGANISATION_BLOCK, "school, district or organisation"),
        ({"needed_by": None}, ids.NEEDED_BY_BLOCK, "Pick the date"),
        ({"needed_by": "someday"}, ids.NEEDED_BY_BLOCK, "Pick the date"),
        ({"needed_by": "2026-11-29"}, ids.NEEDED_BY_BLOCK, "That date has passed"),
        ({"needed_by": "2028-01-01"}, ids.NEEDED_BY_BLOCK, "within the next year"),
        ({"format": None}, ids.FORMAT_BLOCK, "how you would like"),
        ({"format": "carrier_pigeon"}, ids.FORMAT_BLOCK, "from the list"),
        ({"digest": None}, ids.DIGEST_BLOCK, "weekly digest"),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(
    bot: Bot, fields: dict[str, object], block: str, message: str
) -> None:
    """Each problem is reported on its own block, and no row or message is created."""
    response = ask(bot, MEMBER, **fields)

    assert response.status == 200
    answer = body_json(response)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block]
    assert message in answer["errors"][block]
    assert requests(bot) == []
    assert bot.outbox() == []
    assert bot.audit() == []


def test_missing_blocks_are_field_errors_not_crashes(bot: Bot) -> None:
    """A submission with no state at all gets an error on every required field."""
    body = simulate.view_submission(ids.REQUEST_MODAL, MEMBER, {}, view_id="VTAEMPTY1")

    answer = body_json(bot.send(body))

    assert set(answer["errors"]) == {
        ids.TOPIC_BLOCK,
        ids.NEED_BLOCK,
        ids.COUNTY_BLOCK,
        ids.ORGANISATION_BLOCK,
        ids.NEEDED_BY_BLOCK,
        ids.FORMAT_BLOCK,
        ids.DIGEST_BLOCK,
    }


def test_needed_by_today_counts_in_the_network_time_zone(bot: Bot, clock: FrozenClock) -> None:
    """At 10 pm on Nov 30 in California (already Dec 1 in UTC), Nov 30 is still today."""
    clock.now = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)

    response = ask(bot, MEMBER, needed_by="2026-11-30")

    assert body_json(response) == {}
    assert requests(bot)[0].needed_by == date(2026, 11, 30)


def test_request_is_saved_open_and_the_member_gets_a_reference(bot: Bot) -> None:
    """The modal closes, the request is open with its region, and the DM names TA-<id>."""
    response = ask(bot, MEMBER, digest="yes")
    bot.deliver()

    assert body_json(response) == {}
    [request] = requests(bot)
    assert request.status is TaStatus.OPEN
    assert request.requester_id == MEMBER
    assert (request.county, request.region) == ("Alameda", "Bay Area")
    assert request.needed_by == date(2026, 12, 15)
    assert request.share_in_digest is True
    [receipt] = bot.slack.posts(MEMBER)
    assert f"Your reference number is *TA-{request.id}*" in receipt["text"]
    assert "Bay Area" in str(receipt["blocks"])
    assert buttons(receipt) == ["Cancel request"]
    assert [(e.entity_type, e.action, e.actor_id) for e in bot.audit()] == [
        ("ta_request", "submitted", MEMBER)
    ]


def test_digest_defaults_to_no(bot: Bot) -> None:
    """A member who leaves the digest question alone is kept out of the digest."""
    ask(bot, MEMBER)

    assert requests(bot)[0].share_in_digest is False


def test_post_names_the_region_and_mentions_its_providers(bot: Bot) -> None:
    """An Alameda request is posted for the Bay Area with its provider and user group mentioned."""
    ask(bot, MEMBER, county="Alameda")
    bot.deliver()

    [post] = bot.slack.posts(TA_CHANNEL)
    request_id = requests(bot)[0].id
    assert post["text"].startswith(f"TA request TA-{request_id} (Bay Area, open): ")
    assert f"<@{BAY_PROVIDER}> <!subteam^{BAY_GROUP}>" in post["text"]
    flat = str(post["blocks"])
    assert f"For the Bay Area TA providers: <@{BAY_PROVIDER}> <!subteam^{BAY_GROUP}>" in flat
    assert "Hoover Elementary · Alameda County (Bay Area)" in flat
    assert post["blocks"][0]["text"]["text"].startswith(
        f"TA request TA-{request_id}: Family & community engagement"  # plain text: literal
    )
    assert "Family &amp; community engagement" in post["text"]
    assert "Tue Dec 15, 2026" in flat
    assert f"<@{MEMBER}>" in flat
    assert NETWORK_PROVIDER not in flat
    assert buttons(post) == ["Claim"]


def test_region_without_its_own_providers_falls_back_to_the_network_providers(bot: Bot) -> None:
    """A Fresno request goes to the Central Valley, which has no list, so the TA providers."""
    ask(bot, MEMBER, county="Fresno")
    bot.deliver()

    [post] = bot.slack.posts(TA_CHANNEL)
    assert "(Central Valley, open)" in post["text"]
    assert f"<@{NETWORK_PROVIDER}>" in post["text"]
    assert BAY_PROVIDER not in str(post)
    assert f"For Central Valley: <@{NETWORK_PROVIDER}>" in str(post["blocks"])


def test_with_no_providers_anywhere_the_post_asks_coordinators_to_route(
    bot_with: Callable[..., Bot],
) -> None:
    """No provider settings at all: the request is still posted, and says nobody is configured."""
    bare = bot_with(ccsn_ta_channel=TA_CHANNEL)

    ask(bare, MEMBER, county="Kern")
    bare.deliver()

    [post] = bare.slack.posts(TA_CHANNEL)
    assert "<@" not in post["text"]
    assert "no TA providers are configured yet" in str(post["blocks"])


def test_the_same_view_submitted_twice_saves_one_request(bot: Bot) -> None:
    """A member who resubmits after a slow answer does not create a duplicate."""
    ask(bot, MEMBER, view_id="VTATWICE1")
    second = ask(bot, MEMBER, view_id="VTATWICE1")
    bot.deliver()

    assert body_json(second) == {}
    assert len(requests(bot)) == 1
    assert len(bot.slack.posts(TA_CHANNEL)) == 1
    assert len(bot.slack.posts(MEMBER)) == 1


def test_mentions_typed_into_the_form_never_ping(bot: Bot) -> None:
    """`<!channel>` and friends typed by the member reach Slack escaped."""
    ask(
        bot,
        MEMBER,
        need="Help <!channel> & <@U999> with <!subteam^S123> <https://evil.example|click>",
        organisation="<!everyone> school",
    )
    bot.deliver()

    sent = [call.params for call in bot.slack.calls_to("chat.postMessage")]
    assert len(sent) == 2
    for message in sent:
        flat = str(message)
        for raw in ("<!channel>", "<!everyone>", "<@U999>", "<!subteam^S123>", "<https://evil"):
            assert raw not in flat
    assert "Help &lt;!channel&gt; &amp; &lt;@U999&gt;" in str(bot.slack.posts(TA_CHANNEL)[0])


def test_longest_hostile_input_stays_within_block_kit_limits(bot: Bot) -> None:
    """A 3,000-character need made of `&` and `<` (five times longer escaped) still fits."""
    ask(bot, MEMBER, need="&<" * 1500, organisation="&" * 150)
    bot.deliver()

    [post] = bot.slack.posts(TA_CHANNEL)
    texts = [block["text"]["text"] for block in post["blocks"] if "text" in block]
    texts += [e["text"] for b in post["blocks"] if b["type"] == "context" for e in b["elements"]]
    assert all(len(text) <= 3000 for text in texts)
    assert post["blocks"][0]["type"] == "header"
    assert len(post["blocks"][0]["text"]["text"]) <= 150
    assert len(post["blocks"]) <= 50
    assert sum(len(str(b)) for b in post["blocks"]) < 13000
