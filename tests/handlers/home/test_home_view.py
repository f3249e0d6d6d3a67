"""The Home tab as members and coordinators see it, however much they have shared."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_sdk.models.views import View

from demokit import simulate
from handlers.home import ids
from handlers.review import ids as review_ids
from storage.models import Event, EventStatus, Practice, PracticeStatus, TaRequest, TaStatus
from tests.conftest import COORDINATORS, MEMBER, REVIEW_CHANNEL
from tests.handlers.events.helpers import STARTS, announce, announced, stored_events
from tests.handlers.home.conftest import buttons, open_home, published, section_after, texts
from tests.handlers.ta.support import ask
from tests.harness import Bot

COORD = COORDINATORS[0]
OTHER = "UOTHER001"


def test_a_member_sees_the_three_ways_to_contribute(bot: Bot) -> None:
    """Share a practice, Request TA and Announce an event are the first buttons."""
    view = open_home(bot, MEMBER)

    assert view["type"] == "home"
    assert buttons(view)[:3] == [
        ("Share a practice", ids.SHARE_ACTION, "open"),
        ("Request TA", ids.REQUEST_TA_ACTION, "open"),
        ("Announce an event", ids.ANNOUNCE_ACTION, "open"),
    ]
    assert "Review queue" not in texts(view)
    assert "Nothing yet." in texts(view)


def test_a_member_sees_their_own_items_with_status_and_allowed_actions(bot: Bot) -> None:
    """Newest first; pending can be edited or withdrawn, open TA cancelled, approved nothing."""
    bot.share(MEMBER, view_id="VSHARE001", title="Published practice")
    bot.deliver()
    bot.click_review(
        review_ids.APPROVE_ACTION, COORD, kind="practice", item_id=bot.practices()[0].id
    )
    bot.clock.advance(minutes=1)
    ask(bot, MEMBER)
    bot.clock.advance(minutes=1)
    announce(bot, view_id="VEVENT001")
    bot.clock.advance(minutes=1)
    bot.share(MEMBER, view_id="VSHARE002", title="Pending practice")
    bot.share(OTHER, view_id="VSHARE003", title="Someone else's practice")
    event_id = stored_events(bot)[0].id
    pending_id = bot.practices()[1].id

    view = open_home(bot, MEMBER)

    mine = section_after(view, "Your submissions and requests")
    lines = [b["text"]["text"] for b in mine if b["type"] == "section"]
    assert [line.split("\n")[0] for line in lines] == [
        "*Pending practice*",
        "*Family engagement community of practice*",
        "*TA-1: Family &amp; community engagement (incl. home languages)*",
        "*Published practice*",
    ]
    assert (
        "Practice · :hourglass_flowing_sand: Waiting for review · shared Nov 30, 2026" in (lines[0])
    )
    assert "Event on Dec 10, 2026 · :hourglass_flowing_sand: Waiting for review" in lines[1]
    assert (
        "TA request · :large_green_circle: Open: waiting for a provider · needed by" in (lines[2])
    )
    assert ":white_check_mark: Published" in lines[3]
    assert [b for b in buttons(view) if b[1] != ids.RSVP_ACTION][6:] == [
        ("Edit practice", ids.EDIT_ACTION, f"practice:{pending_id}"),
        ("Withdraw", ids.WITHDRAW_ACTION, f"practice:{pending_id}"),
        ("Edit event", ids.EDIT_ACTION, f"event:{event_id}"),
        ("Withdraw", ids.WITHDRAW_ACTION, f"event:{event_id}"),
        ("Cancel request", ids.CANCEL_TA_ACTION, "1"),
        ("Subscribe", ids.SUBSCRIPTION_ACTION, "subscribe"),
    ]
    assert "Someone else" not in texts(view)


def test_changes_requested_offers_edit_and_resubmit(bot: Bot) -> None:
    """A practice sent back for changes shows Edit and resubmit, as the DM does."""
    bot.share(MEMBER)
    practice_id = bot.practices()[0].id
    bot.deliver()
    bot.click_review(review_ids.REQUEST_CHANGES_ACTION, COORD, kind="practice", item_id=practice_id)
    bot.give_reason(COORD, "Add outcomes")

    view = open_home(bot, MEMBER)

    assert ":pencil2: Changes requested" in texts(view)
    assert ("Edit and resubmit", ids.EDIT_ACTION, f"practice:{practice_id}") in buttons(view)


def test_upcoming_events_show_the_members_rsvp(bot: Bot) -> None:
    """Announced events list soonest first, with the count and whether the member is going."""
    later = announced(bot, starts_at=STARTS + timedelta(days=7), title="Later summit")
    sooner = announced(bot, title="Sooner webinar")
    bot.click("event_rsvp_going", str(sooner.id), MEMBER, "CEVENTS01")

    view = open_home(bot, MEMBER)

    events = section_after(view, "Upcoming events")
    assert [b["text"]["text"].split("\n")[0] for b in events] == [
        "*Sooner webinar*",
        "*Later summit*",
    ]
    assert "1 person going · *You're going*" in events[0]["text"]["text"]
    assert events[0]["accessory"]["text"]["text"] == "Cancel RSVP"
    assert events[1]["accessory"]["text"]["text"] == "RSVP"
    assert events[1]["accessory"]["value"] == f"going:{later.id}"  # says what a click does


def test_a_subscriber_sees_their_filters_and_can_change_or_stop(bot: Bot) -> None:
    """The personal digest section names the filters, with Change filters and Unsubscribe."""
    with bot.runtime.deps.uow() as uow:
        uow.digest_subscriptions.save(
            MEMBER, regions=["Bay Area"], pillars=[], ta_topics=[], at=bot.clock()
        )
        uow.commit()

    view = open_home(bot, MEMBER)

    digest = section_after(view, "Your personal digest")
    assert "Bay Area · all pillars · all TA topics" in digest[0]["text"]["text"]
    assert buttons(view)[-2:] == [
        ("Change filters", ids.SUBSCRIPTION_ACTION, "edit"),
        ("Unsubscribe", ids.UNSUBSCRIBE_ACTION, "unsubscribe"),
    ]


def test_a_coordinator_also_sees_the_review_queue_with_counts_and_oldest_age(bot: Bot) -> None:
    """Pending practices and events and unclaimed TA requests, each with its oldest wait."""
    bot.share(MEMBER, view_id="VSHARE001")
    bot.clock.advance(days=3)
    bot.share(OTHER, view_id="VSHARE002")
    ask(bot, MEMBER)
    bot.clock.advance(hours=5)

    view = open_home(bot, COORD)

    [queue, where] = section_after(view, "Review queue")
    assert queue["text"]["text"].split("\n") == [
        "• *2* practices waiting for review, the oldest for 3 days",
        "• No events waiting for review",
        "• *1* TA request nobody has claimed, the oldest for 5 hours",
    ]
    assert f"<#{REVIEW_CHANNEL}>" in where["elements"][0]["text"]
    assert "Review queue" not in texts(open_home(bot, MEMBER))


def _many(bot: Bot, practices: int, events: int, requests: int, upcoming: int) -> None:
    """Store a member's history directly: hundreds of items, the newest interleaved by kind."""
    start = bot.clock() - timedelta(days=400)
    common: dict[str, Any] = {"submitter_id": MEMBER, "revision": 1}
    with bot.runtime.deps.uow() as uow:
        rows: list[Any] = []
        for n in range(practices):
            at = start + timedelta(minutes=3 * n)
            rows.append(
                Practice(
                    **common,
                    status=PracticeStatus.PENDING if n % 2 else PracticeStatus.APPROVED,
                    title=f"Practice number {n}",
                    summary="A summary long enough to be real.",
                    pillars=["engagement"],
                    county="Fresno",
                    region="Central Valley",
                    organisation="Roosevelt High School",
                    funding_streams=[],
                    link=None,
                    credit_submitter=True,
                    created_at=at,
                    submitted_at=at,
                )
            )
        for n in range(events + upcoming):
            at = start + timedelta(minutes=3 * (practices - events - upcoming + n) + 1)
            starts = STARTS + timedelta(hours=n)
            rows.append(
                Event(
                    **common,
                    status=EventStatus.APPROVED if n >= events else EventStatus.PENDING,
                    title=f"Event number {n}",
                    event_type="webinar",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=1),
                    virtual_link="https://example.org/zoom",
                    host_organisation="LPI",
                    region="statewide",
                    description="About things.",
                    sequence=0,
                    created_at=at,
                    submitted_at=at,
                    updated_at=at,
                )
            )
        for n in range(requests):
            at = start + timedelta(minutes=3 * (practices - requests + n) + 2)
            rows.append(
                TaRequest(
                    status=TaStatus.OPEN,
                    requester_id=MEMBER,
                    topic="climate",
                    need="Help with restorative circles.",
                    county="Alameda",
                    region="Bay Area",
                    organisation="Hoover Elementary",
                    needed_by=(bot.clock() + timedelta(days=30)).date(),
                    format="call",
                    share_in_digest=False,
                    created_at=at,
                    opened_at=at,
                    claims=0,
                )
            )
        uow.session.add_all(rows)
        uow.commit()


