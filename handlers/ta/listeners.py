"""Bolt listeners for TA requests: thin; each parses, acks, and calls the service."""

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
from handlers.ta import ids, service, views
from handlers.ta.schemas import NOTE_MAX, NOTE_MIN, TaOutcome, parse_ta_form

log = logging.getLogger(__name__)


def _clicked(body: dict[str, Any]) -> tuple[str, int]:
    action = (body.get("actions") or [{}])[0]
    return body["user"]["id"], int_or_none(action.get("value")) or 0


def open_request_form(
    deps: Deps,
    client: WebClient,
    trigger_id: str,
    prefill: views.RequestPrefill | None = None,
    *,
    push: bool = False,
) -> None:
    """Open the request-TA form, or a note that TA requests are not set up yet.

    `prefill` fills it from a TA directory offering (Request from them). `push` stacks it on
    the modal that was clicked (Find TA's results), so closing or sending it returns there.
    """
    view = (
        views.request_modal(prefill)
        if deps.settings.ccsn_ta_channel
        else views.not_set_up_modal(service.NOT_SET_UP)
    )
    if push:
        client.views_push(trigger_id=trigger_id, view=view)
    else:
        client.views_open(trigger_id=trigger_id, view=view)


def register(app: App, deps: Deps) -> None:
    """Attach the TA request listeners."""

    @app.command(ids.REQUEST_COMMAND)
    def command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        if not deps.settings.ccsn_ta_channel:
            ack(text=service.NOT_SET_UP)  # shown only to the person who typed the command
            return
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=views.request_modal())

    @app.shortcut(ids.REQUEST_SHORTCUT)
    def shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_request_form(deps, client, body["trigger_id"])

    @app.view(ids.REQUEST_MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        today = deps.clock().astimezone(deps.settings.timezone).date()
        form = parse_ta_form((view.get("state") or {}).get("values") or {}, today)
        if isinstance(form, dict):
            ack(response_action="errors", errors=form)
            return
        try:
            result = service.submit_request(
                deps,
                requester_id=body["user"]["id"],
                form=form,
                view_id=view["id"],
                offering_id=int_or_none(metadata(view).get("offering_id")),
            )
        except SQLAlchemyError:
            log.exception("ta.save_failed")
            ack(response_action="errors", errors={ids.TOPIC_BLOCK: TRY_AGAIN})
            return
        if result.error:
            ack(response_action="errors", errors={ids.TOPIC_BLOCK: result.error})
            return
        ack()

    def on_click(
        name: str, act: Callable[[str, int], TaOutcome]
    ) -> Callable[[Ack, dict[str, Any], WebClient], None]:
        """A button listener that runs `act(user, request_id)` and explains any refusal."""

        def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            user_id, request_id = _clicked(body)
            try:
                outcome = act(user_id, request_id)
            except SQLAlchemyError:
                log.exception("ta.%s_failed", name)
                tell(client, body, TRY_AGAIN)
                return
            if outcome.message:
                tell(client, body, outcome.message)

        return listener

    app.action(ids.CLAIM_ACTION)(
        on_click("claim", lambda u, r: service.claim(deps, actor_id=u, request_id=r))
    )
    app.action(ids.RELEASE_ACTION)(
        on_click("release", lambda u, r: service.release(deps, actor_id=u, request_id=r))
    )
    app.action(ids.CANCEL_ACTION)(
        on_click("cancel", lambda u, r: service.cancel(deps, actor_id=u, request_id=r))
    )
    app.action(ids.HELPFUL_ACTION)(
        on_click(
            "feedback",
            lambda u, r: service.record_feedback(deps, actor_id=u, request_id=r, helpful=True),
        )
    )
    app.action(ids.NOT_HELPFUL_ACTION)(
        on_click(
            "feedback",
            lambda u, r: service.record_feedback(deps, actor_id=u, request_id=r, helpful=False),
        )
    )

    @app.action(ids.RESOLVE_ACTION)
    def ask_note(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id, request_id = _clicked(body)
        try:
            found = service.check_can_resolve(deps, actor_id=user_id, request_id=request_id)
        except SQLAlchemyError:
            log.exception("ta.resolve_check_failed")
            tell(client, body, TRY_AGAIN)
            return
        if isinstance(found, str):
            tell(client, body, found)
            return
        client.views_open(trigger_id=body["trigger_id"], view=views.resolve_modal(found))

    @app.view(ids.RESOLVE_MODAL)
    def resolve(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = (view.get("state") or {}).get("values") or {}
        note = forms.text_value(values, ids.NOTE_BLOCK, ids.NOTE_INPUT)
        problem = forms.length_error(note, "a short note for the member", NOTE_MIN, NOTE_MAX)
        if problem:
            ack(response_action="errors", errors={ids.NOTE_BLOCK: problem})
            return
        try:
            outcome = service.resolve(
                deps,
                actor_id=body["user"]["id"],
                request_id=int_or_none(metadata(view).get("request_id")) or 0,
                note=note,
                view_id=view["id"],
            )
        except SQLAlchemyError:
            log.exception("ta.resolve_failed")
            ack(response_action="errors", errors={ids.NOTE_BLOCK: TRY_AGAIN})
            return
        if not outcome.accepted:
            ack(response_action="errors", errors={ids.NOTE_BLOCK: for_modal(outcome.message)})
            return
        ack()
