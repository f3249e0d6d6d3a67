"""Coordinator review: approve, reject, request changes, who may act, and racing decisions."""

from __future__ import annotations

import threading

import pytest
from slack_bolt import BoltResponse

from demokit import simulate
from handlers.practices import ids as practice_ids
from handlers.review import ids
from handlers.review.schemas import REASON_MAX
from storage.models import PracticeStatus
from tests.conftest import COORDINATORS, MEMBER, PRACTICES_CHANNEL, REVIEW_CHANNEL
from tests.handlers.test_blocks import markup_is_whole
from tests.harness import Bot, body_json, mrkdwn_texts

COORD, OTHER_COORD = COORDINATORS


def shared(bot: Bot, **fields: object) -> int:
    """Share a practice, deliver its messages (the review post too), and return its id."""
    bot.share(MEMBER, **fields)
    bot.deliver()
    return bot.practices()[-1].id


def click(bot: Bot, action_id: str, user: str, practice_id: int) -> BoltResponse:
    """`user` clicks a button on the practice's review post, as the bot posted it."""
    return bot.click_review(action_id, user, kind="practice", item_id=practice_id)


def decide_with_reason(
    bot: Bot, action_id: str, user: str, practice_id: int, reason: str
) -> BoltResponse:
    """`user` clicks Reject or Request changes and submits the form it opens with `reason`."""
    click(bot, action_id, user, practice_id)
    return bot.give_reason(user, reason)


def test_approve_publishes_and_tells_the_member_with_a_link(bot: Bot) -> None:
    """Approve posts to the practices channel, DMs a permalink, and marks the review post."""
    practice_id = shared(bot)

    click(bot, ids.APPROVE_ACTION, COORD, practice_id)
    bot.deliver()

    [practice] = bot.practices()
    assert practice.status is PracticeStatus.APPROVED
    assert practice.decided_by == COORD
    [published] = bot.slack.posts(PRACTICES_CHANNEL)
    assert published["text"] == "New practice: Family resource nights"
    assert f"Shared by <@{MEMBER}>" in str(published["blocks"])
    dm = bot.slack.posts(MEMBER)[-1]
    assert f"archives/{PRACTICES_CHANNEL}/p" in dm["text"]
    [update] = bot.slack.calls_to("chat.update")
    review_post = bot.slack.posts(REVIEW_CHANNEL)[0]
    assert update.params["ts"] == review_post["ts"]
    assert update.params["channel"] == REVIEW_CHANNEL
    assert f"Approved by <@{COORD}>" in str(update.params["blocks"])
    assert "actions" not in [block["type"] for block in update.params["blocks"]]
    assert [(e.action, e.actor_id) for e in bot.audit()] == [
        ("submitted", MEMBER),
        ("approved", COORD),
    ]


def test_anonymous_practice_is_published_without_the_name(bot: Bot) -> None:
    """A member who asked not to be named is not named on the published post."""
    practice_id = shared(bot, credit="anonymous")

    click(bot, ids.APPROVE_ACTION, COORD, practice_id)
    bot.deliver()

    [published] = bot.slack.posts(PRACTICES_CHANNEL)
    assert MEMBER not in str(published)
    assert "Shared by a network member" in str(published["blocks"])


def test_non_coordinator_cannot_approve(bot: Bot) -> None:
    """A member clicking Approve is told only coordinators can review; nothing changes."""
    practice_id = shared(bot)

    click(bot, ids.APPROVE_ACTION, MEMBER, practice_id)
    bot.deliver()

    assert bot.ephemerals(MEMBER) == ["Only coordinators can review submissions."]
    assert bot.practices()[0].status is PracticeStatus.PENDING
    assert bot.slack.posts(PRACTICES_CHANNEL) == []


def test_non_coordinator_cannot_open_or_submit_the_reason_form(bot: Bot) -> None:
    """Reject is refused at the click and again if the form is crafted and submitted."""
    practice_id = shared(bot)

    click(bot, ids.REJECT_ACTION, MEMBER, practice_id)
    values = {ids.REASON_BLOCK: simulate.text_state(ids.REASON_INPUT, "I say no")}
    forged = {"ref": f"practice:{practice_id}", "decision": "reject", "revision": 1}
    response = bot.submit(ids.REASON_MODAL, MEMBER, values, forged, view_id="VFORGED01")

    assert bot.ephemerals(MEMBER) == ["Only coordinators can review submissions."]
    assert [v["callback_id"] for v in bot.opened_views()] == []
    assert body_json(response)["errors"] == {
        ids.REASON_BLOCK: "Only coordinators can review submissions."
    }
    assert bot.practices()[0].status is PracticeStatus.PENDING


