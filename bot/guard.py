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
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener_matcher import ListenerMatcher
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher
from slack_sdk import WebClient

from bot.signature import is_signed_request
from handlers.replies import TRY_AGAIN, tell

log = logging.getLogger(__name__)

DEADLINE = 2.5  # seconds from arrival: Slack's limit is 3, and the answer still has to travel
ARRIVED = "ccsn_arrived"  # context key: `time.monotonic()` when the request reached the server


def fallback(body: Mapping[str, Any], client: WebClient | None) -> BoltResponse:
    """The polite answer for a request we could not finish, shaped for its kind.

    Any part of `body` may have an odd shape (a string where Slack sends an object): the
    answer then is the plainest one, never an exception.
    """
    kind = body.get("type")
    if kind == "view_submission":
        values = _mapping(_mapping(_mapping(body.get("view")).get("state")).get("values"))
        block = next(iter(values), None)
        if isinstance(block, str) and block:
            errors = {"response_action": "errors", "errors": {block: TRY_AGAIN}}
            return BoltResponse(status=200, body=json.dumps(errors))
        return BoltResponse(status=200, body="")
    if body.get("command"):
        answer = {"response_type": "ephemeral", "text": TRY_AGAIN}
        return BoltResponse(status=200, body=json.dumps(answer))
    if kind == "block_actions" and client is not None:
        tell(client, body, TRY_AGAIN)
    return BoltResponse(status=200, body="")


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class _BodyMatcher(BuiltinListenerMatcher):
    """Bolt's own matcher for a listener's kind and id, handed the body without the rest.

    Bolt tries each listener in turn until one matches, and its matcher builds every argument
    a listener could ask for (context, payload, event, view, ...) before it calls a function
    that takes only the body: about 10 us a listener. With the bot's eighty listeners a request
    for one registered late paid about a millisecond before its listener ran (now 0.1 ms).
    """

    def matches(self, req: BoltRequest, resp: BoltResponse) -> bool:
        """What Bolt's matcher answers: its function of the request's body."""
        return bool(self.func(body=req.body))


class GuardedApp(App):
    """A Bolt app whose every dispatch answers within `deadline` seconds.

    Bolt's middleware cannot time the listener (its `next()` only marks the chain to go on),
    so the deadline wraps `dispatch` itself: the request runs in a worker thread, and if it is
    not done in time the caller gets the polite fallback while the work finishes behind it.
    """

    def __init__(
        self,
        *args: Any,
        signing_secret: str,
        deadline: float = DEADLINE,
        workers: int = 16,
        **kwargs: Any,
    ):
        super().__init__(*args, signing_secret=signing_secret, **kwargs)
        self.signing_secret = signing_secret
        self._deadline = deadline
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="listener")

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Dispatch as Bolt does, but never past the deadline counted from arrival.

        The HTTP edge puts the request's arrival time in its context (`ARRIVED`), so the time
        it waited for a server thread counts too; without it the clock starts now.
        """
        arrived = req.context.get(ARRIVED)
        now = time.monotonic()
        remaining = self._deadline - (now - arrived if isinstance(arrived, float) else 0.0)
        body = req.body if isinstance(req.body, dict) else {}
        if remaining <= 0:
            log.warning("request.waited_past_deadline type=%s", body.get("type") or "command")
            return fallback(body, None)
        future = self._pool.submit(super().dispatch, req)
        try:
            return future.result(timeout=remaining)
        except FutureTimeout:
            log.warning("request.deadline_exceeded type=%s", body.get("type") or "command")
            # A click's HTTP answer is not shown to anyone; the listener, still running, tells
            # the person itself when it finishes, so no second message is posted here.
            return fallback(body, None)
        except Exception as error:  # Bolt's own error path can fail on odd shapes
            # e.g. Bolt reads body["view"]["type"] while building an error handler's arguments.
            log.error("request.crashed error=%s", type(error).__name__, exc_info=error)
            return fallback(body, None)

    def _register_listener(
        self, functions: Any, primary_matcher: ListenerMatcher, *args: Any, **kwargs: Any
    ) -> Any:
        """Register as Bolt does, matching on the body alone where Bolt's matcher needs no more."""
        if type(primary_matcher) is BuiltinListenerMatcher and primary_matcher.arg_names == [
            "body"
        ]:
            primary_matcher = _BodyMatcher(func=primary_matcher.func, base_logger=self._base_logger)
        return super()._register_listener(functions, primary_matcher, *args, **kwargs)


def error_handler(client: WebClient, signing_secret: str) -> Callable[..., BoltResponse]:
    """A Bolt error handler: log the error (never the body) and answer politely.

    The error may have come from before or inside Bolt's signature check, so the body is
    trusted (and anyone it names told "try again") only once its signature is checked here
    again; Socket Mode requests come over the app's own authenticated connection.
    """

    def handle(error: Exception, body: dict[str, Any], request: BoltRequest) -> BoltResponse:
        kind = body.get("type") if isinstance(body, dict) else None
        log.error(
            "request.failed type=%s error=%s",
            kind if isinstance(kind, str) else "command",
            type(error).__name__,
            exc_info=error,
        )
        trusted = request.mode == "socket_mode" or is_signed_request(
            signing_secret, request.raw_body, request.headers
        )
        if not trusted:
            return BoltResponse(status=401, body=json.dumps({"error": "invalid_request"}))
        return fallback(body if isinstance(body, dict) else {}, client)

    return handle
