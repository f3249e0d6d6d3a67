"""The offline demo's transcript: six stories a newcomer can read, the same on every run."""

from __future__ import annotations

import io
import re

import pytest

from demokit.play import run_demo


@pytest.fixture(scope="module")
def transcript() -> str:
    """One run of the demo (a second or two), shared by the tests that read it."""
    out = io.StringIO()
    run_demo(out)
    return out.getvalue()


def story(transcript: str, number: int) -> str:
    """The part of the transcript under story `number`'s heading."""
    start = transcript.index(f"\n{number}. ")
    end = transcript.find(f"\n{number + 1}. ", start)
    return transcript[start : end if end != -1 else None]


def test_the_transcript_tells_six_numbered_stories_in_order(transcript: str) -> None:
    """Practice, TA request, event, TA offering, bill, digest: each under its own heading."""
    headings = re.findall(r"^(\d+)\. (.+)$", transcript, flags=re.MULTILINE)

    assert headings == [
        ("1", "A member shares a practice, and a coordinator approves it"),
        ("2", "A member asks for technical assistance; a provider claims and resolves it"),
        ("3", "A member announces an event, and another member RSVPs"),
        ("4", "A provider offers TA, and it is listed in the TA directory"),
        ("5", "A member shares a bill for the policy and funding tracker"),
        ("6", "Monday 9:00: the weekly digest it all adds up to"),
    ]


def test_a_practice_is_refused_to_its_author_and_approved_by_a_coordinator(
    transcript: str,
) -> None:
    """The member's own Approve is refused; the coordinator's publishes it and tells her."""
    practice = story(transcript, 1)

    assert "(only Maria can see it): Only coordinators can review submissions." in practice
    assert "Approved by @Dana (coordinator) Dec 01, 2026 10:00 AM PST" in practice
    assert "[chat.postMessage] #practices (post): New practice: Family resource nights" in practice
    assert "DM to Maria (post): Good news: *Family resource nights* was approved" in practice


def test_a_ta_request_is_claimed_and_resolved(transcript: str) -> None:
    """The TA post goes from open to claimed to resolved, and the member hears each step."""
    ta = story(transcript, 2)

    assert "#ta-requests (post): TA request TA-1 (Bay Area, open)" in ta
    assert "#ta-requests (edit): TA request TA-1 (Bay Area, claimed)" in ta
    assert "*Claimed* by @Priya (TA provider)" in ta
    assert "DM to Maria (post): Good news: @Priya (TA provider) picked up your TA request" in ta
    assert "#ta-requests (edit): TA request TA-1 (Bay Area, resolved)" in ta
    assert "DM to Maria (post): @Priya (TA provider) marked your TA request *TA-1*" in ta
    assert ">Shared our bilingual outreach toolkit" in ta
    assert ta.index("(Bay Area, open)") < ta.index("(Bay Area, claimed)") < ta.index("resolved)")


def test_an_approved_event_counts_the_rsvp(transcript: str) -> None:
    """The announcement starts with no RSVPs; Luis's click makes it one person going."""
    event = story(transcript, 3)

    assert "#events (post): Event: Family engagement community of practice" in event
    assert "*No RSVPs yet*" in event
    assert "(only Luis can see it): You're going to *Family engagement" in event
    assert "#events (edit)" in event
    assert "*1 person going*" in event
    assert event.index("*No RSVPs yet*") < event.index("*1 person going*")


def test_ta_is_offered_and_listed(transcript: str) -> None:
    """The provider's offering goes to review and, approved, is posted to the TA channel."""
    offering = story(transcript, 4)

    assert "opened the modal" in offering
    assert "#ta-requests (post)" in offering and "Fresno County Office of Education" in offering


def test_a_bill_is_shared_and_published_to_the_tracker(transcript: str) -> None:
    """The member's bill, approved, is posted to the policy channel with its hearing."""
    bill = story(transcript, 5)

    assert "#policy (post): Bill: Community schools coordinators" in bill
    assert "*Hearing:* Thu, Dec 10, 2026" in bill


def test_the_digest_adds_up_the_week_in_sections(transcript: str) -> None:
    """Monday's digest counts the week and lists the practice, the event, TA and the bill."""
    digest = story(transcript, 6)

    assert "#ccsn-digest (post): CCSN weekly digest · Dec 7, 2026" in digest
    assert (
        "*This week:* 1 practice shared · 1 TA request resolved · 1 event coming up"
        " · 1 TA offering listed · 1 policy deadline ahead"
    ) in digest
    assert "New practices (1)" in digest
    assert "• *Family resource nights (https://" in digest
    assert "Coming up (1)" in digest
    assert "10:00 AM PST — *Family engagement community of practice (https://" in digest


def test_messages_read_as_text_not_slack_markup(transcript: str) -> None:
    """No raw JSON, user IDs, escaped characters or date tokens reach the reader."""
    for raw in ('"type"', "{'", "<@U", "&amp;", "&lt;", "<!date", "{permalink"):
        assert raw not in transcript


def test_the_demo_prints_the_same_transcript_every_run(transcript: str) -> None:
    """Its clock is its own, so a second run (on whatever day) prints exactly the same."""
    again = io.StringIO()

    run_demo(again)

    assert again.getvalue() == transcript


def test_the_developers_settings_do_not_change_the_story(
    transcript: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A different digest schedule, time zone or TA channel in the environment is ignored."""
    monkeypatch.setenv("CCSN_DIGEST_CRON", "0 9 * * fri")
    monkeypatch.setenv("CCSN_TIMEZONE", "Europe/London")
    monkeypatch.setenv("CCSN_TA_CHANNEL", "COTHER001")
    again = io.StringIO()

    run_demo(again)

    assert again.getvalue() == transcript
