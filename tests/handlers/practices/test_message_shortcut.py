"""**Share as a practice** on a message: the form opens with the message, then a link back to it."""

from __future__ import annotations

from typing import Any

from demokit import simulate
from handlers.practices import ids
from handlers.practices.schemas import SUMMARY_MAX
from tests.conftest import MEMBER
from tests.harness import Bot


def shortcut(bot: Bot, text: str) -> None:
    response = bot.send(
        simulate.message_shortcut(
            ids.SHARE_MESSAGE_SHORTCUT,
            MEMBER,
            text=text,
            channel="CGENERAL1",
            message_ts="1700000123.000200",
        )
    )
    assert response.status == 200


def field(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]


def test_a_long_message_fills_the_summary_up_to_its_limit(bot: Bot) -> None:
    """A message longer than the summary allows is cut to fit, so the modal still opens."""
    shortcut(bot, "Family nights " * 400)

    [opened] = bot.opened_views()
    summary = field(opened, ids.SUMMARY_BLOCK)["initial_value"]
    assert len(summary) == SUMMARY_MAX
    assert summary.startswith("Family nights Family nights")


def test_the_form_still_opens_when_the_link_cannot_be_found(bot: Bot) -> None:
    """If Slack will not give the message's permalink, the form keeps the text, without a link."""
    bot.slack.fail_next("chat.getPermalink", error="channel_not_found")

    shortcut(bot, "Our COST team meets weekly and triages referrals within 48 hours.")

    [opened] = bot.opened_views()
    assert field(opened, ids.SUMMARY_BLOCK)["initial_value"].startswith("Our COST team")
    assert "initial_value" not in field(opened, ids.LINK_BLOCK)
    assert bot.slack.calls_to("views.update") == []


def test_mentions_in_the_message_are_kept_as_plain_text(bot: Bot) -> None:
    """`<!channel>` in the message is prefilled as typed; a text input shows it literally."""
    shortcut(bot, "Thanks &lt;!channel&gt; &amp; <@U999>: attendance went up 12%.")

    [opened] = bot.opened_views()
    assert field(opened, ids.SUMMARY_BLOCK)["initial_value"] == (
        "Thanks <!channel> & <@U999>: attendance went up 12%."
    )
