"""Bolt listeners for the digest: `/ccsn digest|subscribe|unsubscribe`, the form, the DM buttons."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from handlers.ccsn import CommandCall, Subcommand
from handlers.deps import Deps
from handlers.digest import ids, service, views
from handlers.digest.schemas import parse_subscription_form
from handlers.replies import TRY_AGAIN, tell

log = logging.getLogger(__name__)

UNSUBSCRIBED = "Done: no more personal digests. `/ccsn subscribe` starts them again."


def register(app: App, deps: Deps) -> None:
    """Attach the subscription form and the buttons of personal digests."""

    @app.view(ids.SUBSCRIBE_MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = parse_subscription_form((view.get("state") or {}).get("values") or {})
        if isinstance(form, dict):
            ack(response_action="errors", errors=form)
            return
        try:
            service.subscribe(deps, user_id=body["user"]["id"], form=form, view_id=view["id"])
        except SQLAlchemyError:
            log.exception("digest.subscribe_failed")
            ack(response_action="errors", errors={ids.REGIONS_BLOCK: TRY_AGAIN})
            return
        ack()

    @app.action(ids.UNSUBSCRIBE_ACTION)
    def unsubscribe(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            problem = service.unsubscribe(deps, user_id=body["user"]["id"])
        except SQLAlchemyError:
            log.exception("digest.unsubscribe_failed")
            problem = TRY_AGAIN
        if problem:
            tell(client, body, problem)

    @app.action(ids.EDIT_SUBSCRIPTION_ACTION)
    def edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        problem = open_subscription_form(deps, client, body["user"]["id"], body["trigger_id"])
        if problem:
            tell(client, body, problem)


def open_subscription_form(
    deps: Deps, client: WebClient, user_id: str, trigger_id: str
) -> str | None:
    """Open the personal digest form with the member's filters; a problem if it cannot."""
    try:
        current = service.current_subscription(deps, user_id)
    except SQLAlchemyError:
        log.exception("digest.load_subscription_failed")
        return TRY_AGAIN
    client.views_open(trigger_id=trigger_id, view=views.subscribe_modal(current))
    return None


def subcommands(deps: Deps) -> list[Subcommand]:
    """`/ccsn digest` (coordinators), `/ccsn subscribe` and `/ccsn unsubscribe`."""

    def preview(call: CommandCall) -> None:
        try:
            answer = service.coordinator_preview(deps, call.user_id)
        except SQLAlchemyError:
            log.exception("digest.preview_failed")
            answer = TRY_AGAIN
        if isinstance(answer, str):
            call.ack(text=answer)
        else:
            call.ack(text=answer["text"], blocks=answer["blocks"])

    def subscribe(call: CommandCall) -> None:
        call.ack()
        trigger_id = str(call.body["trigger_id"])
        problem = open_subscription_form(deps, call.client, call.user_id, trigger_id)
        if problem:
            tell(call.client, call.body, problem)

    def unsubscribe(call: CommandCall) -> None:
        try:
            problem = service.unsubscribe(deps, user_id=call.user_id)
        except SQLAlchemyError:
            log.exception("digest.unsubscribe_failed")
            problem = TRY_AGAIN
        call.ack(text=problem or UNSUBSCRIBED)

    return [
        Subcommand("digest", "preview the coming weekly digest (coordinators)", preview),
        Subcommand("subscribe", "get a personal weekly digest by DM, filtered your way", subscribe),
        Subcommand("unsubscribe", "stop your personal digest", unsubscribe),
    ]
