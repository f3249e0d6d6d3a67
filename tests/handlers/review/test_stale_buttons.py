"""Buttons on a review post replaced by an edit cannot decide the edit."""

from __future__ import annotations

from handlers.review import ids
from storage.models import PracticeStatus
from tests.conftest import COORDINATORS, MEMBER
from tests.harness import Bot


def test_approve_on_the_first_post_after_a_pending_edit_is_refused(bot: Bot) -> None:
    """The member edits while pending; Approve on the old post is refused, the new one works."""
    bot.share(MEMBER)
    bot.deliver()
    old = bot.review_button(ids.APPROVE_ACTION, kind="practice", item_id=1)
    with bot.runtime.deps.uow() as uow:
        assert uow.practices.resubmit(
            1,
            expected=PracticeStatus.PENDING,
            revision=1,
            changes={"title": "Edited"},
            at=bot.clock(),
        )
        uow.commit()

    bot.press(old, COORDINATORS[0])  # a coordinator whose Slack still shows the first post

    assert bot.ephemerals(COORDINATORS[0]) == [
        "This practice was edited since; please review the newer version."
    ]
    assert bot.practices()[0].status is not PracticeStatus.APPROVED
