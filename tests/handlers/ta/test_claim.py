"""Claiming and releasing TA requests: who may, racing claims, and what everyone sees."""

from __future__ import annotations

import threading

from handlers.ta import ids
from storage.models import TaStatus
from tests.conftest import COORDINATORS, MEMBER
from tests.handlers.ta.support import (
    BAY_PROVIDER,
    NETWORK_PROVIDER,
    STRANGER,
    TA_CHANNEL,
    asked,
    buttons,
    edits,
    requests,
)
from tests.harness import Bot

COORD = COORDINATORS[0]


def test_provider_claims_and_the_post_and_member_are_updated(bot: Bot) -> None:
    """Claim marks the post as held by the provider and DMs the member the provider's name."""
    request_id = asked(bot, MEMBER)

    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)
    bot.deliver()

    [request] = requests(bot)
    assert request.status is TaStatus.CLAIMED
    assert request.claimed_by == BAY_PROVIDER
    [edit] = edits(bot)
    assert edit["ts"] == bot.slack.posts(TA_CHANNEL)[0]["ts"]
    assert f"Claimed* by <@{BAY_PROVIDER}>" in str(edit["blocks"])
    assert buttons(edit) == ["Mark resolved", "Release"]
    assert ", claimed)" in edit["text"]
    dm = bot.slack.posts(MEMBER)[-1]
    assert f"<@{BAY_PROVIDER}> picked up your TA request *TA-{request_id}*" in dm["text"]
    assert bot.ephemerals(BAY_PROVIDER) == []
    assert [(e.action, e.actor_id) for e in bot.audit()][-1] == ("claimed", BAY_PROVIDER)


def test_any_configured_provider_or_coordinator_may_claim(bot: Bot) -> None:
    """A network-wide provider may claim a Bay Area request; a coordinator may claim too."""
    first = asked(bot, MEMBER)
    second = asked(bot, MEMBER)

    bot.click(ids.CLAIM_ACTION, first, NETWORK_PROVIDER, TA_CHANNEL)
    bot.click(ids.CLAIM_ACTION, second, COORD, TA_CHANNEL)

    assert [r.claimed_by for r in requests(bot)] == [NETWORK_PROVIDER, COORD]


def test_claim_by_a_non_provider_is_refused(bot: Bot) -> None:
    """A member who is not a provider or coordinator gets an ephemeral refusal; nothing changes."""
    request_id = asked(bot, MEMBER)

    bot.click(ids.CLAIM_ACTION, request_id, STRANGER, TA_CHANNEL)
    bot.deliver()

    assert bot.ephemerals(STRANGER) == ["Only TA providers and coordinators can claim TA requests."]
    assert requests(bot)[0].status is TaStatus.OPEN
    assert edits(bot) == []
    assert [e.action for e in bot.audit()] == ["submitted"]


def test_second_claim_is_told_who_has_it(bot: Bot) -> None:
    """After one provider claims, another's click says who holds the request."""
    request_id = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)

    bot.click(ids.CLAIM_ACTION, request_id, NETWORK_PROVIDER, TA_CHANNEL)

    assert bot.ephemerals(NETWORK_PROVIDER) == [
        f"TA-{request_id} is already claimed by <@{BAY_PROVIDER}>."
    ]
    assert requests(bot)[0].claimed_by == BAY_PROVIDER


def test_concurrent_claims_have_exactly_one_winner(bot: Bot) -> None:
    """Two providers clicking Claim at the same instant: one claim, one 'already claimed by'."""
    request_id = asked(bot, MEMBER)
    barrier = threading.Barrier(2)

    def claim(user: str) -> None:
        barrier.wait()
        bot.click(ids.CLAIM_ACTION, request_id, user, TA_CHANNEL)

    threads = [threading.Thread(target=claim, args=(u,)) for u in (BAY_PROVIDER, NETWORK_PROVIDER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.deliver()

    [request] = requests(bot)
    assert request.status is TaStatus.CLAIMED
    assert request.claims == 1
    loser = NETWORK_PROVIDER if request.claimed_by == BAY_PROVIDER else BAY_PROVIDER
    assert bot.ephemerals(loser) == [
        f"TA-{request_id} is already claimed by <@{request.claimed_by}>."
    ]
    assert bot.ephemerals(request.claimed_by or "") == []
    assert len(edits(bot)) == 1
    assert [e.action for e in bot.audit()].count("claimed") == 1
    assert sum("picked up your TA request" in m["text"] for m in bot.slack.posts(MEMBER)) == 1


def test_release_reopens_the_request_and_tells_the_member(bot: Bot) -> None:
    """The claimer releases: open again with a Claim button, and the member is told by DM."""
    request_id = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)

    bot.click(ids.RELEASE_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)
    bot.deliver()

    [request] = requests(bot)
    assert request.status is TaStatus.OPEN
    assert request.claimed_by is None
    latest = edits(bot)[-1]
    assert buttons(latest) == ["Claim"]
    assert "*Open*" in str(latest["blocks"])
    dm = bot.slack.posts(MEMBER)[-1]
    assert f"<@{BAY_PROVIDER}> can no longer take your TA request *TA-{request_id}*" in dm["text"]
    assert [e.action for e in bot.audit()] == ["submitted", "claimed", "released"]

    bot.click(ids.CLAIM_ACTION, request_id, NETWORK_PROVIDER, TA_CHANNEL)
    assert requests(bot)[0].claimed_by == NETWORK_PROVIDER


def test_only_the_claimer_may_release(bot: Bot) -> None:
    """Another provider clicking Release is told who holds it; the claim stands."""
    request_id = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)

    bot.click(ids.RELEASE_ACTION, request_id, NETWORK_PROVIDER, TA_CHANNEL)

    assert bot.ephemerals(NETWORK_PROVIDER) == [
        f"TA-{request_id} is held by <@{BAY_PROVIDER}>; only they can release it."
    ]
    assert requests(bot)[0].claimed_by == BAY_PROVIDER


def test_a_coordinator_may_release_a_stuck_claim(bot: Bot) -> None:
    """A coordinator frees a request someone else holds; member and holder are both told."""
    request_id = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)

    bot.click(ids.RELEASE_ACTION, request_id, COORD, TA_CHANNEL)
    bot.deliver()

    assert requests(bot)[0].status is TaStatus.OPEN
    [to_holder] = bot.slack.posts(BAY_PROVIDER)
    assert f"<@{COORD}> released TA request *TA-{request_id}*" in to_holder["text"]
    assert "can no longer take" in bot.slack.posts(MEMBER)[-1]["text"]
    assert bot.audit()[-1].actor_id == COORD


def test_releasing_an_open_request_is_refused_clearly(bot: Bot) -> None:
    """Release on a request nobody holds is an illegal move: a message, not a crash."""
    request_id = asked(bot, MEMBER)

    response = bot.click(ids.RELEASE_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)

    assert response.status == 200
    assert bot.ephemerals(BAY_PROVIDER) == [f"TA-{request_id} is open: nobody has claimed it yet."]


def test_clicks_on_a_request_that_does_not_exist_are_answered(bot: Bot) -> None:
    """A forged or stale button value gets a polite answer."""
    response = bot.click(ids.CLAIM_ACTION, "999", BAY_PROVIDER, TA_CHANNEL)

    assert response.status == 200
    assert bot.ephemerals(BAY_PROVIDER) == ["That TA request no longer exists."]
