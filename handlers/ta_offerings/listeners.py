"""Bolt listeners of the TA directory's own, and `/ccsn find-ta`.

The post's ⋯ menu, Request from them, the yearly question's buttons, and Home's Offer TA and
Find TA (a form whose results replace it in the same modal: `response_action: update`, so
the modal's stack keeps room for the request form Request from them pushes on top).

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
from handlers.replies import TRY_AGAIN, int_or_none, metadata, tell
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


def _in_modal(body: dict[str, Any]) -> bool:
    """Whether the click came from a modal (Find TA's results), not a message."""
    view = body.get("view")
    return isinstance(view, dict) and view.get("type") == "modal"


def _reply(client: WebClient, body: dict[str, Any], text: str) -> None:
    """Tell the clicker `text`: ephemerally under a message, or over the modal they are in."""
    if _in_modal(body):
        client.views_push(trigger_id=body["trigger_id"], view=views.notice_modal(text))
    else:
        tell(client, body, text)


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
            _reply(client, body, TRY_AGAIN)
            return
        if prefill is None:
            _reply(client, body, "That TA offering is no longer listed.")
            return
        # From Find TA's results the form goes on top of them (views.push), so sending or
        # closing it returns to the list; views.open is for a click on a message.
        ta_listeners.open_request_form(
            deps, client, body["trigger_id"], prefill, push=_in_modal(body)
        )

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

    register_find(app, deps)


def register_find(app: App, deps: Deps) -> None:
    """Home's Find TA: open the form, answer it with results, and Search again."""

    @app.action(ids.HOME_FIND_ACTION)
    def open_find(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=views.find_modal())

    @app.view(ids.FIND_MODAL)
    def search(ack: Ack, view: dict[str, Any]) -> None:
        query = directory.parse_find_form((view.get("state") or {}).get("values") or {})
        if isinstance(query, dict):
            ack(response_action="errors", errors=query)
            return
        try:
            offerings = directory.search(deps, query)
        except SQLAlchemyError:
            log.exception("ta_offering.find_failed")
            ack(response_action="errors", errors={ids.FIND_WORDS_BLOCK: TRY_AGAIN})
            return
        results = views.find_results_modal(
            directory.asked(query, directory.describe(query)),
            offerings,
            directory.choices(query),
        )
        ack(response_action="update", view=results)

    @app.view(ids.FIND_RESULTS_MODAL)
    def search_again(ack: Ack, view: dict[str, Any]) -> None:
        ack(response_action="update", view=views.find_modal(metadata(view)))


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
