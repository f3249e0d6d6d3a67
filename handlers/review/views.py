"""Block Kit for review of any kind: the coordinators' post, the reason modal, the member's DMs.

Pure functions; each kind supplies the details of its own submissions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers import blocks
from handlers.review import ids
from handlers.review.schemas import REASON_MAX, ReviewDecision, SubmissionRef

# The link to a publication in the member's DM, and what it says when Slack gives no link.
LINK_LABEL = "see it here"
NO_LINK = "look for it in the channel (Slack could not give me a link to it)"

_DONE = {
    ReviewDecision.APPROVE: ":white_check_mark: Approved",
    ReviewDecision.REQUEST_CHANGES: ":pencil2: Changes requested",
    ReviewDecision.REJECT: ":no_entry_sign: Rejected",
}


@dataclass(frozen=True)
class DecisionView:
    """A decision as shown on the review post."""

    decision: ReviewDecision
    by: str
    at: datetime
    reason: str | None


def review_post(
    *,
    heading: str,
    title: str,
    details: Sequence[blocks.Block],
    ref: SubmissionRef,
    revision: int,
    tz: ZoneInfo,
    decision: DecisionView | None = None,
) -> dict[str, Any]:
    """The post in the coordinators' channel: buttons while pending, the verdict after.

    The buttons carry `ref` and the revision shown (`event:12@2`), so one set of listeners
    reviews every kind, and a decision never lands on an edit nobody has seen.
    """
    body: list[blocks.Block] = [blocks.header(heading), *details]
    value = f"{ref}@{revision}"
    if decision is None:
        body.append(
            blocks.actions(
                blocks.button("Approve", ids.APPROVE_ACTION, value, style="primary"),
                blocks.button("Request changes", ids.REQUEST_CHANGES_ACTION, value),
                blocks.button("Reject", ids.REJECT_ACTION, value, style="danger"),
            )
        )
    else:
        decided = blocks.when(decision.at, tz)
        verdict = f"{_DONE[decision.decision]} by {blocks.user(decision.by)} {decided}"
        if decision.reason:
            verdict += f"\n>{blocks.quote(decision.reason, REASON_MAX * 5)}"
        body.append(blocks.section(verdict))
    status = heading if decision is None else _DONE[decision.decision].split(" ", 1)[1]
    text = f"{status}: {blocks.escape(title)}"
    return {"text": text, "blocks": body}


def withdrawn_post(
    *, noun: str, title: str, submitter_id: str, at: datetime, tz: ZoneInfo
) -> dict[str, Any]:
    """The coordinators' post once the member withdrew it: no buttons, nothing to review."""
    withdrawn = f"Withdrawn by {blocks.user(submitter_id)} {blocks.when(at, tz)}"
    verdict = f":leftwards_arrow_with_hook: {withdrawn}. Nothing to review."
    return {
        "text": f"Withdrawn: {blocks.escape(title)}",
        "blocks": [
            blocks.header(f"Withdrawn {noun}"),
            blocks.section(f"*{blocks.escape(title)}*"),
            blocks.section(verdict),
        ],
    }


def superseded_post(*, noun: str, title: str, revision: int) -> dict[str, Any]:
    """A review post the member replaced with an edit before anyone decided on it."""
    return {
        "text": f"Replaced by edit {revision}: {blocks.escape(title)}",
        "blocks": [
            blocks.header(f"{noun.capitalize()} edited before review"),
            blocks.section(
                f"*{blocks.escape(title)}*\n:pencil2: The member edited this {noun} while it "
                f"waited for review; edit {revision} is posted below for review instead."
            ),
        ],
    }


def reason_modal(
    decision: ReviewDecision, ref: SubmissionRef, title: str, noun: str, revision: int
) -> dict[str, Any]:
    """The modal asking a coordinator why, for Reject and Request changes."""
    rejecting = decision is ReviewDecision.REJECT
    label = "Why is it not right for the network?" if rejecting else "What should change?"
    return {
        "type": "modal",
        "callback_id": ids.REASON_MODAL,
        "title": blocks.plain(f"Reject {noun}" if rejecting else "Request changes", 24),
        "submit": blocks.plain("Reject" if rejecting else "Send to member", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps(
            {"ref": str(ref), "decision": decision.value, "revision": revision}
        ),
        "blocks": [
            blocks.section(f"*{blocks.escape(title)}*"),
            blocks.input_block(
                ids.REASON_BLOCK,
                label,
                blocks.text_input(ids.REASON_INPUT, REASON_MAX, multiline=True),
                hint="The member sees this in a direct message.",
            ),
        ],
    }


def approved_message(title: str, link: str) -> dict[str, Any]:
    """The DM telling a member their submission is live, with `link` (mrkdwn) to the post."""
    text = f"Good news: *{blocks.escape(title)}* was approved and is now published: {link}"
    return {"text": text, "blocks": [blocks.section(text)]}


def rejected_message(title: str, reason: str) -> dict[str, Any]:
    """The DM telling a member why their submission was not published."""
    text = (
        f"Thank you for sharing *{blocks.escape(title)}*. A coordinator decided not to publish "
        f"it:\n>{blocks.quote(reason, REASON_MAX * 5)}"
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def changes_message(
    title: str, reason: str, *, submission_id: int, edit_action: str
) -> dict[str, Any]:
    """The DM asking for changes, with the button that reopens the kind's form."""
    text = (
        f"A coordinator asked for changes to *{blocks.escape(title)}* before publishing it:\n"
        f">{blocks.quote(reason, REASON_MAX * 5)}"
    )
    return {
        "text": text,
        "blocks": [
            blocks.section(text),
            blocks.actions(
                blocks.button("Edit and resubmit", edit_action, str(submission_id), style="primary")
            ),
        ],
    }
