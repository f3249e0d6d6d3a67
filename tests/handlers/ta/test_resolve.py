"""Resolving TA requests with a note, and the member's one-click feedback."""

from __future__ import annotations

from handlers.ta import ids
from storage.models import TaFeedback, TaStatus
from tests.conftest import MEMBER
from tests.handlers.ta.support import (
    BAY_PROVIDER,
    NETWORK_PROVIDER,
    TA_CHANNEL,
    asked,
    buttons,
    edits,
    requests,
    resolve_with,
)
from tests.harness import Bot, body_json


def claimed(bot: Bot, provider: str = BAY_PROVIDER) -> str:
    request_id = asked(bot, MEMBER)
    bot.click(ids.CLAIM_ACTION, request_id, provider, TA_CHANNEL)
    bot.deliver()
    return request_id


def test_mark_resolved_asks_for_a_note_then_tells_the_member(bot: Bot) -> None:
    """The claimer's note is kept, shown on the post, and DMed to the member with feedback."""
    request_id = claimed(bot)

    bot.click(ids.RESOLVE_ACTION, request_id, BAY_PROVIDER, TA_CHANNEL)
    [modal] = bot.opened_views()
    assert modal["callback_id"] == ids.RESOLVE_MODAL
    response = resolve_with(bot, BAY_PROVIDER, request_id, "Shared our <!here> toolkit", "VRES001")
    bot.deliver()

    assert body_json(response) == {}
    [request] = requests(bot)
    assert request.status is TaStatus.RESOLVED
    assert request.resolution == "Shared our <!here> toolkit"
    latest = edits(bot)[-1]
    assert "*Resolved* by" in str(latest["blocks"])
    assert "Shared our &lt;!here&gt; toolkit" in str(latest["blocks"])
    assert buttons(latest) == []
    dm = bot.slack.posts(MEMBER)[-1]
    assert f"<@{BAY_PROVIDER}> marked your TA request *TA-{request_id}*" in dm["text"]
    assert "Shared our &lt;!here&gt; toolkit" in dm["text"]
    assert buttons(dm) == ["Yes", "Not really"]
    assert bot.audit()[-1].action == "resolved"
    assert bot.audit()[-1].reason == "Shared our <!here> toolkit"


def test_resolution_note_is_required(bot: Bot) -> None:
    """An empty note is a field error and resolves nothing."""
    request_id = claimed(bot)

    response = resolve_with(bot, BAY_PROVIDER, request_id, "", "VRES002")

    assert ids.NOTE_BLOCK in body_json(response)["errors"]
    assert requests(bot)[0].status is TaStatus.CLAIMED


def test_only_the_claimer_may_resolve(bot: Bot) -> None:
    """Another provider is refused at the click and again if the form is forged."""
    request_id = claimed(bot)

    bot.click(ids.RESOLVE_ACTION, request_id, NETWORK_PROVIDER, TA_CHANNEL)
    response = resolve_with(bot, NETWORK_PROVIDER, request_id, "Done by me", "VFORGED02")

    refusal = f"TA-{request_id} is held by <@{BAY_PROVIDER}>; only they can mark it resolved."
    assert bot.ephemerals(NETWORK_PROVIDER) == [refusal]
    assert bot.opened_views() == []
    assert body_json(response)["errors"] == {
        ids.NOTE_BLOCK: f"TA-{request_id} is held by someone else; only they can mark it resolved."
    }
    assert requests(bot)[0].status is TaStatus.CLAIMED


def test_resolving_an_open_request_is_refused(bot: Bot) -> None:
    """Open → resolved skips a step, so the form answers with a message, not a crash."""
    request_id = asked(bot, MEMBER)

    response = resolve_with(bot, BAY_PROVIDER, request_id, "All done", "VRES003")

    assert body_json(response)["errors"] == {
        ids.NOTE_BLOCK: f"TA-{request_id} is open: nobody has claimed it yet."
    }
    assert requests(bot)[0].status is TaStatus.OPEN


def test_the_same_resolve_form_submitted_twice_resolves_once(bot: Bot) -> None:
    """A provider who resubmits after a slow answer sees the form close, and the member one DM."""
    request_id = claimed(bot)

    resolve_with(bot, BAY_PROVIDER, request_id, "Sent the guide", "VRESTWICE")
    again = resolve_with(bot, BAY_PROVIDER, request_id, "Sent the guide", "VRESTWICE")
    bot.deliver()

    assert body_json(again) == {}
    assert sum("resolved:" in m["text"] for m in bot.slack.posts(MEMBER)) == 1
    assert [e.action for e in bot.audit()].count("resolved") == 1


def test_feedback_is_kept_with_the_request(bot: Bot) -> None:
    """The member's Yes is stored and audited, and a second click does not change it."""
    request_id = claimed(bot)
    resolve_with(bot, BAY_PROVIDER, request_id, "Sent the guide", "VRES004")

    bot.click(ids.HELPFUL_ACTION, request_id, MEMBER, "DMEMBER01")
    bot.click(ids.NOT_HELPFUL_ACTION, request_id, MEMBER, "DMEMBER01")

    [request] = requests(bot)
    assert request.feedback is TaFeedback.HELPFUL
    assert request.feedback_at is not None
    assert bot.ephemerals(MEMBER) == [
        "Thank you! Glad it helped; your answer is saved with the request.",
        "You already told us about this one. Thank you!",
    ]
    assert [e.action for e in bot.audit()][-1] == "feedback_helpful"


def test_not_helpful_is_recorded_too(bot: Bot) -> None:
    """'Not really' is kept as not helpful."""
    request_id = claimed(bot)
    resolve_with(bot, BAY_PROVIDER, request_id, "Sent the guide", "VRES005")

    bot.click(ids.NOT_HELPFUL_ACTION, request_id, MEMBER, "DMEMBER01")

    assert requests(bot)[0].feedback is TaFeedback.NOT_HELPFUL


def test_only_the_member_gives_feedback(bot: Bot) -> None:
    """The provider cannot rate their own help."""
    request_id = claimed(bot)
    resolve_with(bot, BAY_PROVIDER, request_id, "Sent the guide", "VRES006")

    bot.click(ids.HELPFUL_ACTION, request_id, BAY_PROVIDER, "DBAYPROV1")

    assert bot.ephemerals(BAY_PROVIDER) == ["Only the member who asked for this help can do that."]
    assert requests(bot)[0].feedback is None


def test_a_long_hostile_note_stays_within_block_kit_limits(bot: Bot) -> None:
    """A 2,000-character note of `&` and `<` is escaped, quoted line by line, and fits."""
    request_id = claimed(bot)

    resolve_with(bot, BAY_PROVIDER, request_id, "line one\n" + "&<" * 995, "VRESLONG1")
    bot.deliver()

    post, dm = edits(bot)[-1], bot.slack.posts(MEMBER)[-1]
    for message in (post, dm):
        texts = [block["text"]["text"] for block in message["blocks"] if "text" in block]
        assert all(len(text) <= 3000 for text in texts)
        assert "&<" not in str(message)
    assert ">line one\n>&amp;&lt;" in dm["text"]
