"""What only policy updates do after review: Follow / Unfollow, and Update status.

Submitting, reviewing and resubmitting are the review pipeline's (declared by
`handlers.policy.kind.POLICY`). Each change here is one unit of work: the compare-and-set
UPDATE (or the follower row), its audit row, the post's `chat.update` and every DM it owes,
committed together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.config import Settings
from handlers.deps import Deps
from handlers.policy import views
from handlers.policy.schemas import (
    DatesChange,
    StageChange,
    history_entry,
    key_dates_of,
)
from handlers.review.schemas import SubmissionRef
from storage import outbox_links
from storage.models import PolicyStatus, PolicyUpdate, SearchDocument
from storage.uow import UnitOfWork

KIND_NAME = views.KIND_NAME
SEARCH_KIND = views.SEARCH_KIND
GONE = "That policy update no longer exists."


def policy_enabled(settings: Settings) -> bool:
    """Updates need a channel to be posted in; until it is set, the form explains that."""
    return settings.ccsn_policy_channel is not None


def post_key(update_id: int) -> str:
    """Outbox key of the update's post in the policy channel (its publication)."""
    return outbox_links.published_key(KIND_NAME, update_id)


def search_document(update: PolicyUpdate, *, post_key: str, at: datetime) -> SearchDocument:
    """The searchable copy of a published update (kind `policy_update`).

    Title, summary, how to act and the bill number are searched; the jurisdiction reads as
    the organisation; county, region, pillars and funding streams filter.
    """
    body = "\n".join(
        part for part in (update.identifier, update.summary, update.how_to_act) if part
    )
    return SearchDocument(
        kind=SEARCH_KIND,
        ref_id=update.id,
        title=update.title,
        body=body,
        organisation=views.jurisdiction_label(update)[:150],
        county=None if update.jurisdiction == "state" else update.jurisdiction,
        region=update.region,
        pillars=list(update.pillars),
        funding_streams=list(update.funding_streams),
        post_key=post_key,
        published_at=at,
    )


def post_about(uow: UnitOfWork, update: PolicyUpdate) -> views.PostAbout:
    """What the post shows now besides the update: its followers and history."""
    return views.PostAbout(
        update_id=update.id,
        submitter_id=update.submitter_id,
        followers=uow.policy_followers.count(update.id),
        history=list(update.history or []),
    )


def update_post(uow: UnitOfWork, deps: Deps, update: PolicyUpdate, now: datetime) -> None:
    """Queue the post rewritten from the update as it now stands (edited in place).

    The post is always rewritten whole, so older rewrites still queued are dropped first.
    """
    key = post_key(update.id)
    payload = views.published_post(update, post_about(uow, update), deps.settings.timezone)
    uow.outbox.discard_superseded_updates(key, now)
    uow.outbox.enqueue(
        method="chat.update",
        channel=deps.settings.ccsn_policy_channel or "",
        payload=payload,
        at=now,
        update_of=key,
    )


def set_following(deps: Deps, *, user_id: str, update_id: int, following: bool) -> str:
    """Record that `user_id` follows the update (or not); what to tell them.

    Idempotent: the click says which state it wants, so a replayed or double-clicked request
    lands in the same state with the same answer and changes nothing the second time. The
    row is locked first, so simultaneous clicks take turns and the last count queued is true.
    """
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        update = uow.policy_updates.lock(update_id)
        if update is None:
            return GONE
        if update.status is not PolicyStatus.APPROVED:
            return "This update is not published, so it cannot be followed."
        if following:
            changed = uow.policy_followers.add(update_id, user_id, now)
        else:
            changed = uow.policy_followers.remove(update_id, user_id)
        if changed:
            uow.audit.record(
                entity_type=KIND_NAME,
                entity_id=update_id,
                action="followed" if following else "unfollowed",
                actor_id=user_id,
                at=now,
            )
            update_post(uow, deps, update, now)
        uow.commit()
        return views.follow_reply(
            update.title, following=following, reminder_days=settings.ccsn_policy_reminder_days
        )


def manage_problem(update: PolicyUpdate | None, user_id: str, settings: Settings) -> str | None:
    """Why `user_id` may not update this update's status, or None when they may.

    Its member or a coordinator, decided from settings and the user Slack vouched for.
    """
    if update is None:
        return GONE
    if update.submitter_id != user_id and not settings.is_coordinator(user_id):
        return "Only the member who shared this update or a coordinator can change its status."
    if update.status is not PolicyStatus.APPROVED:
        return "This update is not published, so there is no status to change yet."
    return None


def load_for_stage(deps: Deps, *, user_id: str, update_id: int) -> tuple[PolicyUpdate | None, str]:
    """The update to open Update status for, or why `user_id` cannot."""
    with deps.uow() as uow:
        update = uow.policy_updates.get(update_id)
        problem = manage_problem(update, user_id, deps.settings)
        if problem is not None:
            return None, problem
        return update, ""


