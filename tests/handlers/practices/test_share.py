"""Sharing a practice: opening the form, field errors, saving, and what the member is told."""

from __future__ import annotations

import pytest

from demokit import simulate
from handlers.practices import ids
from handlers.replies import TRY_AGAIN
from storage.models import OutboxStatus, PracticeStatus
from tests.conftest import MEMBER, PRACTICES_CHANNEL, REVIEW_CHANNEL
from tests.harness import Bot, body_json


def test_slash_command_opens_the_share_form(bot: Bot) -> None:
    """/share-practice answers 200 and opens the modal with every field."""
    response = bot.send(simulate.slash_command(ids.SHARE_COMMAND, MEMBER))

    assert response.status == 200
    [view] = bot.opened_views()
    assert view["callback_id"] == ids.PRACTICE_MODAL
    block_ids = {block.get("block_id") for block in view["blocks"]}
    assert {ids.TITLE_BLOCK, ids.SUMMARY_BLOCK, ids.PILLARS_BLOCK, ids.COUNTY_BLOCK} <= block_ids
    county = next(b for b in view["blocks"] if b.get("block_id") == ids.COUNTY_BLOCK)
    groups = county["element"]["option_groups"]
    assert len(groups) == 8
    assert sum(len(group["options"]) for group in groups) == 58


def test_global_shortcut_opens_the_same_form(bot: Bot) -> None:
    """The shortcut opens the same modal as the command."""
    bot.send(simulate.global_shortcut(ids.SHARE_SHORTCUT, MEMBER))

    assert [view["callback_id"] for view in bot.opened_views()] == [ids.PRACTICE_MODAL]


