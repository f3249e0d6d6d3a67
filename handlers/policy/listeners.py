"""Bolt listeners of policy updates' own: Follow / Unfollow, the ⋯ menu, Update status, key dates.

The form itself (`/policy-update`, its shortcut, submitting, editing) is the review
pipeline's, declared by `handlers.policy.kind.POLICY`; the Home tab's button opens it too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from handlers.deps import Deps
from handlers.policy import ids, service, views
from handlers.policy.kind import POLICY
from handlers.policy.schemas import parse_dates_form, parse_stage_form
from handlers.replies import TRY_AGAIN, int_or_none, metadata, tell
from handlers.review.listeners import open_form
from storage.models import PolicyUpdate

log = logging.getLogger(__name__)


def _action(body: dict[str, Any]) -> dict[str, Any]:
    action = (body.get("actions") or [{}])[0]
    return action if isinstance(action, dict) else {}


# The ⋯ menu's choices and the form each opens.
CHANGE_FORMS = {"stage": views.stage_modal, "dates": views.dates_modal}


def open_stage_form(
    deps: Deps,
    client: WebClient,
    trigger_id: str,
    user_id: str,
    update_id: int,
    choice: str = "stage",
) -> str | None:
    """Open Update status (or Change key dates); otherwise say why `user_id` cannot."""
    try:
        update, problem = service.load_for_stage(deps, user_id=user_id, update_id=update_id)
    except SQLAlchemyError:
        log.exception("policy.load_failed")
        return TRY_AGAIN
    if update is None:
        return problem
    view = CHANGE_FORMS[choice](update, update_id=update.id, sequence=update.sequence)
    client.views_open(trigger_id=trigger_id, view=view)
    return None


def register(app: App, deps: Deps) -> None:
    """Attach the policy tracker's listeners."""

    def answer_follow(following: bool) -> Any:
        def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            update_id = int_or_none(_action(body).get("value")) or 0
            try:
                reply = service.set_following(
                    deps, user_id=body["user"]["id"], update_id=update_id, following=following
                )
            except SQLAlchemyError:
                log.exception("policy.follow_failed")
                reply = TRY_AGAIN
            tell(client, body, reply)

        return listener

    app.action(ids.FOLLOW_ACTION)(answer_follow(True))
    app.action(ids.UNFOLLOW_ACTION)(answer_follow(False))

    @app.action(ids.SOURCE_ACTION)
    def source_clicked(ack: Ack) -> None:
        ack()  # a link button: Slack opens the URL itself, but still reports the click

    @app.action(ids.HOME_SHARE_ACTION)
    def share_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_form(deps, client, str(body.get("trigger_id") or ""), POLICY)

    @app.action(ids.MANAGE_ACTION)
    def manage(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        selected = _action(body).get("selected_option") or {}
        choice, _, number = str(selected.get("value") or "").partition(":")
        if choice not in CHANGE_FORMS:
            return
        problem = open_stage_form(
            deps, client, body["trigger_id"], body["user"]["id"], int_or_none(number) or 0, choice
        )
        if problem:
            tell(client, body, problem)

    def change_form(
        parse: Callable[[dict[str, Any], PolicyUpdate], object],
        save: Callable[..., service.StageResult],
        error_block: str,
        failure: str,
    ) -> Any:
        """A change form's submission: who may, field errors, then `save` (one transaction)."""

        def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
            update_id, sequence = _form_of(view)
            user_id = body["user"]["id"]
            try:
                update, problem = service.load_for_stage(deps, user_id=user_id, update_id=update_id)
                if update is None:
                    ack(response_action="errors", errors={error_block: problem})
                    return
                change = parse((view.get("state") or {}).get("values") or {}, update)
                if isinstance(change, dict):
                    ack(response_action="errors", errors=change)
                    return
                result = save(
                    deps,
                    user_id=user_id,
                    update_id=update_id,
                    sequence=sequence,
                    change=change,
                    view_id=view["id"],
                )
            except SQLAlchemyError:
                log.exception(failure)
                ack(response_action="errors", errors={error_block: TRY_AGAIN})
                return
            if result.error:
                ack(response_action="errors", errors={error_block: result.error})
                return
            ack()

        return listener

    app.view(ids.STAGE_MODAL)(
        change_form(
            lambda values, update: parse_stage_form(values, update.update_kind),
            service.change_stage,
            ids.NEW_STAGE_BLOCK,
            "policy.stage_failed",
        )
    )
    app.view(ids.DATES_MODAL)(
        change_form(
            lambda values, update: parse_dates_form(values, deps.clock(), update.key_dates),
            service.change_dates,
            ids.DATE_1_BLOCK,
            "policy.dates_failed",
        )
    )


def _form_of(view: dict[str, Any]) -> tuple[int, int | None]:
    """The update a change form is about, and the version it was opened on."""
    meta = metadata(view)
    sequence = meta.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool):
        sequence = None
    return int_or_none(meta.get("update_id")) or 0, sequence
