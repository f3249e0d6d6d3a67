"""The demo's six stories: what a newcomer would want to see the bot do.

A practice shared and approved (its member agreed to be named, so the public library credits
her), a TA request claimed and resolved, an event announced and RSVPed to, TA offered and
listed in the directory, a bill shared for the policy tracker, and the Monday digest it all
adds up to. Every click and form is a signed request
to the bot's own endpoint; buttons are clicked with the values the bot actually posted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from demokit import simulate
from demokit.driver import Demo
from handlers.events import ids as event_ids
from handlers.library import names
from handlers.policy import ids as policy_ids
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from handlers.ta import ids as ta_ids
from handlers.ta_offerings import ids as offering_ids

MEMBER = "UMEMBER01"
NEIGHBOUR = "UMEMBER02"
COORDINATOR = "UCOORD001"
PROVIDER = "UPROVID01"
REVIEW_CHANNEL = "CREVIEW01"
PRACTICES_CHANNEL = "CPRACTICE1"
TA_CHANNEL = "CTAREQS01"
EVENTS_CHANNEL = "CEVENTS01"
DIGEST_CHANNEL = "CDIGEST01"
POLICY_CHANNEL = "CPOLICY01"
NAMES = {
    REVIEW_CHANNEL: "#ccsn-review",
    PRACTICES_CHANNEL: "#practices",
    TA_CHANNEL: "#ta-requests",
    EVENTS_CHANNEL: "#events",
    DIGEST_CHANNEL: "#ccsn-digest",
    POLICY_CHANNEL: "#policy",
    MEMBER: "Maria",
    NEIGHBOUR: "Luis",
    COORDINATOR: "Dana (coordinator)",
    PROVIDER: "Priya (TA provider)",
}
# What Slack's `users.info` answers: the library credits a member by name only if she agreed.
PROFILES = {MEMBER: "Maria Lopez"}
SETTINGS: dict[str, object] = {
    "ccsn_coordinators": COORDINATOR,
    "ccsn_coordinator_channel": REVIEW_CHANNEL,
    "ccsn_practices_channel": PRACTICES_CHANNEL,
    "ccsn_ta_channel": TA_CHANNEL,
    "ccsn_ta_providers": PROVIDER,
    "ccsn_events_channel": EVENTS_CHANNEL,
    "ccsn_digest_channel": DIGEST_CHANNEL,
    "ccsn_policy_channel": POLICY_CHANNEL,
    "ccsn_timezone": "America/Los_Angeles",  # the dates below are California's
    "ccsn_digest_cron": "0 9 * * mon",
}
# Tuesday 1 December 2026, 10:00 in California. The event is the Thursday after next; the
# digest goes out on Monday 7 December at 9:00.
WEEK_STARTS = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
EVENT_STARTS = datetime(2026, 12, 10, 18, 0, tzinfo=UTC)
DIGEST_DUE = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)
NEEDED_BY = "2026-12-15"
_APPROVE = review_ids.APPROVE_ACTION


def share_a_practice(demo: Demo) -> None:
    """A member shares a practice; a coordinator (not the member) approves it."""
    demo.transcript.story("A member shares a practice, and a coordinator approves it")
    demo.step(
        "Maria types /share-practice",
        simulate.slash_command(practice_ids.SHARE_COMMAND, MEMBER),
    )
    values = simulate.practice_values()
    demo.step(
        "Maria fills in the form and submits it",
        simulate.view_submission(practice_ids.PRACTICE_MODAL, MEMBER, values, view_id="VDEMO0001"),
    )
    demo.click("Maria tries to approve her own practice", MEMBER, REVIEW_CHANNEL, _APPROVE)
    demo.click("Dana, a coordinator, clicks Approve", COORDINATOR, REVIEW_CHANNEL, _APPROVE)
    demo.run_job(
        "The bot looks up Maria's name for the public library (she chose to be credited)",
        names.JOB,
    )


def request_ta(demo: Demo) -> None:
    """A member asks for help; a provider claims the request and resolves it with a note."""
    demo.transcript.story(
        "A member asks for technical assistance; a provider claims and resolves it"
    )
    demo.step("Maria types /request-ta", simulate.slash_command(ta_ids.REQUEST_COMMAND, MEMBER))
    values = simulate.ta_values(needed_by=NEEDED_BY)
    demo.step(
        "Maria describes what she needs and submits it",
        simulate.view_submission(ta_ids.REQUEST_MODAL, MEMBER, values, view_id="VDEMO0002"),
    )
    demo.click("Priya, a TA provider, clicks Claim", PROVIDER, TA_CHANNEL, ta_ids.CLAIM_ACTION)
    demo.click("Priya clicks Mark resolved", PROVIDER, TA_CHANNEL, ta_ids.RESOLVE_ACTION)
    note = "Shared our bilingual outreach toolkit and set up a call with two schools that use it."
    demo.step(
        "Priya writes what she did and submits it",
        simulate.view_submission(
            ta_ids.RESOLVE_MODAL,
            PROVIDER,
            {ta_ids.NOTE_BLOCK: simulate.text_state(ta_ids.NOTE_INPUT, note)},
            view_id="VDEMO0003",
            private_metadata=demo.last_modal()["private_metadata"],
        ),
    )


def announce_an_event(demo: Demo) -> None:
    """A member announces an event; once a coordinator approves it, a neighbour RSVPs."""
    demo.transcript.story("A member announces an event, and another member RSVPs")
    demo.step(
        "Maria types /announce-event",
        simulate.slash_command(event_ids.ANNOUNCE_COMMAND, MEMBER),
    )
    values = simulate.event_values(EVENT_STARTS, EVENT_STARTS + timedelta(minutes=90))
    demo.step(
        "Maria fills in the event and submits it",
        simulate.view_submission(event_ids.EVENT_MODAL, MEMBER, values, view_id="VDEMO0004"),
    )
    demo.click("Dana clicks Approve", COORDINATOR, REVIEW_CHANNEL, _APPROVE)
    demo.click(
        "Luis clicks Going on the announcement",
        NEIGHBOUR,
        EVENTS_CHANNEL,
        event_ids.RSVP_GOING_ACTION,
    )


def offer_ta(demo: Demo) -> None:
    """A provider offers TA; once a coordinator approves it, it is listed in the directory."""
    demo.transcript.story("A provider offers TA, and it is listed in the TA directory")
    demo.step(
        "Priya types /offer-ta",
        simulate.slash_command(offering_ids.OFFER_COMMAND, PROVIDER),
    )
    demo.step(
        "Priya describes what her office offers and submits it",
        simulate.view_submission(
            offering_ids.OFFER_MODAL,
            PROVIDER,
            simulate.ta_offering_values(),
            view_id="VDEMO0005",
        ),
    )
    demo.click("Dana clicks Approve", COORDINATOR, REVIEW_CHANNEL, _APPROVE)


def track_a_bill(demo: Demo) -> None:
    """A member shares a bill with a hearing ahead; a coordinator publishes it to the tracker."""
    demo.transcript.story("A member shares a bill for the policy and funding tracker")
    demo.step(
        "Maria types /policy-update",
        simulate.slash_command(policy_ids.SHARE_COMMAND, MEMBER),
    )
    demo.step(
        "Maria fills in the bill, its hearing date and how members can act",
        simulate.view_submission(
            policy_ids.POLICY_MODAL, MEMBER, simulate.policy_values(), view_id="VDEMO0006"
        ),
    )
    demo.click("Dana clicks Approve", COORDINATOR, REVIEW_CHANNEL, _APPROVE)


def weekly_digest(demo: Demo) -> None:
    """Monday 9:00 comes round and the scheduler posts the week's digest."""
    demo.transcript.story("Monday 9:00: the weekly digest it all adds up to")
    demo.scheduled(
        "The bot's scheduler posts the digest (no click needed)", DIGEST_DUE + timedelta(minutes=1)
    )


STORIES = (share_a_practice, request_ta, announce_an_event, offer_ta, track_a_bill, weekly_digest)