@pytest.mark.parametrize(
    ("fields", "block", "message"),
    [
        ({"title": ""}, ids.TITLE_BLOCK, "Please add a title."),
        ({"title": "x" * 151}, ids.TITLE_BLOCK, "under 150"),
        ({"summary": "too short"}, ids.SUMMARY_BLOCK, "at least 20"),
        ({"pillars": []}, ids.PILLARS_BLOCK, "at least one pillar"),
        ({"pillars": ["astrology"]}, ids.PILLARS_BLOCK, "from the list"),
        ({"county": None}, ids.COUNTY_BLOCK, "Choose the county"),
        ({"county": "Atlantis"}, ids.COUNTY_BLOCK, "from the list"),
        ({"organisation": ""}, ids.ORGANISATION_BLOCK, "school, district or organisation"),
        ({"link": "javascript:alert(1)"}, ids.LINK_BLOCK, "http:// or https://"),
        ({"link": "ftp://example.org/file"}, ids.LINK_BLOCK, "http:// or https://"),
        ({"funding": ["bitcoin"]}, ids.FUNDING_BLOCK, "from the list"),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(
    bot: Bot, fields: dict[str, object], block: str, message: str
) -> None:
    """Each problem is reported on its own block, and no row or message is created."""
    response = bot.share(MEMBER, **fields)

    assert response.status == 200
    answer = body_json(response)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block]
    assert message in answer["errors"][block]
    assert bot.practices() == []
    assert bot.outbox() == []


def test_missing_blocks_are_field_errors_not_crashes(bot: Bot) -> None:
    """A submission with no state at all gets errors on every required field."""
    body = simulate.view_submission(ids.PRACTICE_MODAL, MEMBER, {}, view_id="VEMPTY001")

    answer = body_json(bot.send(body))

    assert set(answer["errors"]) >= {ids.TITLE_BLOCK, ids.SUMMARY_BLOCK, ids.COUNTY_BLOCK}
    assert bot.practices() == []


def test_valid_practice_is_saved_pending_and_sent_for_review(bot: Bot) -> None:
    """The modal closes, the practice is pending, the member is thanked, coordinators see it."""
    response = bot.share(MEMBER, pillars=["supports", "engagement"], county="Kern")

    assert response.status == 200
    assert body_json(response) == {}
    [practice] = bot.practices()
    assert practice.status is PracticeStatus.PENDING
    assert practice.region == "Central Valley"
    assert practice.pillars == ["supports", "engagement"]
    assert practice.credit_submitter is True

    bot.deliver()
    [thanks] = bot.slack.posts(MEMBER)
    assert "Thank you for sharing *Family resource nights*" in thanks["text"]
    [review] = bot.slack.posts(REVIEW_CHANNEL)
    buttons = [e["text"]["text"] for e in review["blocks"][-1]["elements"]]
    assert buttons == ["Approve", "Request changes", "Reject"]
    assert bot.slack.posts(PRACTICES_CHANNEL) == []
    assert [entry.action for entry in bot.audit()] == ["submitted"]


def test_the_same_view_submitted_twice_saves_one_practice(bot: Bot) -> None:
    """A member who resubmits after a slow answer does not create a duplicate."""
    bot.share(MEMBER, view_id="VTWICE001")
    second = bot.share(MEMBER, view_id="VTWICE001")

    assert second.status == 200
    assert len(bot.practices()) == 1
    bot.deliver()
    assert len(bot.slack.posts(REVIEW_CHANNEL)) == 1


def test_mentions_typed_into_the_form_never_ping(bot: Bot) -> None:
    """`<!channel>` and friends reach Slack escaped in every message and block."""
    bot.share(
        MEMBER,
        title="Hi <!channel> & <@U999>",
        summary="Ping <!here> and <!subteam^S123> via <https://evil.example|click>",
        organisation="<!everyone> school",
    )
    bot.deliver()

    sent = [call.params for call in bot.slack.calls if call.method == "chat.postMessage"]
    assert sent
    for message in sent:
        flat = str(message)
        for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U999>", "<!subteam^S123>"):
            assert raw not in flat
    review = bot.slack.posts(REVIEW_CHANNEL)[0]
    assert "Hi &lt;!channel&gt; &amp; &lt;@U999&gt;" in review["text"]


def test_outbox_holds_messages_until_delivered(bot: Bot) -> None:
    """Saving a practice queues its messages in the same transaction; nothing is sent inline."""
    bot.share(MEMBER)

    assert [m.status for m in bot.outbox()] == [OutboxStatus.PENDING, OutboxStatus.PENDING]
    assert bot.slack.posts() == []


def test_message_shortcut_prefills_the_form_with_the_message_and_a_link(bot: Bot) -> None:
    """The message shortcut opens the form with the message text and a link back to it."""
    bot.send(
        simulate.message_shortcut(
            ids.SHARE_MESSAGE_SHORTCUT,
            MEMBER,
            text="Our COST team meets weekly &amp; triages referrals &lt;in 48h&gt;",
            channel="CGENERAL1",
            message_ts="1700000123.000200",
        )
    )

    [opened] = bot.opened_views()
    summary = next(b for b in opened["blocks"] if b.get("block_id") == ids.SUMMARY_BLOCK)
    assert summary["element"]["initial_value"] == (
        "Our COST team meets weekly & triages referrals <in 48h>"
    )
    [update] = bot.slack.calls_to("views.update")
    assert update.params["view_id"] == "VFAKE"
    link = next(b for b in update.params["view"]["blocks"] if b.get("block_id") == ids.LINK_BLOCK)
    assert link["element"]["initial_value"].endswith("/archives/CGENERAL1/p1700000123000200")


def test_an_expired_trigger_gets_a_polite_answer_not_an_error(bot: Bot) -> None:
    """If Slack refuses to open the modal (trigger_expired), the member sees "try again"."""
    bot.slack.fail_next("views.open", error="trigger_expired")

    response = bot.send(simulate.slash_command(ids.SHARE_COMMAND, MEMBER))

    assert response.status == 200
    assert body_json(response) == {"response_type": "ephemeral", "text": TRY_AGAIN}


def test_a_dropped_connection_while_answering_a_click_is_not_a_500(bot: Bot) -> None:
    """The ephemeral refusal cannot be delivered (Slack hung up): the click still gets 200."""
    bot.share(MEMBER)
    bot.slack.fail_next("chat.postEphemeral", drop=True)

    response = bot.click("review_approve", "1", MEMBER, REVIEW_CHANNEL)

    assert response.status == 200
