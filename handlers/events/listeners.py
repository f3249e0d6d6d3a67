"""Bolt listeners of events' own: RSVP, the announcement's ⋯ menu, and cancelling.

The form itself (`/announce-event`, its shortcut, submitting, editing) is the review
pipeline's, declared by `handlers.events.kind.EVENTS`.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from handlers import forms
from handlers.deps import Deps
from handlers.events import attendance, ids, service, views
from handlers.events.kind import EVENTS
from handlers.events.schemas import CANCEL_REASON_MAX
from handlers.replies import TRY_AGAIN, int_or_none, metadata, tell
from handlers.review.listeners import open_edit_form

log = logging.getLogger(__name__)


def _action(body: dict[str, Any]) -> dict[str, Any]:
    action = (body.get("actions") or [{}])[0]
    return action if isinstance(action, dict) else {}


def open_cancel_form(
    deps: Deps, client: WebClient, trigger_id: str, user_id: str, event_id: int
) -> str | None:
    """Open the cancel confirmation; otherwise say why `user_id` cannot cancel the event."""
    try:
        event, problem = service.load_for_cancel(deps, user_id=user_id, event_id=event_id)
    except SQLAlchemyError:
        log.exception("event.load_failed")
        return TRY_AGAIN
    if event is None:
        return problem
    client.views_open(trigger_id=trigger_id, view=views.cancel_modal(event.id, event.title))
    return None


def register(app: App, deps: Deps) -> None:
    """Attach the events listeners."""

    def answer_rsvp(going: bool, *, rewrite: bool = False) -> Any:
        def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            event_id = int_or_none(_action(body).get("value")) or 0
            try:
                reply = attendance.set_rsvp(
                    deps,
                    user_id=body["user"]["id"],
                    event_id=event_id,
                    going=going,
                    rewrite=rewrite,
                )
            except SQLAlchemyError:
                log.exception("event.rsvp_failed")
                reply = TRY_AGAIN
            tell(client, body, reply)

        return listener

    app.action(ids.RSVP_GOING_ACTION)(answer_rsvp(True))
    app.action(ids.RSVP_NOT_GOING_ACTION)(answer_rsvp(False))
    # An old post's RSVP button means "going" (never a toggle a replay could undo); the post
    # is rewritten with the Going / Not going buttons.
    app.action(ids.RSVP_ACTION)(answer_rsvp(True, rewrite=True))

    def link_clicked(ack: Ack) -> None:
        ack()  # a link button: Slack opens the URL itself, but still reports the click

    for link_action in (ids.JOIN_ACTION, ids.REGISTER_ACTION, ids.CALENDAR_ACTION):
        app.action(link_action)(link_clicked)

    def open_edit(body: dict[str, Any], client: WebClient, event_id: int) -> None:
        user_id = body["user"]["id"]
        problem = open_edit_form(deps, client, body["trigger_id"], user_id, EVENTS, event_id)
        if problem:
            tell(client, body, problem)

    def open_cancel(body: dict[str, Any], client: WebClient, event_id: int) -> None:
        problem = open_cancel_form(deps, client, body["trigger_id"], body["user"]["id"], event_id)
        if problem:
            tell(client, body, problem)

    @app.action(ids.MANAGE_ACTION)
    def manage(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        selected = _action(body).get("selected_option") or {}
        choice, _, number = str(selected.get("value") or "").partition(":")
        event_id = int_or_none(number) or 0
        if choice == "edit":
            open_edit(body, client, event_id)
        elif choice == "cancel":
            open_cancel(body, client, event_id)

    @app.view(ids.CANCEL_MODAL)
    def cancel(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = (view.get("state") or {}).get("values") or {}
        reason = forms.text_value(values, ids.CANCEL_REASON_BLOCK, ids.CANCEL_REASON_INPUT)
        if len(reason) > CANCEL_REASON_MAX:
            message = f"Please keep this under {CANCEL_REASON_MAX} characters."
            ack(response_action="errors", errors={ids.CANCEL_REASON_BLOCK: message})
            return
        try:
            result = service.cancel_event(
                deps,
                user_id=body["user"]["id"],
                event_id=int_or_none(metadata(view).get("event_id")) or 0,
                reason=reason or None,
                view_id=view["id"],
            )
        except SQLAlchemyError:
            log.exception("event.cancel_failed")
            ack(response_action="errors", errors={ids.CANCEL_REASON_BLOCK: TRY_AGAIN})
            return
        if result.error:
            ack(response_action="errors", errors={ids.CANCEL_REASON_BLOCK: result.error})
            return
        ack()
