"""Slack's envelope, checked once before any listener reads it.

Listeners read what Slack always sends as Slack shapes it: `body["user"]["id"]`,
`body["trigger_id"]`, the first action's `selected_option`, a view's `state.values`. A signed
payload where one of those has another shape (a string for the user object, no trigger, a
string for a view's state) made the listener raise; the error handler then answered politely,
but every such request left a traceback in the log and ran half a listener first. Here it gets
the same polite answer (`bot.guard.fallback`) before any listener runs, with one warning line
naming the field, never the body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

from bot.guard import fallback

log = logging.getLogger(__name__)

# Interactions a person started: Slack sends who, and a trigger to open a modal with.
_TRIGGERED = ("block_actions", "shortcut", "message_action")


def envelope_problem(body: Mapping[str, Any]) -> str | None:
    """The first field of Slack's envelope that does not have Slack's shape, or None."""
    kind = body.get("type")
    if body.get("command") is not None:  # a slash command (form fields, all strings)
        return _first_problem(
            ("command", isinstance(body.get("command"), str)),
            ("user_id", _text(body.get("user_id"))),
            ("trigger_id", _text(body.get("trigger_id"))),
        )
    if kind == "event_callback":
        return None if isinstance(body.get("event"), Mapping) else "event"
    if kind not in (*_TRIGGERED, "view_submission", "view_closed"):
        return None  # url_verification and the like carry no user; Bolt answers them
    user = body.get("user")
    if not isinstance(user, Mapping) or not _text(user.get("id")):
        return "user"
    if kind in _TRIGGERED and not _text(body.get("trigger_id")):
        return "trigger_id"
    if kind == "block_actions":
        return _actions_problem(body.get("actions"))
    if kind in ("view_submission", "view_closed"):
        return _view_problem(body.get("view"))
    return None


class EnvelopeCheck(Middleware):
    """A Bolt middleware: an odd envelope is answered politely and goes no further.

    A `Middleware` rather than a function: Bolt builds every keyword argument a function
    middleware could ask for, and building `step` already reads `body["view"]["type"]`.
    """

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        """Go on with a Slack-shaped envelope; answer anything else with `fallback`."""
        body = req.body
        if not isinstance(body, Mapping):
            return BoltResponse(status=400, body="")
        problem = envelope_problem(body)
        if problem is None:
            return next()
        kind = body.get("type")
        log.warning(
            "request.odd_envelope type=%s field=%s",
            kind if isinstance(kind, str) else "command",
            problem,
        )
        return fallback(body, self._client)


def _actions_problem(actions: object) -> str | None:
    if not isinstance(actions, list) or not actions:
        return "actions"
    for action in actions:
        if not isinstance(action, Mapping) or not _text(action.get("action_id")):
            return "actions"
        selected = action.get("selected_option")
        if selected is not None and not isinstance(selected, Mapping):
            return "actions.selected_option"
    return None


def _view_problem(view: object) -> str | None:
    if not isinstance(view, Mapping):
        return "view"
    if not _text(view.get("id")) or not _text(view.get("type")):
        return "view"
    state = view.get("state")
    # `state.values` and each block are the forms' to judge: they read them defensively and
    # answer with field errors, which keeps the member's form open.
    return None if state is None or isinstance(state, Mapping) else "view.state"


def _text(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _first_problem(*checks: tuple[str, bool]) -> str | None:
    return next((name for name, ok in checks if not ok), None)
