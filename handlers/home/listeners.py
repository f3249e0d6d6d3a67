"""Bolt listeners for the Home tab: publish it when opened, and act on its buttons.

Home is a view, not a message: `views.publish` is called directly (there is nothing for the
outbox to keep), and a failure is logged, never raised, so Slack always gets its 200. Buttons
that open a form reuse each feature's own form opener; buttons that change something call the
feature's service, then publish the tab again with the outcome at the top (Home has no
channel for an ephemeral reply).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from handlers.deps import Deps
from handlers.digest.listeners import open_subscription_form
from handlers.events import listeners as events_listeners
from handlers.events.kind import EVENTS
from handlers.home import ids, service, views
from handlers.network import ids as network_ids
from handlers.network import service as network_service
from handlers.network.schemas import SetupLine
from handlers.policy import listeners as policy_listeners
from handlers.practices.kind import PRACTICES
from handlers.replies import TRY_AGAIN, int_or_none
from handlers.review.kinds import SubmissionKinds
from handlers.review.listeners import open_edit_form, open_form
from handlers.ta import listeners as ta_listeners

log = logging.getLogger(__name__)

# A click's handler: (user, button value, trigger id, client) -> what to tell the member, if
# anything; None leaves the tab as it is (a form opened instead).
Click = Callable[[str, str, str, WebClient], str | None]


def publish(
    deps: Deps,
    client: WebClient,
    user_id: str,
    notice: str | None = None,
    setup: list[SetupLine] | None = None,
) -> None:
    """Build `user_id`'s Home tab and publish it; on failure the old tab simply stays."""
    try:
        data = service.home_data(deps, user_id)
    except SQLAlchemyError:
        log.exception("home.load_failed")
        return
    try:
        client.views_publish(user_id=user_id, view=views.home_view(data, notice, setup))
    except SlackApiError as exc:
        log.warning("home.publish_failed error=%s", exc.response.get("error"))


