"""Escaping and Block Kit limits, for the largest input a member can type."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from handlers import blocks
from handlers.practices.schemas import PracticeForm
from handlers.practices.views import practice_modal, published_post, review_post, thanks_message
from handlers.review import views
from handlers.review.schemas import EditRef, ReviewDecision, SubmissionRef
from tests.harness import mrkdwn_texts


def test_escape_neutralises_slack_control_sequences() -> None:
    """`&`, `<` and `>` are escaped, ampersand first, so mentions become plain text."""
    assert blocks.escape("<!channel> & <@U1|x>") == "&lt;!channel&gt; &amp; &lt;@U1|x&gt;"
    assert blocks.escape("&lt;") == "&amp;lt;"


def test_quote_never_cuts_an_escape_in_half() -> None:
    """Truncated escaped text ends on a whole entity, within the limit."""
    quoted = blocks.quote("<" * 5000, 3000)

    assert len(quoted) <= 3000
    assert quoted.endswith("&lt;…")


def worst_case() -> PracticeForm:
    nasty = "<!channel>&" * 300
    return PracticeForm(
        title=nasty[:150],
        summary=nasty[:3000],
        pillars=["supports", "learning_time", "engagement", "leadership"],
        county="San Luis Obispo",
        organisation=nasty[:150],
        funding_streams=["ccspp", "elop", "ases", "cclc", "lcff", "title1", "fscs", "first5"],
        link="https://example.org/" + "a" * 1950,
        credit_submitter=True,
    )


def assert_within_limits(message: dict[str, object], max_blocks: int) -> None:
    assert 0 < len(str(message.get("text", "x"))) <= 40_000
    message_blocks = message["blocks"]
    assert isinstance(message_blocks, list) and len(message_blocks) <= max_blocks
    for block in message_blocks:
        for key in ("text",):
            if key in block:
                assert len(block[key]["text"]) <= (150 if block["type"] == "header" else 3000)
        for element in block.get("elements", []):
            if "text" in element:
                text = (
                    element["text"] if isinstance(element["text"], str) else element["text"]["text"]
                )
                assert len(text) <= (75 if element.get("type") == "button" else 3000)
    assert len(json.dumps(message_blocks)) < 13_000 * 2


def test_messages_stay_within_block_kit_limits_for_the_longest_input() -> None:
    """Review, publication and DMs built from maximum-length hostile input fit Slack's limits."""
    practice = worst_case()
    decided = views.DecisionView(
        ReviewDecision.REJECT, "U0COORD1", datetime(2026, 1, 1, tzinfo=UTC), "<!here>" * 300
    )
    tz = ZoneInfo("America/Los_Angeles")
    messages = [
        review_post(practice, practice_id=1, submitter_id="U1", revision=1, tz=tz),
        review_post(
            practice, practice_id=1, submitter_id="U1", revision=3, tz=tz, decision=decided
        ),
        published_post(practice, submitter_id="U1"),
        views.rejected_message(practice.title, "<!here>" * 300),
        views.changes_message(practice.title, "x" * 2000, submission_id=1, edit_action="e"),
        thanks_message(practice, 1),
    ]
    for message in messages:
        assert_within_limits(message, 50)
        for text in mrkdwn_texts(message):
            assert "<!channel>" not in text
            assert "<!here>" not in text


def test_modal_fits_view_limits_even_when_prefilled() -> None:
    """The share form, blank or prefilled, respects title, option and block limits."""
    for view in (
        practice_modal(),
        practice_modal(worst_case(), EditRef(SubmissionRef("practice", 1), 1).metadata()),
    ):
        assert len(view["title"]["text"]) <= 24
        assert len(view["submit"]["text"]) <= 24
        assert len(view["blocks"]) <= 100
        assert len(view["private_metadata"]) <= 3000
        for block in view["blocks"]:
            element = block.get("element", {})
            for option in element.get("options", []):
                assert len(option["text"]["text"]) <= 75
            assert len(element.get("initial_value", "")) <= element.get("max_length", 3000)


def test_formatting_marks_in_user_text_cannot_restyle_the_message() -> None:
    """`*`, `_`, `~` and backticks typed by a member become look-alikes, not markup."""
    escaped = blocks.escape("a *bold* _it_ ~gone~ `code`")

    assert not any(mark in escaped for mark in "*_~`")
    assert escaped == "a \u2217bold\u2217 \u02cdit\u02cd \u223cgone\u223c \u02cbcode\u02cb"
    assert blocks.escape_url("https://x.org/a_b|c") == "https://x.org/a_b%7Cc"


def markup_is_whole(text: str) -> bool:
    """Every `&` starts an entity `escape` writes, and every `<` is closed before the next.

    A `>` opening a line is mrkdwn's block quote, not markup.
    """
    if re.search(r"&(?!amp;|lt;|gt;)", text):
        return False
    text = re.sub(r"(?m)^>", "", text)
    return re.fullmatch(r"[^<>]*(<[^<>]*>[^<>]*)*", text) is not None


def test_cut_mrkdwn_never_leaves_half_an_entity_or_a_link() -> None:
    """Cut at every length, escaped text keeps whole entities and `<…>` links, within the limit."""
    piece = blocks.escape("a <b> & c ") + "<https://example.org/x?a=1&amp;b=2|the &lt;link&gt;> "
    text = piece * 4
    assert markup_is_whole(text)

    for limit in range(1, len(text) + 2):
        cut = blocks.cut_mrkdwn(text, limit)
        assert len(cut) <= limit
        assert markup_is_whole(cut), (limit, cut)
        assert cut == text or (cut.endswith("…") and text.startswith(cut[:-1]))
        assert len(cut) > limit - len(piece) or cut == text  # drops a link at most, not more


def test_a_section_of_maximum_length_hostile_text_keeps_whole_markup() -> None:
    """A section or context longer than Slack's 3,000 never ends in `&g` or an open `<`."""
    for offset in range(6):
        text = "x" * offset + blocks.escape("&<>" * 3000)
        for obj in (blocks.section(text)["text"], blocks.context(text)["elements"][0]):
            assert len(obj["text"]) <= blocks.SECTION_TEXT_MAX
            assert markup_is_whole(obj["text"]), obj["text"][-12:]
