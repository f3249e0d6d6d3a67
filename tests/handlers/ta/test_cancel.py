"""The member cancelling a TA request from their DM."""

from __future__ import annotations

import threading

from handlers.ta import ids
from storage.models import TaStatus
from tests.conftest import MEMBER
from tests.handlers.ta.support import (
    BAY_PROVIDER,
    STRANGER,
    TA_CHANNEL,
    ask,
    asked,
    buttons,
    edits,
    requests,
    resolve_with,
)
from tests.harness import Bot

DM = "DMEMBER01"


def test_member_cancels_an_open_request_from_the_dm(bot: Bot) -> None:
    """The receipt's Cancel button (with a confirmation) cancels; post and member are updated."""
    request_id = asked(bot, MEMBER)
    cancel = next(b for b in bot.slack.posts(MEMBER)[0]["blocks"] if b["type"] == "actions")
    assert cancel["elements"][0]["action_id"] == ids.CANCEL_ACTION
    assert "confirm" in cancel["elements"][0]

    bot.click(ids.CANCEL_ACTION, request_id, MEMBER, DM)
    bot.deliver()

    [request] = requests(bot)
    assert request.status is TaStatus.CANCELLED
    assert request.cancelled_at is not None
    latest = edits(bot)[-1]
    assert "*Cancelled* by the requester" in str(latest["blocks"])
    assert buttons(latest) == []
    assert f"You cancelled your TA request *TA-{request_id}*" in bot.slack.posts(MEMBER)[-1]["text"]
    assert [(e.action, e.actor_id) for e in bot.audit()][-1] == ("cancelled", MEMBER)


def test_cancelling_a_claimed_request_tells_the_provider(bot: Bot) -> None:
    """A claimed request can be cancelled too, and whoever held it hears about it."""
    request_id = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)
    bot.deliver()
    assert buttons(bot.slack.posts(MEMBER)[-1]) == ["Cancel request"]  # on the "picked up" DM

    bot.click(ids.CANCEL_ACTION, request_id, MEMBER, DM)
    bot.deliver()

    assert requests(bot)[0].status is TaStatus.CANCELLED
    [to_provider] = bot.slack.posts(BAY_PROVIDER)
    assert f"<@{MEMBER}> cancelled TA request *TA-{request_id}*" in to_provider["text"]


def test_only_the_member_may_cancel(bot: Bot) -> None:
    """Someone else pressing Cancel (a forged click) is refused."""
    request_id = asked(bot, MEMBER)

    bot.click(ids.CANCEL_ACTION, request_id, STRANGER, "DSTRANGE1")

    assert bot.ephemerals(STRANGER) == ["Only the member who asked for this help can do that."]
    assert requests(bot)[0].status is TaStatus.OPEN


def test_a_resolved_request_cannot_be_cancelled(bot: Bot) -> None:
    """Resolved is final: Cancel from an old DM gets a clear message and changes nothing."""
    request_id = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)
    resolve_with(bot, BAY_PROVIDER, request_id, "Sent the guide", "VRESCAN1")

    bot.click(ids.CANCEL_ACTION, request_id, MEMBER, DM)

    assert bot.ephemerals(MEMBER) == [f"TA-{request_id} was already resolved by <@{BAY_PROVIDER}>."]
    assert requests(bot)[0].status is TaStatus.RESOLVED


def test_a_cancelled_request_cannot_be_claimed(bot: Bot) -> None:
    """Claim on the old post after cancellation is refused with the reason."""
    request_id = asked(bot, MEMBER)
    bot.click(ids.CANCEL_ACTION, request_id, MEMBER, DM)

    bot.click(ids.CLAIM_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)

    assert bot.ephemerals(BAY_PROVIDER) == [
        f"TA-{request_id} was cancelled by the member who asked."
    ]
    assert requests(bot)[0].status is TaStatus.CANCELLED


def test_a_claim_racing_the_cancel_always_leaves_the_provider_told(bot: Bot) -> None:
    """Claim and Cancel at once, 40 times: the provider hears either way, from what won."""
    for round_ in range(40):
        ask(bot, MEMBER, view_id=f"VTARACE{round_:03d}")
        request_id = str(requests(bot)[-1].id)
        barrier = threading.Barrier(2)

        def click(
            action: str,
            user: str,
            channel: str,
            request_id: str = request_id,
            barrier: threading.Barrier = barrier,
        ) -> None:
            barrier.wait()
            bot.click(action, request_id, user, channel)

        threads = [
            threading.Thread(target=click, args=(ids.CLAIM_ACTION, BAY_PROVIDER, TA_CHANNEL)),
            threading.Thread(target=click, args=(ids.CANCEL_ACTION, MEMBER, DM)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        request = requests(bot)[-1]
        assert request.status is TaStatus.CANCELLED, f"round {round_}"
        told = [
            row.payload["text"]
            for row in bot.outbox()
            if row.channel == BAY_PROVIDER and f"*TA-{request_id}*" in row.payload["text"]
        ]
        if request.claimed_by == BAY_PROVIDER:  # the claim won, then the cancel
            assert len(told) == 1, f"round {round_}: the provider who held it was not told"
            assert "which you had claimed" in told[0]
        else:  # the cancel won; the claim was refused on the spot
            assert told == []
            assert bot.ephemerals(BAY_PROVIDER)[-1] == (
                f"TA-{request_id} was cancelled by the member who asked."
            )
