"""What the buttons on Home do: open the features' forms, withdraw, cancel, RSVP, unsubscribe."""

from __future__ import annotations

import threading

from demokit import simulate
from handlers.events import ids as event_ids
from handlers.home import ids
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from handlers.ta import ids as ta_ids
from storage.models import EventStatus, PracticeStatus, TaStatus
from tests.conftest import COORDINATORS, MEMBER, PRACTICES_CHANNEL, REVIEW_CHANNEL
from tests.handlers.events.helpers import EVENTS_CHANNEL, announce, announced, stored_events
from tests.handlers.home.conftest import buttons, click, open_home, published, texts
from tests.handlers.ta.support import TA_CHANNEL, ask, requests
from tests.harness import Bot, body_json

COORD = COORDINATORS[0]
OTHER = "UOTHER001"


def notice(bot: Bot, user: str) -> str:
    """The note at the top of the Home tab published last for `user`."""
    view = published(bot, user)[-1]
    first = view["blocks"][1]["text"]["text"]
    assert first.startswith(":information_source: "), "no notice on the tab"
    return first.removeprefix(":information_source: ")


def test_the_top_buttons_open_the_features_own_forms(bot: Bot) -> None:
    """Share a practice, Request TA and Announce an event open the same modals as the commands."""
    click(bot, ids.SHARE_ACTION, "open", MEMBER)
    click(bot, ids.REQUEST_TA_ACTION, "open", MEMBER)
    click(bot, ids.ANNOUNCE_ACTION, "open", MEMBER)

    assert [view["callback_id"] for view in bot.opened_views()] == [
        practice_ids.PRACTICE_MODAL,
        ta_ids.REQUEST_MODAL,
        event_ids.EVENT_MODAL,
    ]
    assert published(bot, MEMBER) == []  # opening a form leaves the tab as it is


def test_withdrawing_a_pending_practice_takes_it_out_of_review(bot: Bot) -> None:
    """The practice is withdrawn, audited, its review post loses its buttons, Home says so."""
    bot.share(MEMBER, title="Homework club")
    practice_id = bot.practices()[0].id
    bot.deliver()
    approve = bot.review_button(review_ids.APPROVE_ACTION, kind="practice", item_id=practice_id)

    click(bot, ids.WITHDRAW_ACTION, f"practice:{practice_id}", MEMBER)
    bot.deliver()

    [practice] = bot.practices()
    assert practice.status is PracticeStatus.WITHDRAWN
    assert [e.action for e in bot.audit()] == ["submitted", "withdrawn"]
    [update] = [c.params for c in bot.slack.calls_to("chat.update")]
    assert update["channel"] == REVIEW_CHANNEL
    assert update["text"] == "Withdrawn: Homework club"
    assert "review_approve" not in str(update["blocks"])
    assert notice(bot, MEMBER) == "You withdrew *Homework club*."
    view = published(bot, MEMBER)[-1]
    assert ":leftwards_arrow_with_hook: Withdrawn" in texts(view)
    assert not [b for b in buttons(view) if b[1] == ids.WITHDRAW_ACTION]

    bot.press(approve, COORD)  # as the post showed before Slack got the update
    assert bot.ephemerals(COORD) == [f"This practice was already withdrawn by <@{MEMBER}>."]
    bot.deliver()
    assert bot.slack.posts(PRACTICES_CHANNEL) == []


def test_only_the_submitter_can_withdraw(bot: Bot) -> None:
    """A forged click from someone else is refused on their Home; nothing changes."""
    bot.share(MEMBER)
    practice_id = bot.practices()[0].id

    click(bot, ids.WITHDRAW_ACTION, f"practice:{practice_id}", OTHER)

    assert notice(bot, OTHER) == "Only the member who submitted this practice can withdraw it."
    assert bot.practices()[0].status is PracticeStatus.PENDING
    assert [e.action for e in bot.audit()] == ["submitted"]


def test_withdrawing_after_a_decision_says_who_decided(bot: Bot) -> None:
    """A stale Withdraw button after approval is refused with the decision."""
    bot.share(MEMBER)
    practice_id = bot.practices()[0].id
    bot.deliver()
    bot.click_review(review_ids.APPROVE_ACTION, COORD, kind="practice", item_id=practice_id)

    click(bot, ids.WITHDRAW_ACTION, f"practice:{practice_id}", MEMBER)

    assert notice(bot, MEMBER) == f"This practice was already approved by <@{COORD}>."
    assert bot.practices()[0].status is PracticeStatus.APPROVED


