"""Bolt listeners of the TA directory's own, and `/ccsn find-ta`.

The post's ⋯ menu, Request from them, the yearly question's buttons and Home's Offer TA.

The form itself (`/offer-ta`, its shortcut, submitting, editing) is the review pipeline's,
declared by `handlers.ta_offerings.kind.TA_OFFERINGS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

# The module, not its names: `/ccsn`'s router imports this package's ids to list `/offer-ta`
# in its help, so `handlers.ccsn.router` may still be loading when this module is.
from handlers.ccsn import router as ccsn
from handlers.deps import Deps
from handlers.replies import TRY_AGAIN, int_or_none, tell
from handlers.review.listeners import open_edit_form, open_form
from handlers.ta import listeners as ta_listeners
from handlers.ta.views import RequestPrefill
from handlers.ta_offerings import directory, ids, service, views
from handlers.ta_offerings.kind import TA_OFFERINGS
from storage.models import TaOfferingStatus

log = logging.getLogger(__name__)


def _action(body: dict[str, Any]) -> dict[str, Any]:
    action = (body.get("actions") or [{}])[0]
    return action if isinstance(action, dict) else {}


def request_prefill(deps: Deps, value: str) -> RequestPrefill | None:
    """What Request from them prefills, from its button value (`12|lcap`); None if unlisted."""
    number, _, topic = value.partition("|")
    offering_id = int_or_none(number)
    if offering_id is None:
        return None
    with deps.uow() as uow:
        offering = uow.ta_offerings.get(offering_id)
        if offering is None or offering.status is not TaOfferingStatus.APPROVED:
            return None
        return RequestPrefill(
            offering_id=offering.id,
            organisation=offering.organisation,
            topic=topic if topic in offering.topics else offering.topics[0],
            regions=tuple(offering.regions),
        )


def register(app: App, deps: Deps) -> None:
    """Attach the TA directory's listeners."""

    @app.action(ids.CONTACT_ACTION)
    def contact(ack: Ack) -> None:
        ack()  # a link button: Slack opens the contact link itself, but reports the click

    @app.action(ids.REQUEST_ACTION)
    def request_from_them(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            prefill = request_prefill(deps, str(_action(body).get("value") or ""))
        except SQLAlchemyError:
            log.exception("ta_offering.load_failed")
            tell(client, body, TRY_AGAIN)
            return
        if prefill is None:
            tell(client, body, "That TA offering is no longer listed.")
            return
        ta_listeners.open_request_form(deps, client, body["trigger_id"], prefill)

    @app.action(ids.MANAGE_ACTION)
    def manage(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        selected = _action(body).get("selected_option") or {}
        choice, _, number = str(selected.get("value") or "").partition(":")
        offering_id = int_or_none(number) or 0
        user_id = body["user"]["id"]
        if choice == "edit":
            problem = open_edit_form(
                deps, client, body["trigger_id"], user_id, TA_OFFERINGS, offering_id
            )
            if problem:
                tell(client, body, problem)
        elif choice == "retire":
            answer(
                client, body, lambda: service.retire(deps, user_id=user_id, offering_id=offering_id)
            )

    def on_click(
        act: Callable[[Deps, str, int], str],
    ) -> Callable[[Ack, dict[str, Any], WebClient], None]:
        def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            user_id = body["user"]["id"]
            offering_id = int_or_none(_action(body).get("value")) or 0
            answer(client, body, lambda: act(deps, user_id, offering_id))

        return listener

    app.action(ids.STILL_OFFERED_ACTION)(
        on_click(lambda d, u, o: service.still_offered(d, user_id=u, offering_id=o))
    )
    app.action(ids.RETIRE_ACTION)(
        on_click(lambda d, u, o: service.retire(d, user_id=u, offering_id=o))
    )

    @app.action(ids.HOME_OFFER_ACTION)
    def offer_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_form(deps, client, body["trigger_id"], TA_OFFERINGS)


def answer(client: WebClient, body: dict[str, Any], act: Callable[[], str]) -> None:
    """Run `act` and tell whoever clicked what it says (or to try again)."""
    try:
        reply = act()
    except SQLAlchemyError:
        log.exception("ta_offering.action_failed")
        reply = TRY_AGAIN
    tell(client, body, reply)


def subcommands(deps: Deps) -> list[ccsn.Subcommand]:
    """`/ccsn find-ta`, for every member."""

    def run(call: ccsn.CommandCall) -> None:
        try:
            query, offerings = directory.find(deps, call.args)
        except SQLAlchemyError:
            log.exception("ta_offering.find_failed")
            call.ack(text=TRY_AGAIN)
            return
        message = views.directory_results(query, offerings)
        if not call.args.strip() and not offerings:
            call.ack(text=views.USAGE)
            return
        call.ack(text=message["text"], blocks=message["blocks"])

    return [
        ccsn.Subcommand(
            "find-ta",
            "find technical assistance in the TA directory: words, and `topic:`, `region:`, "
            "`format:` or `cost:free` to narrow it",
            run,
        )
    ]
