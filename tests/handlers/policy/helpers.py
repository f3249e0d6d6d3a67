"""Driving the policy tracker as members and coordinators do, and reading what they see."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy import select

from demokit import simulate
from handlers import policy as policy_feature
from handlers.policy import ids
from handlers.review import ids as review_ids
from storage.models import PolicyUpdate
from tests.conftest import COORDINATORS, MEMBER
from tests.harness import Bot

POLICY_CHANNEL = "CPOLICY01"
COORD = COORDINATORS[0]
# The clock starts on Monday 30 November 2026 at 09:00 PST; the default hearing is Thursday
# 10 December 2026.


def share(
    bot: Bot, user: str = MEMBER, *, view_id: str = "VPOLICY01", **fields: Any
) -> BoltResponse:
    """A member submits the share-a-policy-update form."""
    values = simulate.policy_values(**fields)
    return bot.send(simulate.view_submission(ids.POLICY_MODAL, user, values, view_id=view_id))


def stored(bot: Bot) -> list[PolicyUpdate]:
    with bot.runtime.deps.uow() as uow:
        return list(uow.session.scalars(select(PolicyUpdate).order_by(PolicyUpdate.id)))


def published(bot: Bot, user: str = MEMBER, **fields: Any) -> PolicyUpdate:
    """An update shared, approved by a coordinator, and its post delivered."""
    share(bot, user, view_id=f"VSHAREPOL{len(stored(bot))}", **fields)
    update = stored(bot)[-1]
    bot.deliver()
    bot.click_review(review_ids.APPROVE_ACTION, COORD, kind="policy", item_id=update.id)
    bot.deliver()
    return stored(bot)[-1]


def follow(bot: Bot, update_id: int, user: str) -> BoltResponse:
    return bot.click(ids.FOLLOW_ACTION, str(update_id), user, POLICY_CHANNEL)


def unfollow(bot: Bot, update_id: int, user: str) -> BoltResponse:
    return bot.click(ids.UNFOLLOW_ACTION, str(update_id), user, POLICY_CHANNEL)


def update_status(
    bot: Bot,
    user: str,
    update_id: int,
    stage: str,
    note: str | None = None,
    *,
    view_id: str = "VSTAGE001",
) -> BoltResponse:
    """`user` picks Update status from the post's ⋯ menu and saves the form."""
    values = {
        ids.NEW_STAGE_BLOCK: simulate.select_state(ids.NEW_STAGE_INPUT, stage),
        ids.NOTE_BLOCK: simulate.text_state(ids.NOTE_INPUT, note),
    }
    return _save_from_menu(bot, user, f"stage:{update_id}", ids.STAGE_MODAL, values, view_id)


def _save_from_menu(
    bot: Bot, user: str, choice: str, callback_id: str, values: dict[str, Any], view_id: str
) -> BoltResponse:
    """Pick `choice` in the post's ⋯ menu, then submit the form it opened with `values`."""
    bot.send(simulate.overflow_click(ids.MANAGE_ACTION, choice, user, channel=POLICY_CHANNEL))
    form = bot.opened_views()[-1]
    assert form["callback_id"] == callback_id, f"the {callback_id} form did not open"
    body = simulate.view_submission(
        callback_id, user, values, view_id=view_id, private_metadata=form["private_metadata"]
    )
    return bot.send(body)


def run_reminders(bot: Bot) -> None:
    """One tick of the reminder job, as the scheduler would run it now."""
    [job] = policy_feature.jobs(bot.runtime.deps)
    job.run(bot.clock())


def post_updates(bot: Bot) -> list[dict[str, Any]]:
    """Every edit of a message in the policy channel, in order."""
    return [
        call.params
        for call in bot.slack.calls_to("chat.update")
        if call.params.get("channel") == POLICY_CHANNEL
    ]


def post_now(bot: Bot) -> dict[str, Any]:
    """The post as members see it now: its latest edit, or the post itself."""
    updates = post_updates(bot)
    return updates[-1] if updates else bot.slack.posts(POLICY_CHANNEL)[-1]


def dms(bot: Bot, user: str) -> list[str]:
    """The text of every DM a member received."""
    return [str(post["text"]) for post in bot.slack.posts(user)]


def change_dates(
    bot: Bot,
    user: str,
    update_id: int,
    key_dates: list[tuple[str, str]],
    note: str | None = None,
    *,
    view_id: str = "VDATES001",
) -> BoltResponse:
    """`user` picks Change key dates from the post's ⋯ menu and saves these dates."""
    values: dict[str, Any] = {ids.NOTE_BLOCK: simulate.text_state(ids.NOTE_INPUT, note)}
    for number, (label_block, label_input, date_block, date_input) in enumerate(ids.DATE_FIELDS):
        label, on = key_dates[number] if number < len(key_dates) else (None, None)
        values[label_block] = simulate.text_state(label_input, label)
        values[date_block] = simulate.date_state(date_input, on)
    return _save_from_menu(bot, user, f"dates:{update_id}", ids.DATES_MODAL, values, view_id)
