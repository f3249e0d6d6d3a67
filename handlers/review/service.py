"""What happens when something is sent for review and when a coordinator decides.

Every rule of review lives here, the same for practices and events: who may decide, which
states a decision may leave, and which Slack messages each outcome owes. A `SubmissionKind`
supplies only what differs between kinds (its rows and its Block Kit). The state change, its
audit row and those messages are committed together, so a crash can delay a message but never
lose it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers import blocks
from handlers.deps import Deps
from handlers.review import views as review_views
from handlers.review.kinds import Submission, SubmissionKind
from handlers.review.schemas import ReviewDecision, ReviewOutcome, SubmissionRef
from handlers.review.views import DecisionView
from storage import outbox_links
from storage.outbox_links import Links
from storage.repositories.outbox import NewMessage
from storage.repositories.submissions import WAITING
from storage.uow import UnitOfWork

NOT_COORDINATOR = "Only coordinators can review submissions."

_STATUS_WORDS = {
    "approved": "approved",
    "changes_requested": "sent back for changes",
    "rejected": "rejected",
    "pending": "pending",
    "cancelled": "cancelled",
    "withdrawn": "withdrawn",
}


def review_key(ref: SubmissionRef, revision: int) -> str:
    """Outbox key of the coordinators' post for one revision of a submission."""
    return outbox_links.review_post_key(ref.kind, ref.id, revision)


def published_key(ref: SubmissionRef) -> str:
    """Outbox key of the approved submission's post in its public channel."""
    return outbox_links.published_key(ref.kind, ref.id)


def send_for_review(
    uow: UnitOfWork,
    deps: Deps,
    kind: SubmissionKind[Any, Any],
    item: Submission,
    now: datetime,
    *,
    action: str,
    actor_id: str,
    receipt: dict[str, Any],
    replaces: int | None = None,
) -> None:
    """What every submission or edit sent to the coordinators does, in the caller's unit of work.

    The audit row (`submitted` or `resubmitted`), the receipt DM to the member who acted, and
    the coordinators' review post, written together (one statement on PostgreSQL).
    """
    receipt_dm = NewMessage(method="chat.postMessage", channel=actor_id, payload=receipt)
    messages = [receipt_dm, *review_messages(deps, kind, item, replaces=replaces)]
    with uow.batch():  # one statement on PostgreSQL
        uow.audit.record(
            entity_type=kind.name, entity_id=item.id, action=action, actor_id=actor_id, at=now
        )
        uow.outbox.enqueue_all(messages, now)


def review_messages(
    deps: Deps, kind: SubmissionKind[Any, Any], item: Submission, *, replaces: int | None = None
) -> list[NewMessage]:
    """The post that asks coordinators to review this revision, and the edit it owes first.

    `replaces` is the revision whose post still has review buttons because the member edited
    it while it waited; that post is rewritten to point at this one, without buttons.
    """
    settings = deps.settings
    channel = settings.ccsn_coordinator_channel
    assert channel, "require_for_serve guarantees a coordinator channel"
    ref = SubmissionRef(kind.name, item.id)
    messages = []
    if replaces is not None:
        messages.append(
            NewMessage(
                method="chat.update",
                channel=channel,
                payload=review_views.superseded_post(
                    noun=kind.noun, title=item.title, revision=item.revision
                ),
                update_of=review_key(ref, replaces),
            )
        )
    messages.append(
        NewMessage(
            method="chat.postMessage",
            channel=channel,
            payload=kind.review_post(item, settings),
            key=review_key(ref, item.revision),
        )
    )
    return messages


def already_decided(kind: SubmissionKind[Any, Any], item: Submission) -> str:
    """The answer for a coordinator who clicked after someone else decided."""
    by = f" by <@{item.decided_by}>" if item.decided_by else ""
    status = _STATUS_WORDS.get(str(item.status), str(item.status))
    return f"This {kind.noun} was already {status}{by}."


def edited_since(kind: SubmissionKind[Any, Any]) -> str:
    """The answer for a coordinator whose decision was on a revision the member has replaced."""
    return f"This {kind.noun} was edited since; please review the newer version."


def check_can_review(
    deps: Deps, actor_id: str, kind: SubmissionKind[Any, Any], item_id: int
) -> tuple[ReviewOutcome, str]:
    """Whether `actor_id` may decide on this submission now (before opening a modal).

    Returns the outcome and, when it is accepted, the submission's title for the modal.
    """
    if not deps.settings.is_coordinator(actor_id):
        return ReviewOutcome(False, NOT_COORDINATOR), ""
    with deps.uow() as uow:
        item = kind.load(uow, item_id)
        if item is None:
            return ReviewOutcome(False, f"That {kind.noun} no longer exists."), ""
        if str(item.status) != "pending":
            return ReviewOutcome(False, already_decided(kind, item)), ""
        return ReviewOutcome(True), item.title