def test_a_withdrawal_racing_an_approval_lets_exactly_one_win(bot: Bot) -> None:
    """Member and coordinator click at the same instant: one outcome, the other refused."""
    bot.share(MEMBER)
    practice_id = bot.practices()[0].id
    bot.deliver()
    button = bot.review_button(review_ids.APPROVE_ACTION, kind="practice", item_id=practice_id)
    barrier = threading.Barrier(2)

    def withdraw() -> None:
        barrier.wait()
        click(bot, ids.WITHDRAW_ACTION, f"practice:{practice_id}", MEMBER)

    def approve() -> None:
        barrier.wait()
        bot.press(button, COORD)

    threads = [threading.Thread(target=withdraw), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.deliver()

    [practice] = bot.practices()
    actions = [e.action for e in bot.audit()]
    assert actions[0] == "submitted"
    assert actions[1:] in (["approved"], ["withdrawn"])
    published_count = len(bot.slack.posts(PRACTICES_CHANNEL))
    if practice.status is PracticeStatus.APPROVED:
        assert published_count == 1
        assert notice(bot, MEMBER).startswith("This practice was already approved")
    else:
        assert practice.status is PracticeStatus.WITHDRAWN
        assert published_count == 0
        assert bot.ephemerals(COORD) == [f"This practice was already withdrawn by <@{MEMBER}>."]


def test_editing_a_pending_practice_replaces_its_review_post(bot: Bot) -> None:
    """Edit opens the filled form; saving makes edit 2 and rewrites the first review post."""
    bot.share(MEMBER, title="Homework club")
    practice_id = bot.practices()[0].id
    bot.deliver()

    click(bot, ids.EDIT_ACTION, f"practice:{practice_id}", MEMBER)
    [form] = bot.opened_views()
    title = next(b for b in form["blocks"] if b.get("block_id") == practice_ids.TITLE_BLOCK)
    assert title["element"]["initial_value"] == "Homework club"
    body = simulate.view_submission(
        practice_ids.PRACTICE_MODAL,
        MEMBER,
        simulate.practice_values(title="Homework club, with tutors"),
        view_id="VEDIT0001",
        private_metadata=form["private_metadata"],
    )
    assert body_json(bot.send(body)) == {}
    bot.deliver()

    [practice] = bot.practices()
    assert (practice.status, practice.revision) == (PracticeStatus.PENDING, 2)
    first, second = bot.slack.posts(REVIEW_CHANNEL)
    assert second["text"] == "Practice to review (edit 2): Homework club, with tutors"
    [update] = bot.slack.calls_to("chat.update")
    assert update.params["ts"] == first["ts"]
    assert update.params["text"] == "Replaced by edit 2: Homework club, with tutors"
    assert "review_approve" not in str(update.params["blocks"])


def test_editing_someone_elses_practice_is_refused_on_their_home(bot: Bot) -> None:
    """No form opens; the tab explains why."""
    bot.share(MEMBER)

    click(bot, ids.EDIT_ACTION, f"practice:{bot.practices()[0].id}", OTHER)

    assert bot.opened_views() == []
    assert notice(bot, OTHER) == "Only the member who shared this practice can edit it."


def test_a_pending_event_can_be_edited_or_withdrawn_from_home(bot: Bot) -> None:
    """Edit opens the event form for review (not live); Withdraw takes it out of review."""
    announce(bot)
    event = stored_events(bot)[0]

    click(bot, ids.EDIT_ACTION, f"event:{event.id}", MEMBER)
    [form] = bot.opened_views()
    assert form["callback_id"] == event_ids.EVENT_MODAL
    assert form["submit"]["text"] == "Submit for review"

    click(bot, ids.WITHDRAW_ACTION, f"event:{event.id}", MEMBER)

    assert stored_events(bot)[0].status is EventStatus.WITHDRAWN
    assert notice(bot, MEMBER) == f"You withdrew *{event.title}*."


def test_an_announced_event_can_be_cancelled_from_home(bot: Bot) -> None:
    """Cancel event opens the same confirmation as the announcement's menu."""
    event = announced(bot)
    view = open_home(bot, MEMBER)
    assert ("Cancel event", ids.CANCEL_EVENT_ACTION, str(event.id)) in buttons(view)

    click(bot, ids.CANCEL_EVENT_ACTION, str(event.id), MEMBER)

    assert bot.opened_views()[-1]["callback_id"] == event_ids.CANCEL_MODAL


def test_cancelling_a_ta_request_from_home(bot: Bot) -> None:
    """The request is cancelled, its TA post updated, and Home says so."""
    ask(bot, MEMBER)
    bot.deliver()
    request_id = requests(bot)[0].id

    click(bot, ids.CANCEL_TA_ACTION, str(request_id), MEMBER)
    bot.deliver()

    assert requests(bot)[0].status is TaStatus.CANCELLED
    assert notice(bot, MEMBER) == f"You cancelled TA request TA-{request_id}."
    [update] = bot.slack.calls_to("chat.update")
    assert update.params["channel"] == TA_CHANNEL
    assert ":no_entry_sign: Cancelled" in texts(published(bot, MEMBER)[-1])


def test_rsvp_from_home_sets_the_state_the_button_names(bot: Bot) -> None:
    """RSVP marks the member as going, even clicked twice; Cancel RSVP withdraws it."""
    event = announced(bot)

    for _ in range(2):  # a double click, or a replay, of the RSVP button
        click(bot, ids.RSVP_ACTION, f"going:{event.id}", OTHER)
    assert notice(bot, OTHER).startswith(f"You're going to *{event.title}*.")
    assert "*You're going*" in texts(published(bot, OTHER)[-1])
    [button] = [
        b["accessory"]
        for b in published(bot, OTHER)[-1]["blocks"]
        if b.get("accessory", {}).get("action_id") == ids.RSVP_ACTION
    ]
    assert (button["text"]["text"], button["value"]) == ("Cancel RSVP", f"not_going:{event.id}")

    click(bot, ids.RSVP_ACTION, button["value"], OTHER)
    assert notice(bot, OTHER).startswith(f"You're not going to *{event.title}*.")
    bot.deliver()
    assert EVENTS_CHANNEL in {c.params["channel"] for c in bot.slack.calls_to("chat.update")}


def test_the_digest_buttons_open_the_form_or_unsubscribe(bot: Bot) -> None:
    """Subscribe opens the personal digest form; Unsubscribe stops it and says so."""
    click(bot, ids.SUBSCRIPTION_ACTION, "subscribe", MEMBER)
    assert bot.opened_views()[-1]["callback_id"] == "digest_subscribe_modal"
    with bot.runtime.deps.uow() as uow:
        uow.digest_subscriptions.save(MEMBER, regions=[], pillars=[], ta_topics=[], at=bot.clock())
        uow.commit()

    click(bot, ids.UNSUBSCRIBE_ACTION, "unsubscribe", MEMBER)

    assert notice(bot, MEMBER) == "Done: no more personal digests."
    with bot.runtime.deps.uow() as uow:
        assert uow.digest_subscriptions.get(MEMBER) is None
    assert ("Subscribe", ids.SUBSCRIPTION_ACTION, "subscribe") in buttons(
        published(bot, MEMBER)[-1]
    )


def test_editing_a_pending_event_sends_the_next_edit_for_review(bot: Bot) -> None:
    """Saving the form opened from Home makes edit 2 and rewrites the first review post."""
    announce(bot)
    event = stored_events(bot)[0]
    bot.deliver()
    click(bot, ids.EDIT_ACTION, f"event:{event.id}", MEMBER)
    [form] = bot.opened_views()

    values = simulate.event_values(event.starts_at, event.ends_at, title="Renamed webinar")
    body = simulate.view_submission(
        event_ids.EVENT_MODAL,
        MEMBER,
        values,
        view_id="VEDITEV01",
        private_metadata=form["private_metadata"],
    )
    assert body_json(bot.send(body)) == {}
    bot.deliver()

    [stored] = stored_events(bot)
    assert (stored.status, stored.revision, stored.title) == (
        EventStatus.PENDING,
        2,
        "Renamed webinar",
    )
    first, second = bot.slack.posts(REVIEW_CHANNEL)
    assert second["text"] == "Event to review (edit 2): Renamed webinar"
    [update] = bot.slack.calls_to("chat.update")
    assert (update.params["ts"], update.params["text"]) == (
        first["ts"],
        "Replaced by edit 2: Renamed webinar",
    )
