"""Bolt listeners of the review pipeline, the same for every kind of submission.

Members: each kind's commands and shortcuts open its form, the form is checked field by field
and saved, and the Edit (and resubmit) button reopens it filled in. Coordinators: Approve,
Request changes and Reject (with a reason); the button value (`event:12@2`) names the kind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from handlers import forms
from handlers.deps import Deps
from handlers.replies import TRY_AGAIN, for_modal, int_or_none, metadata, tell
from handlers.review import ids, service, submissions, views
from handlers.review.kinds import SubmissionKind, SubmissionKinds
from handlers.review.schemas import REASON_MAX, EditRef, ReviewDecision, SubmissionRef

log = logging.getLogger(__name__)

GONE = "That submission no longer exists."

# What a click on a review post does once its submission is known: what to tell the clicker.
ReviewClick = Callable[
    [dict[str, Any], WebClient, SubmissionKind[Any, Any], int, int | None], str | None
]


def _clicked(body: dict[str, Any]) -> tuple[str, int | None]:
    """The submission a button names and the revision it showed (`practice:7@2`).

    Buttons posted before revisions were recorded carry no `@`: they check nothing extra.
    """
    value = str((body.get("actions") or [{}])[0].get("value") or "")
    ref, _, revision = value.partition("@")
    return ref, int_or_none(revision)


def open_form(
    deps: Deps, client: WebClient, trigger_id: str, kind: SubmissionKind[Any, Any]
) -> None:
    """Open a kind's blank form (its commands, its shortcuts and App Home)."""
    client.views_open(trigger_id=trigger_id, view=kind.form_view(deps.settings))


def open_edit_form(
    deps: Deps,
    client: WebClient,
    trigger_id: str,
    user_id: str,
    kind: SubmissionKind[Any, Any],
    item_id: int,
) -> str | None:
    """Open the form filled with the submission; otherwise say why `user_id` cannot edit it."""
    try:
        item, problem = submissions.load_for_edit(deps, kind, user_id=user_id, item_id=item_id)
    except SQLAlchemyError:
        log.exception("submission.load_failed kind=%s", kind.name)
        return TRY_AGAIN
    if item is None:
        return problem
    view = kind.form_view(deps.settings, item, kind.edit_metadata(item))
    client.views_open(trigger_id=trigger_id, view=view)
    return None


def register_form(app: App, deps: Deps, kind: SubmissionKind[Any, Any]) -> None:
    """Attach one kind's form: opening it, checking and saving it, and editing it later."""

    def open_blank(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_form(deps, client, body["trigger_id"], kind)

    for command in kind.commands:
        app.command(command)(open_blank)
    for shortcut in kind.shortcuts:
        app.shortcut(shortcut)(open_blank)

    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = kind.parse((view.get("state") or {}).get("values") or {}, deps.clock())
        if isinstance(form, dict):
            ack(response_action="errors", errors=form)
            return
        user_id = body["user"]["id"]
        meta = metadata(view)
        try:
            if not meta:
                submissions.submit(deps, kind, submitter_id=user_id, form=form, view_id=view["id"])
            else:
                edit = EditRef.parse(meta)
                result = (
                    submissions.save_edit(
                        deps, kind, user_id=user_id, edit=edit, form=form, view_id=view["id"]
                    )
                    if edit is not None and edit.ref.kind == kind.name
                    else submissions.SubmitResult(error=submissions.OUT_OF_DATE)
                )
                if result.error:
                    ack(response_action="errors", errors={kind.error_block: result.error})
                    return
        except SQLAlchemyError:
            log.exception("submission.save_failed kind=%s", kind.name)
            ack(response_action="errors", errors={kind.error_block: TRY_AGAIN})
            return
        ack()

    app.view(kind.modal_id)(submit)

    def edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        item_id = int_or_none((body.get("actions") or [{}])[0].get("value")) or 0
        problem = open_edit_form(
            deps, client, body["trigger_id"], body["user"]["id"], kind, item_id
        )
        if problem:
            tell(client, body, problem)

    app.action(kind.edit_action)(edit)


def register(app: App, deps: Deps, kinds: SubmissionKinds) -> None:
    """Attach every kind's form, and the coordinators' review listeners."""
    for kind in kinds:
        register_form(app, deps, kind)

    def review_button(act: ReviewClick, failure: str) -> Any:
        """A listener for a button on a review post: the kind and id it names, then `act`.

        `act` returns what to tell the coordinator (only them), or None.
        """

        def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            value, revision = _clicked(body)
            target = kinds.resolve(value)
            if target is None:
                tell(client, body, GONE)
                return
            kind, item_id = target
            try:
                answer = act(body, client, kind, item_id, revision)
            except SQLAlchemyError:
                log.exception(failure)
                answer = TRY_AGAIN
            if answer:
                tell(client, body, answer)

        return listener

    def approve(
        body: dict[str, Any],
        client: WebClient,
        kind: SubmissionKind[Any, Any],
        item_id: int,
        revision: int | None,
    ) -> str | None:
        outcome = service.decide(
            deps,
            actor_id=body["user"]["id"],
            kind=kind,
            item_id=item_id,
            decision=ReviewDecision.APPROVE,
            revision=revision,
        )
        return None if outcome.accepted else outcome.message

    def ask_reason(decision: ReviewDecision) -> ReviewClick:
        def act(
            body: dict[str, Any],
            client: WebClient,
            kind: SubmissionKind[Any, Any],
            item_id: int,
            revision: int | None,
        ) -> str | None:
            outcome, title = service.check_can_review(deps, body["user"]["id"], kind, item_id)
            if not outcome.accepted:
                return outcome.message
            ref = SubmissionRef(kind.name, item_id)
            client.views_open(
                trigger_id=body["trigger_id"],
                view=views.reason_modal(decision, ref, title, kind.noun, revision),
            )
            return None

        return act

    app.action(ids.APPROVE_ACTION)(review_button(approve, "review.decide_failed"))
    for action_id, decision in (
        (ids.REQUEST_CHANGES_ACTION, ReviewDecision.REQUEST_CHANGES),
        (ids.REJECT_ACTION, ReviewDecision.REJECT),
    ):
        app.action(action_id)(review_button(ask_reason(decision), "review.check_failed"))

    @app.view(ids.REASON_MODAL)
    def decide_with_reason(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = (view.get("state") or {}).get("values") or {}
        reason = forms.text_value(values, ids.REASON_BLOCK, ids.REASON_INPUT)
        problem = forms.length_error(reason, "a reason for the member", 3, REASON_MAX)
        meta = metadata(view)
        try:
            decision = ReviewDecision(str(meta.get("decision")))
        except ValueError:
            problem = problem or "This form is out of date; click the button again."
            decision = ReviewDecision.REJECT
        # Forms opened before events existed name the practice as `practice_id`.
        target = kinds.resolve(meta.get("ref") or meta.get("practice_id"))
        if target is None:
            problem = problem or GONE
        if problem is not None or target is None:
            ack(response_action="errors", errors={ids.REASON_BLOCK: problem or GONE})
            return
        kind, item_id = target
        try:
            outcome = service.decide(
                deps,
                actor_id=body["user"]["id"],
                kind=kind,
                item_id=item_id,
                decision=decision,
                reason=reason,
                revision=int_or_none(meta.get("revision")),
            )
        except SQLAlchemyError:
            log.exception("review.decide_failed")
            ack(response_action="errors", errors={ids.REASON_BLOCK: TRY_AGAIN})
            return
        if not outcome.accepted:
            ack(response_action="errors", errors={ids.REASON_BLOCK: for_modal(outcome.message)})
            return
        ack()
