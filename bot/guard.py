"""Every request gets a polite answer in time: no tracebacks, no 500s, no Slack timeouts.

Two safety nets around all listeners, so no feature has to remember them:
- a deadline (`GuardedApp`): a request still running after `DEADLINE` (a database that stopped
  answering mid-query, a slow Slack call) is answered with "try again in a minute" while it
  finishes in the background; its work stays safe to repeat (view ids, compare-and-set);
- an error handler: an unexpected exception becomes the same polite answer, logged without
  the request body.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from handlers.replies import TRY_AGAIN, tell

log = logging.getLogger(__name__)

DEADLINE = 2.5  # seconds: Slack's limit is 3, and the answer still has to travel


def fallback(body: dict[str, Any], client: WebClient | None) -> BoltResponse:
    """The polite answer for a request we could not finish, shaped for its kind."""
    kind = body.get("type")
    if kind == "view_submission":
        values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
        if values:
            block = next(iter(values))
            errors = {"response_action": "errors", "errors": {block: TRY_AGAIN}}
            return BoltResponse(status=200, body=json.dumps(errors))
        return BoltResponse(status=200, body="")
    if body.get("command"):
        answer = {"response_type": "ephemeral", "text": TRY_AGAIN}
        return BoltResponse(status=200, body=json.dumps(answer))
    if kind == "block_actions" and client is not None:
        tell(client, body, TRY_AGAIN)
    return BoltResponse(status=200, body="")


class GuardedApp(App):
    """A Bolt app whose every dispatch answers within `deadline` seconds.

    Bolt's middleware cannot time the listener (its `next()` only marks the chain to go on),
    so the deadline wraps `dispatch` itself: the request runs in a worker thread, and if it is
    not done in time the caller gets the polite fallback while the work finishes behind it.
    """

    def __init__(self, *args: Any, deadline: float = DEADLINE, workers: int = 16, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._deadline = deadline
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="listener")

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Dispatch as Bolt does, but never for longer than the deadline."""
        future = self._pool.submit(super().dispatch, req)
        try:
            return future.result(timeout=self._deadline)
        except FutureTimeout:
            body = req.body if isinstance(req.body, dict) else {}
            log.warning("request.deadline_exceeded type=%s", body.get("type") or "command")
            # A click's HTTP answer is not shown to anyone; the listener, still running, tells
            # the person itself when it finishes, so no second message is posted here.
            return fallback(body, None)


def error_handler(client: WebClient) -> Callable[..., BoltResponse]:
    """A Bolt error handler: log the error (never the body) and answer politely."""

    def handle(error: Exception, body: dict[str, Any]) -> BoltResponse:
        log.error(
            "request.failed type=%s error=%s",
            body.get("type") or "command",
            type(error).__name__,
            exc_info=error,
        )
        return fallback(body, client)

    return handle