def test_a_member_with_500_submissions_stays_within_slacks_limits(bot: Bot) -> None:
    """Most recent first, then a count of the rest; at most 100 blocks; a valid view."""
    _many(bot, practices=400, events=50, requests=50, upcoming=30)
    with bot.runtime.deps.uow() as uow:
        uow.digest_subscriptions.save(MEMBER, regions=[], pillars=[], ta_topics=[], at=bot.clock())
        uow.commit()

    for user in (MEMBER, COORD):
        view = open_home(bot, user)
        assert len(view["blocks"]) <= 100
        View(**view).validate_json()  # slack_sdk's checks of Block Kit limits

    view = open_home(bot, MEMBER)
    mine = section_after(view, "Your submissions and requests")
    firsts = [b["text"]["text"].split("\n")[0] for b in mine if b["type"] == "section"]
    assert firsts[:4] == [
        "*TA-50: Racially just, restorative school climate*",
        "*Event number 79*",
        "*Practice number 399*",
        "*TA-49: Racially just, restorative school climate*",
    ]
    assert len(firsts) == 20
    assert mine[-1]["elements"][0]["text"] == (
        "Showing your 20 most recent of 530; 510 older ones are not shown."
    )
    assert section_after(view, "Upcoming events")[-1]["elements"][0]["text"] == (
        "…and 22 more in the events channel."
    )
    assert "Your personal digest" in texts(view)


def test_hostile_titles_are_escaped_on_home(bot: Bot) -> None:
    """Mentions typed into a title are shown as text, pinging nobody."""
    bot.share(MEMBER, title="<!channel> & <@U999> night")

    view = open_home(bot, MEMBER)

    assert "<!channel>" not in texts(view)
    assert "*&lt;!channel&gt; &amp; &lt;@U999&gt; night*" in texts(view)


def test_opening_the_messages_tab_publishes_nothing(bot: Bot) -> None:
    """`app_home_opened` for the Messages tab is acknowledged and ignored."""
    response = bot.send(
        simulate.app_home_opened(MEMBER, "EvMSG1", tab="messages"), "application/json"
    )

    assert response.status == 200
    assert published(bot, MEMBER) == []


def test_a_failed_publish_still_answers_slack(bot: Bot) -> None:
    """If Slack refuses `views.publish`, the event still gets its 200 and nothing breaks."""
    bot.slack.fail_next("views.publish", error="not_enabled")

    response = bot.send(simulate.app_home_opened(MEMBER, "EvFAIL1"), "application/json")

    assert response.status == 200
    assert published(bot, MEMBER) == []
    assert open_home(bot, MEMBER)["type"] == "home"  # and the next opening works
