"""What happens when a practice is sent for review and when a coordinator decides.

Every rule of review lives here: who may decide, which states a decision may leave, and which
Slack messages each outcome owes. The state change, its audit row and those messages are
committed together, so a crash can delay a message but never lose it.
"""

from __future__ import annotations

from datetime import datetime

from bot.deps import Deps
from handlers.practices import ids as practice_ids
from handlers.review import views
from handlers.review.schemas import ReviewDecision, ReviewOutcome
from storage.models import Practice, PracticeStatus, SearchDocument
from storage.uow import UnitOfWork

NOT_COORDINATOR = "Only coordinators can review submissions."

_NEW_STATUS = {
    ReviewDecision.APPROVE: PracticeStatus.APPROVED,
    ReviewDecision.REQUEST_CHANGES: PracticeStatus.CHANGES_REQUESTED,
    ReviewDecision.REJECT: PracticeStatus.REJECTED,
}
_STATUS_WORDS = {
    PracticeStatus.APPROVED: "approved",
    PracticeStatus.CHANGES_REQUESTED: "sent back for changes",
    PracticeStatus.REJECTED: "rejected",
    PracticeStatus.PENDING: "pending",
}


def review_key(practice_id: int, revision: int) -> str:
    """Outbox key of the coordinators' post for one revision of a practice."""
    return f"practice:{practice_id}:review:{revision}"


def published_key(practice_id: int) -> str:
    """Outbox key of the practice's post in the practices channel."""
    return f"practice:{practice_id}:published"


def request_review(uow: UnitOfWork, deps: Deps, practice: Practice, now: datetime) -> None:
    """Queue the post that asks coordinators to review this revision."""
    channel = deps.settings.ccsn_coordinator_channel
    assert channel, "require_for_serve guarantees a coordinator channel"
    message = views.review_post(
        practice,
        practice_id=practice.id,
        submitter_id=practice.submitter_id,
        revision=practice.revision,
        tz=deps.settings.timezone,
    )
    uow.outbox.enqueue(
        method="chat.postMessage",
        channel=channel,
        payload=message,
        at=now,
        key=review_key(practice.id, practice.revision),
    )


def already_decided(practice: Practice) -> str:
    """The answer for a coordinator who clicked after someone else decided."""
    by = f" by <@{practice.decided_by}>" if practice.decided_by else ""
    return f"This practice was already {_STATUS_WORDS[practice.status]}{by}."


def check_can_review(deps: Deps, actor_id: str, practice_id: int) -> ReviewOutcome:
    """Whether `actor_id` may decide on this practice right now (before opening a modal)."""
    if not deps.settings.is_coordinator(actor_id):
        return ReviewOutcome(False, NOT_COORDINATOR)
    with deps.uow() as uow:
        practice = uow.practices.get(practice_id)
        if practice is None:
            return ReviewOutcome(False, "That practice no longer exists.")
        if practice.status is not PracticeStatus.PENDING:
            return ReviewOutcome(False, already_decided(practice))
    return ReviewOutcome(True)


def decide(
    deps: Deps,
    *,
    actor_id: str,
    practice_id: int,
    decision: ReviewDecision,
    reason: str | None = None,
) -> ReviewOutcome:
    """Apply a coordinator's decision; exactly one of several racing decisions wins.

    Authorisation comes from settings and the acting user Slack vouched for, never from the
    payload's values or metadata.
    """
    if not deps.settings.is_coordinator(actor_id):
        return ReviewOutcome(False, NOT_COORDINATOR)
    if decision.needs_reason and not (reason and reason.strip()):
        return ReviewOutcome(False, "Please give the member a reason.")
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        practice = uow.practices.get(practice_id)
        if practice is None:
            return ReviewOutcome(False, "That practice no longer exists.")
        won = uow.practices.transition(
            practice_id,
            expected=PracticeStatus.PENDING,
            to=_NEW_STATUS[decision],
            actor_id=actor_id,
            at=now,
            reason=reason,
        )
        if not won:
            return ReviewOutcome(False, already_decided(practice))
        uow.audit.record(
            entity_type="practice",
            entity_id=practice_id,
            action=_NEW_STATUS[decision].value,
            actor_id=actor_id,
            at=now,
            reason=reason,
        )
        verdict = views.DecisionView(decision=decision, by=actor_id, at=now, reason=reason)
        review_message = views.review_post(
            practice,
            practice_id=practice_id,
            submitter_id=practice.submitter_id,
            revision=practice.revision,
            tz=settings.timezone,
            decision=verdict,
        )
        uow.outbox.enqueue(
            method="chat.update",
            channel=settings.ccsn_coordinator_channel or "",
            payload=review_message,
            at=now,
            update_of=review_key(practice_id, practice.revision),
        )
        submitter = practice.submitter_id
        if decision is ReviewDecision.APPROVE:
            uow.search.index(
                SearchDocument(
                    kind="practice",
                    ref_id=practice_id,
                    title=practice.title,
                    body=practice.summary,
                    organisation=practice.organisation,
                    county=practice.county,
                    region=practice.region,
                    pillars=practice.pillars,
                    funding_streams=practice.funding_streams,
                    post_key=published_key(practice_id),
                    published_at=now,
                )
            )
            uow.outbox.enqueue(
                method="chat.postMessage",
                channel=settings.ccsn_practices_channel or "",
                payload=views.published_post(practice, submitter_id=submitter),
                at=now,
                key=published_key(practice_id),
            )
            dm = views.approved_message(practice.title)
            uow.outbox.enqueue(
                method="chat.postMessage",
                channel=submitter,
                payload=dm,
                at=now,
                permalink_of=published_key(practice_id),
            )
        elif decision is ReviewDecision.REJECT:
            dm = views.rejected_message(practice.title, reason or "")
            uow.outbox.enqueue(method="chat.postMessage", channel=submitter, payload=dm, at=now)
        else:
            dm = views.changes_message(
                practice.title,
                reason or "",
                practice_id=practice_id,
                edit_action=practice_ids.EDIT_ACTION,
            )
            uow.outbox.enqueue(method="chat.postMessage", channel=submitter, payload=dm, at=now)
        uow.commit()
    return ReviewOutcome(True)


def practice_title(deps: Deps, practice_id: int) -> str:
    """The title shown at the top of the reason modal."""
    with deps.uow() as uow:
        practice = uow.practices.get(practice_id)
        return practice.title if practice else ""