def test_reject_with_reason_reaches_the_member(bot: Bot) -> None:
    """Reject opens a reason form; the reason is kept and sent to the member."""
    practice_id = shared(bot)

    click(bot, ids.REJECT_ACTION, COORD, practice_id)
    [modal] = bot.opened_views()
    assert modal["callback_id"] == ids.REASON_MODAL
    response = bot.give_reason(COORD, "Duplicate of #12 <!here>")
    bot.deliver()

    assert body_json(response) == {}
    [practice] = bot.practices()
    assert practice.status is PracticeStatus.REJECTED
    assert practice.decision_reason == "Duplicate of #12 <!here>"
    dm = bot.slack.posts(MEMBER)[-1]
    assert "decided not to publish" in dm["text"]
    assert "Duplicate of #12 &lt;!here&gt;" in dm["text"]
    assert bot.slack.posts(PRACTICES_CHANNEL) == []
    assert bot.audit()[-1].reason == "Duplicate of #12 <!here>"


def test_reason_is_required(bot: Bot) -> None:
    """An empty reason is a field error and decides nothing."""
    practice_id = shared(bot)

    response = decide_with_reason(bot, ids.REJECT_ACTION, COORD, practice_id, "")

    assert ids.REASON_BLOCK in body_json(response)["errors"]
    assert bot.practices()[0].status is PracticeStatus.PENDING


def test_request_changes_then_member_edits_and_resubmits(bot: Bot) -> None:
    """The member gets the reason with an edit button; the edit goes back for review."""
    practice_id = shared(bot)
    decide_with_reason(bot, ids.REQUEST_CHANGES_ACTION, COORD, practice_id, "Add outcomes data")
    bot.deliver()

    dm = bot.slack.posts(MEMBER)[-1]
    assert "Add outcomes data" in dm["text"]
    edit_button = dm["blocks"][-1]["elements"][0]
    assert edit_button["action_id"] == practice_ids.EDIT_ACTION

    bot.press(bot.dm_button(MEMBER, practice_ids.EDIT_ACTION), MEMBER)
    _reason_form, form = bot.opened_views()
    title = next(b for b in form["blocks"] if b.get("block_id") == practice_ids.TITLE_BLOCK)
    assert title["element"]["initial_value"] == "Family resource nights"

    values = simulate.practice_values(title="Family resource nights, with outcomes")
    body = simulate.view_submission(
        practice_ids.PRACTICE_MODAL,
        MEMBER,
        values,
        view_id="VEDIT0001",
        private_metadata=form["private_metadata"],
    )
    assert body_json(bot.send(body)) == {}
    bot.deliver()

    [practice] = bot.practices()
    assert practice.status is PracticeStatus.PENDING
    assert practice.revision == 2
    assert practice.title == "Family resource nights, with outcomes"
    reviews = bot.slack.posts(REVIEW_CHANNEL)
    assert len(reviews) == 2
    assert reviews[1]["text"] == (
        "Practice to review (edit 2): Family resource nights, with outcomes"
    )
    assert [e.action for e in bot.audit()] == ["submitted", "changes_requested", "resubmitted"]


def test_only_the_submitter_can_edit(bot: Bot) -> None:
    """Someone else clicking the edit button is refused and no form opens."""
    practice_id = shared(bot)
    decide_with_reason(bot, ids.REQUEST_CHANGES_ACTION, COORD, practice_id, "Add outcomes data")
    bot.deliver()
    reason_form = bot.reason_modal()
    edit = bot.dm_button(MEMBER, practice_ids.EDIT_ACTION)

    bot.press(edit, "USTRANGER")  # a click forged from the member's DM

    assert bot.opened_views() == [reason_form]
    assert bot.ephemerals("USTRANGER") == ["Only the member who shared this practice can edit it."]


def test_second_decision_is_told_it_was_already_decided(bot: Bot) -> None:
    """After one coordinator approves, another's Reject is refused with who decided."""
    practice_id = shared(bot)
    reject = bot.review_button(ids.REJECT_ACTION, kind="practice", item_id=practice_id)
    click(bot, ids.APPROVE_ACTION, COORD, practice_id)

    bot.press(reject, OTHER_COORD)

    assert bot.ephemerals(OTHER_COORD) == [f"This practice was already approved by <@{COORD}>."]
    assert bot.opened_views() == []