def decide(
    deps: Deps,
    *,
    actor_id: str,
    kind: SubmissionKind[Any, Any],
    item_id: int,
    decision: ReviewDecision,
    revision: int,
    reason: str | None = None,
) -> ReviewOutcome:
    """Apply a coordinator's decision; exactly one of several racing decisions wins.

    `revision` is the edit the coordinator was looking at: if the member has resubmitted
    since, the decision is refused rather than applied to text nobody reviewed.

    Authorisation comes from settings and the acting user Slack vouched for, never from the
    payload's values or metadata.
    """
    if not deps.settings.is_coordinator(actor_id):
        return ReviewOutcome(False, NOT_COORDINATOR)
    if decision.needs_reason and not (reason and reason.strip()):
        return ReviewOutcome(False, "Please give the member a reason.")
    settings = deps.settings
    ref = SubmissionRef(kind.name, item_id)
    with deps.uow() as uow:
        now = deps.clock()
        item = kind.load(uow, item_id)
        if item is None:
            return ReviewOutcome(False, f"That {kind.noun} no longer exists.")
        reviewed = revision
        if item.revision != reviewed:
            return ReviewOutcome(False, edited_since(kind))
        # The UPDATE matches the revision reviewed, so an edit landing after the read above
        # makes it lose rather than approve text nobody read. From here `item` is the row as
        # that UPDATE left it (RETURNING, still locked), so the messages below describe it.
        won = kind.transition(
            uow, item_id, decision, revision=reviewed, actor_id=actor_id, at=now, reason=reason
        )
        if not won:
            if item.revision != reviewed:
                return ReviewOutcome(False, edited_since(kind))
            return ReviewOutcome(False, already_decided(kind, item))
        uow.audit.record(
            entity_type=kind.name,
            entity_id=item_id,
            action=decision.outcome,
            actor_id=actor_id,
            at=now,
            reason=reason,
        )
        # The review post now shows who decided, when and why, instead of the buttons.
        verdict = DecisionView(decision=decision, by=actor_id, at=now, reason=reason)
        uow.outbox.enqueue(
            method="chat.update",
            channel=settings.ccsn_coordinator_channel or "",
            payload=kind.review_post(item, settings, verdict),
            at=now,
            update_of=review_key(ref, item.revision),
        )
        submitter = item.submitter_id
        if decision is ReviewDecision.APPROVE:
            uow.search.index(kind.search_document(item, post_key=published_key(ref), at=now))
            # Publish, then DM the member a link to the publication once it has one.
            publication = kind.publication(item, settings)
            uow.outbox.enqueue(
                method="chat.postMessage",
                channel=publication.channel,
                payload=publication.message,
                at=now,
                key=published_key(ref),
            )
            links = Links()
            link = links.link(
                published_key(ref), review_views.LINK_LABEL, missing=review_views.NO_LINK
            )
            uow.outbox.enqueue(
                method="chat.postMessage",
                channel=submitter,
                payload=kind.approved_message(item, settings, link),
                at=now,
                links=links,
            )
        elif decision is ReviewDecision.REJECT:
            dm = kind.rejected_message(item, reason or "")
            uow.outbox.enqueue(method="chat.postMessage", channel=submitter, payload=dm, at=now)
        else:
            dm = kind.changes_message(item, reason or "")
            uow.outbox.enqueue(method="chat.postMessage", channel=submitter, payload=dm, at=now)
        uow.commit()
    return ReviewOutcome(True)


def withdraw(
    deps: Deps, *, actor_id: str, kind: SubmissionKind[Any, Any], item_id: int
) -> ReviewOutcome:
    """The member who submitted something takes it back before a coordinator decides.

    Only the submitter may (from the user Slack vouches for); a decision and a withdrawal
    racing each other are both compare-and-set on the status, so exactly one wins. The
    review post loses its buttons.
    """
    with deps.uow() as uow:
        now = deps.clock()
        item = kind.load(uow, item_id)
        if item is None:
            return ReviewOutcome(False, f"That {kind.noun} no longer exists.")
        if item.submitter_id != actor_id:
            return ReviewOutcome(
                False, f"Only the member who submitted this {kind.noun} can withdraw it."
            )
        if str(item.status) not in WAITING or not kind.withdraw(
            uow, item_id, submitter_id=actor_id, at=now
        ):
            return ReviewOutcome(False, already_decided(kind, item))
        # The revision whose post loses its buttons is the one the UPDATE withdrew, which an
        # edit racing this click may have made newer than the one read above.
        revision = item.revision
        uow.audit.record(
            entity_type=kind.name, entity_id=item_id, action="withdrawn", actor_id=actor_id, at=now
        )
        uow.outbox.enqueue(
            method="chat.update",
            channel=deps.settings.ccsn_coordinator_channel or "",
            payload=review_views.withdrawn_post(
                noun=kind.noun,
                title=item.title,
                submitter_id=actor_id,
                at=now,
                tz=deps.settings.timezone,
            ),
            at=now,
            update_of=review_key(SubmissionRef(kind.name, item_id), revision),
        )
        uow.commit()
    return ReviewOutcome(True, f"You withdrew *{blocks.escape(item.title)}*.")