def register(app: App, deps: Deps, kinds: SubmissionKinds) -> None:
    """Attach the Home tab's event and button listeners; `kinds` resolve Edit and Withdraw."""

    @app.event(ids.HOME_OPENED_EVENT)
    def opened(event: dict[str, Any], client: WebClient) -> None:
        # The event also fires for the Messages tab, which shows conversations, not a view.
        if event.get("tab") != "home" or not isinstance(event.get("user"), str):
            return
        publish(deps, client, event["user"])

    def on_click(act: Click) -> Callable[[Ack, dict[str, Any], WebClient], None]:
        def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            user_id = body["user"]["id"]
            action = (body.get("actions") or [{}])[0]
            value = str(action.get("value") or "") if isinstance(action, dict) else ""
            try:
                notice = act(user_id, value, str(body.get("trigger_id") or ""), client)
            except SQLAlchemyError:
                log.exception("home.action_failed")
                notice = TRY_AGAIN
            if notice is not None:
                publish(deps, client, user_id, notice)

        return listener

    def share(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        open_form(deps, client, trigger_id, PRACTICES)
        return None

    def request_ta(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        ta_listeners.open_request_form(deps, client, trigger_id)
        return None

    def announce(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        open_form(deps, client, trigger_id, EVENTS)
        return None

    def edit(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        target = kinds.resolve(value)
        if target is None:
            return "That submission no longer exists."
        kind, item_id = target
        return open_edit_form(deps, client, trigger_id, user_id, kind, item_id)

    def withdraw(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        return service.withdraw(deps, kinds, user_id, value)

    def cancel_event(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        event_id = int_or_none(value) or 0
        return events_listeners.open_cancel_form(deps, client, trigger_id, user_id, event_id)

    def cancel_ta(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        return service.cancel_ta_request(deps, user_id, int_or_none(value) or 0)

    def rsvp(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        return service.set_rsvp(deps, user_id, value)

    def subscription(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        return open_subscription_form(deps, client, user_id, trigger_id)

    def unsubscribe(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        return service.unsubscribe(deps, user_id)

    def retire_offering(user_id: str, value: str, trigger_id: str, client: WebClient) -> str:
        return service.retire_offering(deps, user_id, int_or_none(value) or 0)

    def confirm_offering(user_id: str, value: str, trigger_id: str, client: WebClient) -> str:
        return service.confirm_offering(deps, user_id, int_or_none(value) or 0)

    def policy_status(user_id: str, value: str, trigger_id: str, client: WebClient) -> str | None:
        update_id = int_or_none(value) or 0
        return policy_listeners.open_stage_form(deps, client, trigger_id, user_id, update_id)

    clicks: dict[str, Click] = {
        ids.SHARE_ACTION: share,
        ids.REQUEST_TA_ACTION: request_ta,
        ids.ANNOUNCE_ACTION: announce,
        ids.EDIT_ACTION: edit,
        ids.WITHDRAW_ACTION: withdraw,
        ids.CANCEL_EVENT_ACTION: cancel_event,
        ids.CANCEL_TA_ACTION: cancel_ta,
        ids.RSVP_ACTION: rsvp,
        ids.SUBSCRIPTION_ACTION: subscription,
        ids.UNSUBSCRIBE_ACTION: unsubscribe,
        ids.RETIRE_OFFERING_ACTION: retire_offering,
        ids.CONFIRM_OFFERING_ACTION: confirm_offering,
        ids.POLICY_STATUS_ACTION: policy_status,
    }
    for action_id, act in clicks.items():
        app.action(action_id)(on_click(act))
    register_network(app, deps)


def _network_change(action: dict[str, Any]) -> network_service.Change | None:
    """The setting a Network settings control asks to change, from its block and value."""
    block_id = str(action.get("block_id") or "")
    action_id = action.get("action_id")
    if action_id == network_ids.CHANNEL_ACTION:
        key = block_id.removeprefix(network_ids.SETTING_BLOCK_PREFIX)
        return network_service.Change(key, action.get("selected_conversation"))
    if action_id == network_ids.PEOPLE_ACTION:
        key = block_id.removeprefix(network_ids.SETTING_BLOCK_PREFIX)
        return network_service.Change(key, action.get("selected_users") or [])
    if action_id == network_ids.REGION_ACTION:
        region = block_id.removeprefix(network_ids.REGION_BLOCK_PREFIX)
        return network_service.Change(
            "ccsn_ta_region_providers", action.get("selected_users") or [], region=region
        )
    chosen = (action.get("selected_option") or {}).get("value")
    if action_id == network_ids.TIMEZONE_ACTION:
        return network_service.Change("ccsn_timezone", chosen)
    if action_id == network_ids.DIGEST_DAY_ACTION:
        return network_service.Change("ccsn_digest_cron", {"day": chosen})
    if action_id == network_ids.DIGEST_HOUR_ACTION:
        return network_service.Change("ccsn_digest_cron", {"hour": chosen})
    return None


def register_network(app: App, deps: Deps) -> None:
    """The Network settings controls: each change saved (or refused) and Home republished."""

    def changed(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]  # who Slack signed for; never a value in the payload
        action = (body.get("actions") or [{}])[0]
        wanted = _network_change(action) if isinstance(action, dict) else None
        if wanted is None:
            return
        try:
            notice = network_service.change(deps, user_id, wanted)
        except SQLAlchemyError:
            log.exception("home.settings_failed")
            notice = TRY_AGAIN
        publish(deps, client, user_id, notice)

    def check(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        if not deps.settings.is_coordinator(user_id):
            publish(deps, client, user_id, network_service.NOT_COORDINATOR_SETUP)
            return
        lines = network_service.setup_check(deps, client)
        publish(deps, client, user_id, "Set-up check done: see Network settings.", lines)

    def join(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        action = (body.get("actions") or [{}])[0]
        channel = str(action.get("value") or "") if isinstance(action, dict) else ""
        notice = network_service.join(deps, client, user_id, channel)
        lines = (
            network_service.setup_check(deps, client)
            if deps.settings.is_coordinator(user_id)
            else None
        )
        publish(deps, client, user_id, notice, lines)

    for action_id in (
        network_ids.CHANNEL_ACTION,
        network_ids.PEOPLE_ACTION,
        network_ids.REGION_ACTION,
        network_ids.TIMEZONE_ACTION,
        network_ids.DIGEST_DAY_ACTION,
        network_ids.DIGEST_HOUR_ACTION,
    ):
        app.action(action_id)(changed)
    app.action(network_ids.SETUP_ACTION)(check)
    app.action(network_ids.JOIN_ACTION)(join)
