"""Bolt listeners for coordinators: Approve, Request changes, Reject (with a reason)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.deps import Deps
from handlers import forms
from handlers.replies import TRY_AGAIN, int_or_none, metadata, tell
from handlers.review import ids, service, views
from handlers.review.schemas import REASON_MAX, ReviewDecision

log = logging.getLogger(__name__)


def _clicked(body: dict[str, Any]) -> tuple[str, int]:
    action = (body.get("actions") or [{}])[0]
    return body["user"]["id"], int_or_none(action.get("value")) or 0


def register(app: App, deps: Deps) -> None:
    """Attach the review listeners."""

    @app.action(ids.APPROVE_ACTION)
    def approve(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id, practice_id = _clicked(body)
        try:
            outcome = service.decide(
                deps, actor_id=user_id, practice_id=practice_id, decision=ReviewDecision.APPROVE
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
            user_id, practice_id = _clicked(body)
            try:
                outcome = service.check_can_review(deps, user_id, practice_id)
                title = service.practice_title(deps, practice_id) if outcome.accepted else ""
            except SQLAlchemyError:
                log.exception("review.check_failed")
                tell(client, body, TRY_AGAIN)
                return
            if not outcome.accepted:
                tell(client, body, outcome.message)
                return
            client.views_open(
                trigger_id=body["trigger_id"],
                view=views.reason_modal(decision, practice_id, title),
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
        if problem:
            ack(response_action="errors", errors={ids.REASON_BLOCK: problem})
            return
        try:
            outcome = service.decide(
                deps,
                actor_id=body["user"]["id"],
                practice_id=int_or_none(meta.get("practice_id")) or 0,
                decision=decision,
                reason=reason,
            )
        except SQLAlchemyError:
            log.exception("review.decide_failed")
            ack(response_action="errors", errors={ids.REASON_BLOCK: TRY_AGAIN})
            return
        if not outcome.accepted:
            ack(response_action="errors", errors={ids.REASON_BLOCK: outcome.message})
            return
        ack()
