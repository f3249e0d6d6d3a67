"""Saving a member's submission or edit, for every kind: the first half of the review pipeline.

A new submission is saved as pending and sent to the coordinators; an edit of one still
waiting for review or for changes goes back to them as the next revision; an edit of one
already published is the kind's own live edit. Each is one unit of work: the compare-and-set
change, its audit row and the outbox messages it owes, committed together. A view submitted
twice (Slack retried, or the member clicked again after a slow answer) is saved once and
answered as the first was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.deps import Deps
from handlers.review import service as review
from handlers.review.kinds import SubmissionKind
from handlers.review.schemas import EditRef
from storage.repositories.submissions import PENDING, WAITING

OUT_OF_DATE = "This form is out of date; open it again."


@dataclass(frozen=True)
class SubmitResult:
    """A saved submission's id, or a refusal to show under the form's `error_block`."""

    item_id: int | None = None
    error: str | None = None


def submit(
    deps: Deps, kind: SubmissionKind[Any, Any], *, submitter_id: str, form: Any, view_id: str
) -> int | None:
    """Save a new submission as pending, thank the member, and ask coordinators to review.

    A repeat of the same view saves nothing and returns None.
    """
    with deps.uow() as uow:
        now = deps.clock()
        new = kind.new(form, submitter_id=submitter_id, now=now)
        item = kind.repository(uow).add_once(new, view_id=view_id, at=now)
        if item is None:  # a repeat of a view already saved
            return None
        review.send_for_review(
            uow,
            deps,
            kind,
            item,
            now,
            action="submitted",
            actor_id=submitter_id,
            receipt=kind.thanks_message(form, item.id),
        )
        uow.commit()
        return int(item.id)


def load_for_edit(
    deps: Deps, kind: SubmissionKind[Any, Any], *, user_id: str, item_id: int
) -> tuple[Any | None, str]:
    """The submission to prefill the edit form with, or why `user_id` cannot edit it."""
    with deps.uow() as uow:
        item = kind.load(uow, item_id)
        problem = kind.edit_problem(item, user_id, deps.settings, deps.clock())
        if problem is not None:
            return None, problem
        return item, ""


def save_edit(
    deps: Deps,
    kind: SubmissionKind[Any, Any],
    *,
    user_id: str,
    edit: EditRef,
    form: Any,
    view_id: str,
) -> SubmitResult:
    """Save an edit: back to the coordinators while it waits, or the kind's live edit after.

    The resubmission's UPDATE matches the status and revision the edit was checked against, so
    a decision landing in between makes the edit lose instead of overwriting the verdict's
    post; a form opened for review is never saved as a live edit, nor the other way round.
    """
    item_id = edit.ref.id
    with deps.uow() as uow:
        now = deps.clock()
        # A repeat of a form already saved is answered as that success was, before the checks
        # that the first save itself changed the answer to (it is now a newer revision).
        if not uow.handled_views.claim(view_id, now):
            return SubmitResult(item_id=item_id)
        item = kind.load(uow, item_id)
        problem = kind.edit_problem(item, user_id, deps.settings, now)
        if problem is not None or item is None:
            return SubmitResult(error=problem)
        if edit.live != kind.is_live(item):
            return SubmitResult(error=OUT_OF_DATE)
        if str(item.status) in WAITING:
            # Edited while still waiting for review: its review post is replaced, not left live.
            replaces = item.revision if str(item.status) == PENDING else None
            if not kind.repository(uow).resubmit(
                item_id,
                expected=str(item.status),
                revision=edit.revision,
                changes=kind.fields(form),
                at=now,
            ):
                return SubmitResult(error=OUT_OF_DATE)
            review.send_for_review(
                uow,
                deps,
                kind,
                item,
                now,
                action="resubmitted",
                actor_id=user_id,
                receipt=kind.resubmitted_message(form, item_id),
                replaces=replaces,
            )
        else:
            refused = kind.edit_live(uow, deps, item, form, user_id=user_id, edit=edit, now=now)
            if refused is not None:
                return SubmitResult(error=refused)
        uow.commit()  # even an edit that changed nothing: the view is handled
        return SubmitResult(item_id=item_id)
