"""Sharing a practice: saving a member's submission or edit and sending it for review."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.deps import Deps
from handlers.practices import ids, views
from handlers.practices.reviewable import PRACTICES
from handlers.practices.schemas import PracticeForm
from handlers.review import service as review
from storage.models import Practice, PracticeStatus


@dataclass(frozen=True)
class SubmitResult:
    """A saved practice id, or a message for the form's `block_id` when it was refused."""

    practice_id: int | None = None
    error_block: str | None = None
    error: str | None = None


def _fields(form: PracticeForm) -> dict[str, object]:
    return {
        "title": form.title,
        "summary": form.summary,
        "pillars": form.pillars,
        "county": form.county,
        "region": form.region,
        "organisation": form.organisation,
        "funding_streams": form.funding_streams,
        "link": form.link,
        "credit_submitter": form.credit_submitter,
    }


def submit_practice(
    deps: Deps, *, submitter_id: str, form: PracticeForm, view_id: str
) -> int | None:
    """Save a new practice as pending, thank the member, and ask coordinators to review.

    A view submitted twice (the member retried after a slow answer) saves one practice; the
    repeat returns None.
    """
    with deps.uow() as uow:
        now = deps.clock()
        if not uow.handled_views.claim(view_id, now):
            return None
        practice = uow.practices.add(
            Practice(
                status=PracticeStatus.PENDING,
                submitter_id=submitter_id,
                revision=1,
                created_at=now,
                submitted_at=now,
                **_fields(form),
            )
        )
        review.send_for_review(
            uow,
            deps,
            PRACTICES,
            practice,
            now,
            action="submitted",
            actor_id=submitter_id,
            receipt=views.thanks_message(form, practice.id),
        )
        uow.commit()
        return practice.id


EDITABLE = (PracticeStatus.PENDING, PracticeStatus.CHANGES_REQUESTED)


def can_edit(practice: Practice | None, user_id: str) -> str | None:
    """Why `user_id` may not edit this practice now, or None when they may.

    The member may edit while it waits for review (the edit replaces what coordinators see)
    or for their changes; once decided or withdrawn it is final.
    """
    if practice is None:
        return "That practice no longer exists."
    if practice.submitter_id != user_id:
        return "Only the member who shared this practice can edit it."
    if practice.status not in EDITABLE:
        return "This practice is not waiting for review or changes any more."
    return None


def load_for_edit(deps: Deps, *, user_id: str, practice_id: int) -> tuple[Practice | None, str]:
    """The practice to prefill the edit form with, or why it cannot be edited."""
    with deps.uow() as uow:
        practice = uow.practices.get(practice_id)
        problem = can_edit(practice, user_id)
        if problem is not None:
            return None, problem
        return practice, ""


def resubmit_practice(
    deps: Deps,
    *,
    submitter_id: str,
    practice_id: int,
    revision: int,
    form: PracticeForm,
    view_id: str,
) -> SubmitResult:
    """Save a member's edit and send it back to the coordinators as a new revision."""
    with deps.uow() as uow:
        now = deps.clock()
        # A repeat of a submission already saved is answered as that success was, before any
        # check that the first submission itself changed the answer to.
        if not uow.handled_views.claim(view_id, now):
            return SubmitResult(practice_id=practice_id)
        practice = uow.practices.get(practice_id)
        problem = can_edit(practice, submitter_id)
        if problem is not None or practice is None:
            return SubmitResult(error_block=ids.TITLE_BLOCK, error=problem)
        # Edited while still waiting for review: its review post is replaced, not left live.
        # The UPDATE matches the status read here, so a decision landing in between makes this
        # edit lose instead of overwriting the verdict's post.
        replaces = practice.revision if practice.status is PracticeStatus.PENDING else None
        if not uow.practices.resubmit(
            practice_id,
            expected=practice.status,
            revision=revision,
            changes=_fields(form),
            at=now,
        ):
            return SubmitResult(
                error_block=ids.TITLE_BLOCK, error="This form is out of date; open it again."
            )
        review.send_for_review(
            uow,
            deps,
            PRACTICES,
            practice,
            now,
            action="resubmitted",
            actor_id=submitter_id,
            receipt=views.resubmitted_message(form, practice_id),
            replaces=replaces,
        )
        uow.commit()
        return SubmitResult(practice_id=practice_id)