def test_concurrent_approvals_publish_once(bot: Bot) -> None:
    """Two coordinators approving at the same instant: one publication, one refusal."""
    practice_id = shared(bot)
    button = bot.review_button(ids.APPROVE_ACTION, kind="practice", item_id=practice_id)
    barrier = threading.Barrier(2)

    def approve(user: str) -> None:
        barrier.wait()
        bot.press(button, user)

    threads = [threading.Thread(target=approve, args=(u,)) for u in (COORD, OTHER_COORD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.deliver()

    assert len(bot.slack.posts(PRACTICES_CHANNEL)) == 1
    assert len(bot.slack.calls_to("chat.update")) == 1
    assert [e.action for e in bot.audit()].count("approved") == 1
    refusals = bot.ephemerals(COORD) + bot.ephemerals(OTHER_COORD)
    assert len(refusals) == 1
    assert refusals[0].startswith("This practice was already approved by")


def test_a_decision_on_an_old_revision_is_refused(bot: Bot) -> None:
    """A reason form opened on the first version cannot reject the member's later edit."""
    practice_id = shared(bot)
    click(bot, ids.REJECT_ACTION, COORD, practice_id)
    [stale_form] = bot.opened_views()
    changes = "Add outcomes data"
    decide_with_reason(bot, ids.REQUEST_CHANGES_ACTION, OTHER_COORD, practice_id, changes)
    bot.deliver()
    bot.press(bot.dm_button(MEMBER, practice_ids.EDIT_ACTION), MEMBER)
    resubmission = simulate.view_submission(
        practice_ids.PRACTICE_MODAL,
        MEMBER,
        simulate.practice_values(title="With outcomes"),
        view_id="VEDIT0002",
        private_metadata=bot.opened_views()[-1]["private_metadata"],
    )
    bot.send(resubmission)

    response = bot.give_reason(COORD, "Not a fit", modal=stale_form)

    assert body_json(response)["errors"] == {
        ids.REASON_BLOCK: "This practice was edited since; please review the newer version."
    }
    [practice] = bot.practices()
    assert practice.status is PracticeStatus.PENDING
    assert practice.revision == 2


def test_review_buttons_name_the_revision_they_show(bot: Bot) -> None:
    """Each review post's buttons carry the edit number they were posted for."""
    practice_id = shared(bot)

    [review] = bot.slack.posts(REVIEW_CHANNEL)

    values = {e["value"] for e in review["blocks"][-1]["elements"]}
    assert values == {f"practice:{practice_id}@1"}


def test_a_decided_post_keeps_no_button_to_click(bot: Bot) -> None:
    """Once the approval reaches Slack, the review post offers no Approve or Reject."""
    practice_id = shared(bot)
    click(bot, ids.APPROVE_ACTION, COORD, practice_id)
    bot.deliver()

    for action in (ids.APPROVE_ACTION, ids.REQUEST_CHANGES_ACTION, ids.REJECT_ACTION):
        with pytest.raises(AssertionError, match=f"has no '{action}' button"):
            bot.review_button(action, kind="practice", item_id=practice_id)


def test_a_late_reason_form_says_who_decided_in_plain_words(bot: Bot) -> None:
    """Field errors are plain text, so the refusal there names no raw `<@U…>` mention."""
    practice_id = shared(bot)
    click(bot, ids.REJECT_ACTION, OTHER_COORD, practice_id)
    click(bot, ids.APPROVE_ACTION, COORD, practice_id)

    response = bot.give_reason(OTHER_COORD, "Too late")

    assert body_json(response)["errors"] == {
        ids.REASON_BLOCK: "This practice was already approved by someone else."
    }


def test_a_longest_hostile_reason_reaches_the_member_and_the_post_with_whole_markup(
    bot: Bot,
) -> None:
    """A 2,000-character reason of `&`s, cut at any offset, never leaves `&am…` or an open `<`."""
    title = "<!channel> &" * 12
    for offset in range(5):
        practice_id = shared(bot, view_id=f"VLONG{offset}", title=title[: 140 + offset])
        reason = "<" + "&" * (REASON_MAX - 1)
        decide_with_reason(bot, ids.REJECT_ACTION, COORD, practice_id, reason)
        bot.deliver()

        dm = bot.slack.posts(MEMBER)[-1]
        post_update = bot.slack.calls_to("chat.update")[-1].params
        for message in (dm, post_update):
            texts = mrkdwn_texts(message["blocks"])
            assert texts and all(len(text) <= 3000 for text in texts)
            assert all(markup_is_whole(text) for text in texts), [t[-12:] for t in texts]