@dataclass(frozen=True)
class StageResult:
    """A refusal for the Update status form's field, or None when it was saved."""

    error: str | None = None


OUT_OF_DATE = "This form is out of date; open Update status again."


def change_stage(
    deps: Deps,
    *,
    user_id: str,
    update_id: int,
    sequence: int | None,
    change: StageChange,
    view_id: str,
) -> StageResult:
    """Move a published update to a new stage: the post edited, one DM per follower.

    The history gets a dated line; the UPDATE matches the version the form was opened on
    (`sequence`), so of two racing changes exactly one lands and neither is lost silently.
    A replay of the same form is answered as the first save was.
    """
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        update, problem = _claim_form(uow, settings, user_id, update_id, sequence, view_id, now)
        if update is None or sequence is None:
            return StageResult(error=problem)
        if change.stage == update.stage and not change.note:
            return StageResult(error="That is its status already; choose the new one.")
        before = update.stage
        history = [*(update.history or []), history_entry(change, by=user_id, at=now)]
        if not uow.policy_updates.change_stage(
            update_id, sequence=sequence, stage=change.stage, history=history, at=now
        ):
            return StageResult(error=OUT_OF_DATE)
        reason = f"{before} -> {change.stage}" + (f": {change.note}" if change.note else "")
        notice = views.stage_changed_message(
            update, before=before, note=change.note, by=user_id, tz=settings.timezone
        )
        _publish_change(uow, deps, update, "status_changed", user_id, reason, notice, now)
        uow.commit()
        return StageResult()


def change_dates(
    deps: Deps,
    *,
    user_id: str,
    update_id: int,
    sequence: int | None,
    change: DatesChange,
    view_id: str,
) -> StageResult:
    """Give a published update new key dates: the post edited, one DM per follower.

    Reminders and `/deadlines.ics` read the stored dates, so they follow at once; a reminder
    already sent for a date that moved is not sent again for that date, but the new date gets
    its own. Same rules as Update status: who may, compare-and-set on `sequence`, replays.
    """
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        update, problem = _claim_form(uow, settings, user_id, update_id, sequence, view_id, now)
        if update is None or sequence is None:
            return StageResult(error=problem)
        before = key_dates_of(update.key_dates)
        after = key_dates_of(change.key_dates)
        if before == after:
            return StageResult(error="Those are its dates already; change one, or Cancel.")
        moved = views.dates_change_text(before, after)
        entry = history_entry(
            StageChange(stage=update.stage, note=change.note or moved), by=user_id, at=now
        )
        if not uow.policy_updates.change_dates(
            update_id,
            sequence=sequence,
            key_dates=change.key_dates,
            last_key_date=change.last_key_date,
            history=[*(update.history or []), entry],
            at=now,
        ):
            return StageResult(error=OUT_OF_DATE)
        notice = views.dates_changed_message(
            update, change=moved, note=change.note, by=user_id, tz=settings.timezone
        )
        _publish_change(uow, deps, update, "dates_changed", user_id, moved, notice, now)
        uow.commit()
        return StageResult()


def _claim_form(
    uow: UnitOfWork,
    settings: Settings,
    user_id: str,
    update_id: int,
    sequence: int | None,
    view_id: str,
    now: datetime,
) -> tuple[PolicyUpdate | None, str | None]:
    """The update a change form may save to, or why not (None and no reason for a replay)."""
    if not uow.handled_views.claim(view_id, now):
        return None, None
    update = uow.policy_updates.get(update_id)
    problem = manage_problem(update, user_id, settings)
    if problem is not None or update is None:
        return None, problem
    if sequence is None or update.sequence != sequence:
        return None, OUT_OF_DATE
    return update, None


def _publish_change(
    uow: UnitOfWork,
    deps: Deps,
    update: PolicyUpdate,
    action: str,
    actor_id: str,
    reason: str,
    notice: dict[str, object],
    now: datetime,
) -> None:
    """After a compare-and-set landed: its audit row, the post rewritten, one DM per follower."""
    uow.audit.record(
        entity_type=KIND_NAME,
        entity_id=update.id,
        action=action,
        actor_id=actor_id,
        at=now,
        reason=reason,
    )
    update_post(uow, deps, update, now)
    uow.search.index(search_document(update, post_key=post_key(update.id), at=now))
    for follower in uow.policy_followers.of(update.id):
        uow.outbox.enqueue(
            method="chat.postMessage", channel=follower.user_id, payload=dict(notice), at=now
        )


def ref(update_id: int) -> SubmissionRef:
    """The pipeline's name for an update (`policy_update:7`)."""
    return SubmissionRef(KIND_NAME, update_id)
