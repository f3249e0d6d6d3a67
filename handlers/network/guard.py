"""Submissions wait until a coordinator has chosen where they are reviewed.

Every practice and event goes to the coordinators' review channel before it is published, and
a practice is then published in the practices channel. Until those channels are chosen in
Home, the forms that start a submission answer politely with what is missing, and a form
already open is refused on submit: nothing is saved that nobody could review. One Bolt
middleware does this for every way in (commands, shortcuts, Home buttons, the modals), so the
submission pipeline itself needs no special case.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from core.config import Settings
from handlers.deps import Deps
from handlers.events import ids as event_ids
from handlers.home import ids as home_ids
from handlers.network import views
from handlers.practices import ids as practice_ids

NO_REVIEW_CHANNEL = (
    "Submissions are not open yet: a coordinator has to choose the coordinators' review channel "
    "in CCSN Hub's Home tab first. Please tell a network coordinator."
)
NO_PRACTICES_CHANNEL = (
    "Sharing practices is not open yet: a coordinator has to choose the practices channel in "
    "CCSN Hub's Home tab first. Please tell a network coordinator."
)

_PRACTICE = "practice"
_EVENT = "event"
_COMMANDS = {practice_ids.SHARE_COMMAND: _PRACTICE, event_ids.ANNOUNCE_COMMAND: _EVENT}
_SHORTCUTS = {
    practice_ids.SHARE_SHORTCUT: _PRACTICE,
    practice_ids.SHARE_MESSAGE_SHORTCUT: _PRACTICE,
    event_ids.ANNOUNCE_SHORTCUT: _EVENT,
}
_BUTTONS = {home_ids.SHARE_ACTION: _PRACTICE, home_ids.ANNOUNCE_ACTION: _EVENT}
_MODALS = {practice_ids.PRACTICE_MODAL: _PRACTICE, event_ids.EVENT_MODAL: _EVENT}
_TITLES = {_PRACTICE: "Share a practice", _EVENT: "Announce an event"}


def missing(settings: Settings, kind: str) -> str | None:
    """Why a submission of `kind` cannot be taken now, or None when it can."""
    if not settings.ccsn_coordinator_channel:
        return NO_REVIEW_CHANNEL
    if kind == _PRACTICE and not settings.ccsn_practices_channel:
        return NO_PRACTICES_CHANNEL
    return None


def _kind(body: dict[str, Any]) -> tuple[str, str] | None:
    """(how the request starts a submission, its kind), or None for any other request."""
    if body.get("command") in _COMMANDS:
        return "command", _COMMANDS[str(body["command"])]
    kind = body.get("type")
    if kind in ("shortcut", "message_action") and body.get("callback_id") in _SHORTCUTS:
        return "form", _SHORTCUTS[str(body["callback_id"])]
    if kind == "block_actions":
        action = (body.get("actions") or [{}])[0]
        if isinstance(action, dict) and action.get("action_id") in _BUTTONS:
            return "form", _BUTTONS[str(action["action_id"])]
    if kind == "view_submission":
        callback = (body.get("view") or {}).get("callback_id")
        if callback in _MODALS:
            return "submit", _MODALS[str(callback)]
    return None


def _json(answer: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(answer), headers={"Content-Type": "application/json"}
    )


def submissions_need_channels(deps: Deps) -> Callable[..., BoltResponse | None]:
    """A Bolt global middleware answering for the submission forms while channels are missing."""

    def middleware(
        body: dict[str, Any], client: WebClient, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        found = _kind(body)
        if found is None:
            return next()
        how, kind = found
        reason = missing(deps.settings, kind)
        if reason is None:
            return next()
        if how == "command":
            return _json({"response_type": "ephemeral", "text": reason})
        modal = views.not_set_up_modal(_TITLES[kind], reason)
        if how == "submit":
            return _json({"response_action": "update", "view": modal})
        with contextlib.suppress(SlackApiError):  # the trigger expired: the member tries again
            client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=modal)
        return BoltResponse(status=200, body="")

    return middleware
