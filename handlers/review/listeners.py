"""Bolt listeners for coordinators: Approve, Request changes, Reject (with a reason).

The same listeners review every kind of submission; the button value (`event:12`) names it.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from handlers import forms
from handlers.deps import Deps
from handlers.replies import TRY_AGAIN, for_modal, int_or_none, metadata, tell
from handlers.review import ids, registry, service, views
from handlers.review.schemas import REASON_MAX, ReviewDecision, SubmissionRef

log = logging.getLogger(__name__)

GONE = "That submission no longer exists."


def _clicked(body: dict[str, Any]) -> tuple[str, int | None]:
    """The submission a button names and the revision it showed (`practice:7@2`).

    Buttons posted before revisions were recorded carry no `@`: they check nothing extra.
    """
    value = str((body.get("actions") or [{}])[0].get("value") or "")
    ref, _, revision = value.partition("@")
    return ref, int_or_none(revision)


def register(app: App, deps: Deps) -> None:
    """Attach the review listeners."""

    @app.action(ids.APPROVE_ACTION)
    def approve(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        value, revision = _clicked(body)
        target = registry.resolve(value)
        if target is None:
            tell(client, body, GONE)
            return
        kind, item_id = target
        try:
            outcome = service.decide(
                deps,
                actor_id=body["user"]["id"],
                kind=kind,
                item_id=item_id,
                decision=ReviewDecision.APPROVE,
                revision=revision,
            )
        except SQLAlchemyError:
            log.exception("review.decide_failed")
            tell(client, body, TRY_AGAIN)
            return
        if not outcome.accepted:
            tell(client, body, outcome.message)

    def ask_reason(decision: ReviewDecision) -> Any:
        def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            value, revision = _clicked(body)
            target = registry.resolve(value)
            if target is None:
                tell(client, body, GONE)
                return
            kind, item_id = target
            try:
                outcome, title = service.check_can_review(deps, body["user"]["id"], kind, item_id)
            except SQLAlchemyError:
                log.exception("review.check_failed")
                tell(client, body, TRY_AGAIN)
                return
            if not outcome.accepted:
                tell(client, body, outcome.message)
                return
            ref = SubmissionRef(kind.name, item_id)
            client.views_open(
                trigger_id=body["trigger_id"],
                view=views.reason_modal(decision, ref, title, kind.noun, revision),
            )

        return listener

    app.action(ids.REQUEST_CHANGES_ACTION)(ask_reason(ReviewDecision.REQUEST_CHANGES))
    app.action(ids.REJECT_ACTION)(ask_reason(ReviewDecision.REJECT))

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
        target = registry.resolve(meta.get("ref") or meta.get("practice_id"))
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
