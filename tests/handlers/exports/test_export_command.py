"""`/ccsn export`: coordinators get a CSV in their DM; everyone else is refused."""

from __future__ import annotations

from datetime import timedelta

from handlers.exports import tables
from handlers.review import ids as review_ids
from tests.conftest import COORDINATORS, MEMBER
from tests.handlers.events.helpers import announce, stored_events
from tests.handlers.exports.conftest import export, read_csv
from tests.handlers.ta.support import ask
from tests.harness import Bot

COORD = COORDINATORS[0]
COORD_DM = f"D{COORD}"


def test_a_coordinator_gets_the_practices_csv_in_their_dm(bot: Bot) -> None:
    """The answer comes at once; the file lands in the DM with every practice and its state."""
    bot.share(MEMBER, view_id="VSHARE001", title="Family resource nights")
    bot.share(MEMBER, view_id="VSHARE002", title="Homework club", credit="anonymous")
    first = bot.practices()[0].id
    bot.deliver()
    bot.click_review(review_ids.APPROVE_ACTION, COORD, kind="practice", item_id=first)

    answer = export(bot, COORD, "practices")

    assert answer["text"] == (
        "Preparing the practices export… I'll send the CSV to you in a direct message."
    )
    [upload] = bot.slack.shared_files(COORD_DM)
    assert upload.filename == "ccsn-practices-2026-11-30.csv"
    assert upload.initial_comment is not None
    assert upload.initial_comment.startswith("Here is the practices export: 2 rows.")
    rows = read_csv(upload)
    assert list(rows[0]) == tables.header("practices")
    assert [(r["title"], r["status"], r["may_name_submitter"]) for r in rows] == [
        ("Family resource nights", "approved", "yes"),
        ("Homework club", "pending", "no"),
    ]
    assert rows[0]["pillars"] == "Active family & community engagement"
    assert rows[0]["county"] == "Fresno" and rows[0]["region"] == "Central Valley"
    assert rows[0]["submitted_by"] == MEMBER and rows[0]["decided_by"] == COORD
    assert rows[0]["created_at"] == "2026-11-30 09:00"  # 17:00 UTC in the network's zone


def test_since_keeps_only_rows_created_on_or_after_that_day(bot: Bot) -> None:
    """`since 2026-12-02` starts at midnight in the network's time zone, not UTC."""
    bot.share(MEMBER, view_id="VSHARE001", title="Shared on Monday")
    bot.clock.now += timedelta(days=1, hours=14, minutes=30)  # Tue 23:30 PST = Wed 07:30 UTC
    bot.share(MEMBER, view_id="VSHARE002", title="Shared late on Tuesday")
    bot.clock.now += timedelta(hours=1)  # Wed 00:30 PST
    bot.share(MEMBER, view_id="VSHARE003", title="Shared on Wednesday")

    export(bot, COORD, "practices since 2026-12-02")

    [upload] = bot.slack.shared_files(COORD_DM)
    assert [row["title"] for row in read_csv(upload)] == ["Shared on Wednesday"]
    assert upload.filename == "ccsn-practices-since-2026-12-02-2026-12-02.csv"


def test_ta_and_events_exports_have_their_own_columns(bot: Bot) -> None:
    """TA requests export with references and topics; events with times and RSVP counts."""
    ask(bot, MEMBER)
    announce(bot)
    event = stored_events(bot)[0]

    export(bot, COORD, "ta")
    export(bot, COORD, "events")

    ta_file, events_file = bot.slack.shared_files(COORD_DM)
    [request] = read_csv(ta_file)
    assert request["reference"] == "TA-1"
    assert request["status"] == "open"
    assert request["topic"] == "Family & community engagement (incl. home languages)"
    assert request["needed_by"] == "2026-12-15"
    assert request["may_appear_in_digest"] == "no"
    [row] = read_csv(events_file)
    assert row["id"] == str(event.id)
    assert row["title"] == event.title
    assert row["starts_at"] == "2026-12-10 10:00"
    assert row["region"] == "Statewide"
    assert row["rsvps"] == "0"


def test_formula_text_is_neutralised_in_the_file(bot: Bot) -> None:
    """A title or organisation a spreadsheet would run as a formula starts with a quote."""
    bot.share(
        MEMBER,
        view_id="VSHARE001",
        title='=HYPERLINK("https://evil.example","x")',
        organisation="@SUM(A1:A9)",
        summary="-2+3 is how we started describing the family nights program.",
    )

    export(bot, COORD, "practices")

    [upload] = bot.slack.shared_files(COORD_DM)
    [row] = read_csv(upload)
    assert row["title"] == '\'=HYPERLINK("https://evil.example","x")'
    assert row["organisation"] == "'@SUM(A1:A9)"
    assert row["summary"].startswith("'-2+3 is how")


def test_members_who_are_not_coordinators_are_refused(bot: Bot) -> None:
    """A member's export is refused at once and nothing is built or uploaded."""
    bot.share(MEMBER, view_id="VSHARE001")

    answer = export(bot, MEMBER, "practices")

    assert answer["text"] == "Only coordinators can export the network's records."
    assert bot.slack.calls_to("conversations.open") == []
    assert bot.slack.calls_to("files.getUploadURLExternal") == []


def test_an_unreadable_export_answers_with_how_to_ask(bot: Bot) -> None:
    """An unknown table or a bad date gets the usage, and nothing is uploaded."""
    assert export(bot, COORD, "everything")["text"].startswith("Say what to export:")
    assert export(bot, COORD, "ta since yesterday")["text"].startswith(
        "“yesterday” is not a date; write it as YYYY-MM-DD."
    )
    assert bot.slack.calls_to("files.getUploadURLExternal") == []


def test_a_date_outside_the_covered_range_is_refused_with_the_range(bot: Bot) -> None:
    """`since 9999-12-31` or `since 0001-01-01` names the dates the hub covers; no upload."""
    for day in ("9999-12-31", "0001-01-01"):
        assert export(bot, COORD, f"ta since {day}")["text"].startswith(
            f"{day} is outside the dates the hub covers (2000-01-01 to 2999-12-31)."
        )
    assert bot.slack.calls_to("files.getUploadURLExternal") == []


def test_a_failed_upload_is_explained_where_the_command_was_typed(bot: Bot) -> None:
    """If Slack refuses the upload, the coordinator is told, only they see it, in that channel."""
    bot.slack.fail_next("files.getUploadURLExternal", error="not_allowed_token_type")

    export(bot, COORD, "practices")

    assert bot.slack.shared_files() == []
    [note] = bot.slack.calls_to("chat.postEphemeral")
    assert note.params["channel"] == "CGENERAL1"
    assert note.params["user"] == COORD
    assert note.params["text"].startswith("Sorry, I couldn't send that export just now.")
