"""A stand-in for Slack's Web API on loopback, for the offline demo and the tests.

It speaks real HTTP, like Slack: JSON or form bodies in, `{"ok": ...}` out, `Retry-After` on
429. It records every call so a test (or the demo's transcript) can see what the bot sent, and
it can be told to fail the next calls in the ways Slack does.
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

TEAM_DOMAIN = "ccsn-demo"

# Methods whose `blocks` Slack checks (refusing with `invalid_blocks`), and whose `view` it
# checks (refusing with `invalid_arguments` and the reasons in `response_metadata.messages`).
BLOCKS_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral"})
VIEW_METHODS = frozenset({"views.open", "views.update", "views.publish", "views.push"})
MESSAGE_BLOCKS_MAX = 50
# What the manifest asks for; a test can take some away to see the set-up check notice.
DEFAULT_SCOPES = (
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "users:read",
)
VIEW_BLOCKS_MAX = 100


def _decoded(value: Any) -> Any:
    """A parameter as the bot meant it: form-encoded calls send JSON as a string."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _differences(sent: Any, understood: Any, pointer: str) -> list[str]:
    """Where `sent` differs from what slack_sdk's models read it as.

    That is a field they do not know, or a value of the wrong shape (a section `text` that is a
    string, not a text object).
    """
    if isinstance(sent, dict) and isinstance(understood, dict):
        found = []
        for key in sent.keys() | understood.keys():
            if key not in understood:
                found.append(f"[ERROR] unsupported property [json-pointer:{pointer}/{key}]")
            elif key not in sent:
                continue  # a default the model fills in is not the sender's mistake
            else:
                found += _differences(sent[key], understood[key], f"{pointer}/{key}")
        return found
    if isinstance(sent, list) and isinstance(understood, list) and len(sent) == len(understood):
        return [
            problem
            for i, (a, b) in enumerate(zip(sent, understood, strict=True))
            for problem in _differences(a, b, f"{pointer}/{i}")
        ]
    if sent != understood:
        return [f"[ERROR] must provide an object of the right type [json-pointer:{pointer}]"]
    return []


def _block_problems(blocks: Any, pointer: str, maximum: int) -> tuple[list[str], list[Block]]:
    """What Slack would refuse in a list of blocks, and the blocks as slack_sdk's models read them.

    `to_dict` runs a block's validators before it writes the block out, so one call both judges
    the block and gives what the models understood of it.
    """
    if not isinstance(blocks, list):
        return [f"[ERROR] must provide an array [json-pointer:{pointer}]"], []
    problems = []
    parsed = []
    if len(blocks) > maximum:
        problems.append(f"[ERROR] must be at most {maximum} items [json-pointer:{pointer}]")
    for i, raw in enumerate(blocks):
        here = f"{pointer}/{i}"
        block = Block.parse(raw) if isinstance(raw, dict) else None
        if block is None or type(block) is Block:
            problems.append(f"[ERROR] unknown or missing block type [json-pointer:{here}]")
            continue
        try:
            understood = block.to_dict()
        except (SlackObjectFormationError, TypeError, AttributeError) as error:
            problems.append(f"[ERROR] {error} [json-pointer:{here}]")
            continue
        problems += _differences(raw, understood, here)
        parsed.append(block)
    return problems, parsed


def _view_problems(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["[ERROR] must provide an object [json-pointer:/view]"]
    problems, parsed = _block_problems(view.get("blocks", []), "/view/blocks", VIEW_BLOCKS_MAX)
    if view.get("type") not in ("modal", "home"):
        problems.append("[ERROR] must be one of modal, home [json-pointer:/view/type]")
    inputs = [
        b for b in view.get("blocks") or [] if isinstance(b, dict) and b.get("type") == "input"
    ]
    if view.get("type") == "modal" and inputs and not view.get("submit"):
        problems.append("[ERROR] must define submit to use input block [json-pointer:/view]")
    if problems:
        return problems
    try:
        # The blocks were judged one by one above; the model takes them as already read.
        model = View(**{**view, "blocks": parsed})
        model.validate_json()
        model.blocks = []  # so the view's own fields are read back without the blocks again
        understood = model.get_non_null_attributes()
    except (SlackObjectFormationError, TypeError, AttributeError) as error:
        return [f"[ERROR] {error} [json-pointer:/view]"]
    fields = {key: value for key, value in view.items() if key != "blocks"}
    return _differences(fields, understood, "/view")


def _message_block_problems(blocks: Any) -> list[str]:
    return _block_problems(blocks, "/blocks", MESSAGE_BLOCKS_MAX)[0]


Judge = Callable[[Any], list[str]]

# Distinct payloads whose verdicts are kept. Judging a modal through slack_sdk's models takes
# milliseconds (the practice form: 3 ms, more than the bot spends opening it), and the bot
# sends the same payloads again and again (every `/share-practice` opens the same form).
VERDICTS_KEPT = 256


@lru_cache(maxsize=VERDICTS_KEPT)
def _judged(judge: Judge, payload_json: str) -> tuple[str, ...]:
    return tuple(judge(json.loads(payload_json)))


def _verdict(judge: Judge, payload: Any) -> list[str]:
    """`judge(payload)`, asked once per distinct payload: the verdict depends on nothing else."""
    try:
        key = json.dumps(payload, sort_keys=True)
    except (TypeError, ValueError):  # not JSON (an in-process caller's object): judge afresh
        return judge(payload)
    return list(_judged(judge, key))


def block_kit_problems(*, blocks: Any = None, view: Any = None) -> list[str]:
    """What Slack would refuse in a message's `blocks` or in a `view`, one line per problem.

    Slack publishes no Block Kit schema; slack_sdk's models are the closest offline judge. A
    payload passes when the models accept it (`validate_json`: lengths, counts, required
    fields) and read it back unchanged, so an unknown field or a wrongly shaped value (which
    Slack refuses, or silently drops) is a problem too. Lines mimic Slack's
    `response_metadata.messages`.
    """
    if view is not None:
        return _verdict(_view_problems, _decoded(view))
    if blocks is not None:
        return _verdict(_message_block_problems, _decoded(blocks))
    return []


@dataclass
class Call:
    """One Web API call the bot made."""

    method: str
    params: dict[str, Any]
    token: str | None
    response: dict[str, Any] = field(default_factory=dict)


@dataclass
class UploadedFile:
    """A file uploaded through `files.getUploadURLExternal`, its bytes, and where it was shared."""

    id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str | None = None
    channel: str | None = None
    initial_comment: str | None = None


@dataclass
class Fault:
    """A planned failure for the next call(s) of a method (`*` for any)."""

    method: str
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    drop: bool = False
    channel: str | None = None


@dataclass
class Hold:
    """A call Slack carries out at once but answers only when the test says so.

    Like a real network stall after Slack accepted a message: the post exists (it is recorded,
    with its `ts`) while the bot is still waiting for the answer, so a test can kill the bot in
    exactly that window. `arrived` is set when the call is in flight; `release()` answers it.
    """

    method: str
    channel: str | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        """Let the held answer go (to a bot that may no longer be listening)."""
        self.released.set()


@dataclass
class FakeSlack:
    """The fake Web API's state: recorded calls, posted messages, planned faults.

    `channel_interval` (seconds) makes `chat.postMessage` answer 429 with `Retry-After` when a
    channel is posted to again sooner, like Slack's one message per second per channel.
    `record=False` keeps only `counts`, so a long benchmark does not grow the fake's memory.
    """

    calls: list[Call] = field(default_factory=list)
    faults: deque[Fault] = field(default_factory=deque)
    holds: deque[Hold] = field(default_factory=deque)
    bot_token: str = "xoxb-fake"
    url: str = ""
    channel_interval: float | None = None
    record: bool = True
    counts: Counter[str] = field(default_factory=Counter)
    monotonic: Callable[[], float] = time.monotonic
    files: dict[str, UploadedFile] = field(default_factory=dict)
    # Every call refused for malformed Block Kit, with Slack's reasons: tests fail on any.
    malformed: list[tuple[str, list[str]]] = field(default_factory=list)
    # users.info answers: user id -> real name; any other user is `user_not_found`.
    names: dict[str, str] = field(default_factory=dict)
    # conversations.info answers: channel id -> what differs from a public channel the bot is
    # in (`is_member`, `is_private`, `is_archived`); None: the channel does not exist.
    channels: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    # auth.test's `x-oauth-scopes` header: the scopes the app was installed with.
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    _ts: int = 0
    _last_post: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, method: str = "*", times: int = 1, **fault: Any) -> None:
        """Make the next `times` calls of `method` fail.

        Options: `status` (429 or 5xx), `error` (an `ok: false` error), `retry_after`, `drop`
        (hang up without answering), `channel` (only calls to that channel).
        """
        with self._lock:
            for _ in range(times):
                self.faults.append(Fault(method=method, **fault))

    def hold_next(self, method: str, channel: str | None = None) -> Hold:
        """Carry out the next successful call of `method` but hold its answer until released."""
        hold = Hold(method=method, channel=channel)
        with self._lock:
            self.holds.append(hold)
        return hold

    def calls_to(self, method: str) -> list[Call]:
        """Recorded calls of one method, in order."""
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Messages posted (chat.postMessage) with their `ts`, optionally to one channel.

        Only what Slack accepted: a refused post (malformed blocks, bad token) is not a message.
        """
        return [
            {**call.params, "ts": call.response.get("ts")}
            for call in self.calls_to("chat.postMessage")
            if call.response.get("ok")
            and (channel is None or call.params.get("channel") == channel)
        ]

    def shared_files(self, channel: str | None = None) -> list[UploadedFile]:
        """Files completed with `files.completeUploadExternal`, optionally in one channel."""
        with self._lock:
            return [
                f
                for f in self.files.values()
                if f.channel is not None and channel in (None, f.channel)
            ]

    def receive_upload(self, file_id: str, content: bytes) -> bool:
        """Take the bytes POSTed to an upload URL; False for an unknown or mismatched file."""
        with self._lock:
            upload = self.files.get(file_id)
            if upload is None or upload.content is not None or len(content) != upload.length:
                return False
            upload.content = content
            return True

    def reset(self) -> None:
        """Forget calls, counts, faults and the rate limiter's memory."""
        with self._lock:
            self.calls.clear()
            self.malformed.clear()
            self.faults.clear()
            self.counts.clear()
            for hold in self.holds:
                hold.release()
            self.holds.clear()
            self._last_post.clear()

    def handle(
        self, method: str, params: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Answer one call as Slack would: (status, body, headers).

        A planned `Hold` on a call that succeeds keeps the answer back until it is released
        (or a minute passes), outside the lock so other calls carry on meanwhile.
        """
        answer = self._handle(method, params, token)
        status, body, _ = answer
        hold = self._take_hold(method, params) if status == 200 and body.get("ok") else None
        if hold is not None:
            hold.arrived.set()
            hold.released.wait(60)
        return answer

    def _take_hold(self, method: str, params: dict[str, Any]) -> Hold | None:
        with self._lock:
            for hold in self.holds:
                if hold.method == method and hold.channel in (None, params.get("channel")):
                    self.holds.remove(hold)
                    return hold
        return None

    def _handle(
        self, method: str, params: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            fault = next(
                (
                    f
                    for f in self.faults
                    if f.method in (method, "*") and f.channel in (None, params.get("channel"))
                ),
                None,
            )
            if fault is not None:
                self.faults.remove(fault)
                if fault.drop:
                    return -1, {}, {}
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                if fault.status == 429:
                    return 429, {"ok": False, "error": "ratelimited"}, headers
                if fault.status >= 500:
                    return fault.status, {"ok": False, "error": "service_unavailable"}, headers
                return 200, {"ok": False, "error": fault.error or "fatal_error"}, headers
            wait = self._rate_limit_wait(method, params)
            if wait is not None:
                self.counts["ratelimited"] += 1
                headers = {"Retry-After": str(max(1, math.ceil(wait)))}
                return 429, {"ok": False, "error": "ratelimited"}, headers
            self.counts[method] += 1
            call = Call(method=method, params=params, token=token)
            if self.record:
                self.calls.append(call)
            if token != self.bot_token:
                call.response = {"ok": False, "error": "invalid_auth"}
            else:
                call.response = self._answer(method, params)
            if method == "auth.test" and call.response.get("ok"):
                return 200, call.response, {"x-oauth-scopes": ",".join(self.scopes)}
            return 200, call.response, {}

    def _rate_limit_wait(self, method: str, params: dict[str, Any]) -> float | None:
        """Seconds until this post is allowed, or None when it may go now (and is counted)."""
        if self.channel_interval is None or method != "chat.postMessage":
            return None
        channel = str(params.get("channel", ""))
        now = self.monotonic()
        last = self._last_post.get(channel)
        if last is not None and now - last < self.channel_interval:
            return self.channel_interval - (now - last)
        self._last_post[channel] = now
        return None

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        refused = self._refuse_malformed(method, params)
        if refused is not None:
            return refused
        channel = str(params.get("channel", ""))
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "team_id": "TDEMO",
                "url": f"https://{TEAM_DOMAIN}.slack.com/",
            }
        if method == "chat.postMessage":
            self._ts += 1
            return {"ok": True, "channel": channel, "ts": f"1700000000.{self._ts:06d}"}
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": params.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": "1700000000.000000"}
        if method == "chat.getPermalink":
            ts = str(params.get("message_ts", "")).replace(".", "")
            return {
                "ok": True,
                "channel": channel,
                "permalink": f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{ts}",
            }
        if method in ("conversations.history", "conversations.replies"):
            return self._history(method, params)
        if method == "conversations.open":
            users = str(params.get("users", ""))
            if not users or "," in users:
                return {"ok": False, "error": "invalid_arguments"}
            return {"ok": True, "channel": {"id": f"D{users}"}}
        if method == "conversations.info":
            return self._conversation_info(channel)
        if method == "conversations.join":
            return self._join(channel)
        if method == "users.info":
            user = str(params.get("user", ""))
            if user not in self.names:
                return {"ok": False, "error": "user_not_found"}
            name = self.names[user]
            return {
                "ok": True,
                "user": {"id": user, "real_name": name, "profile": {"real_name": name}},
            }
        if method == "files.getUploadURLExternal":
            return self._start_upload(params)
        if method == "files.completeUploadExternal":
            return self._complete_upload(params)
        if method in ("views.open", "views.update", "views.publish", "views.push"):
            view = params.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            return {"ok": True, "view": {"id": "VFAKE", "hash": "1700000000.fake", **(view or {})}}
        return {"ok": True}

    def _conversation_info(self, channel: str) -> dict[str, Any]:
        """A channel as the bot sees it: by default public, open, and the bot a member."""
        if channel in self.channels and self.channels[channel] is None:
            return {"ok": False, "error": "channel_not_found"}
        found = {
            "id": channel,
            "name": channel.lower(),
            "is_channel": True,
            "is_private": False,
            "is_archived": False,
            "is_member": True,
            **(self.channels.get(channel) or {}),
        }
        if found["is_private"] and not found["is_member"]:
            # Slack hides private channels from a bot that is not in them.
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": found}

    def _join(self, channel: str) -> dict[str, Any]:
        """Join a public channel, as `conversations.join` does; private ones need an invite."""
        answer = self._conversation_info(channel)
        if not answer["ok"]:
            return answer
        if answer["channel"]["is_private"]:
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        if answer["channel"]["is_archived"]:
            return {"ok": False, "error": "is_archived"}
        self.channels[channel] = {**(self.channels.get(channel) or {}), "is_member": True}
        return {"ok": True, "channel": {**answer["channel"], "is_member": True}}

    def _refuse_malformed(self, method: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """Slack's answer to Block Kit it would not accept, recorded in `malformed`; else None."""
        if method in BLOCKS_METHODS and params.get("blocks") is not None:
            problems, error = block_kit_problems(blocks=params["blocks"]), "invalid_blocks"
        elif method in VIEW_METHODS:
            view = params.get("view")
            problems = (
                block_kit_problems(view=view)
                if view is not None
                else ["[ERROR] must provide an object [json-pointer:/view]"]
            )
            error = "invalid_arguments"
        else:
            return None
        if not problems:
            return None
        self.malformed.append((method, problems))
        return {"ok": False, "error": error, "response_metadata": {"messages": problems}}

    def _history(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """A channel's messages (or one thread's), newest first, as the bot posted them.

        A DM's history is asked for by its `D…` id (from `conversations.open`), while the bot
        posts to the member's id; both name the same conversation here. `metadata` is shown
        only with `include_all_metadata`, as Slack does.
        """
        channel = str(params.get("channel", ""))
        thread = params.get("ts") if method == "conversations.replies" else None
        if not channel or (method == "conversations.replies" and not thread):
            return {"ok": False, "error": "invalid_arguments"}
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("true", "1")
        found = []
        for call in self.calls:
            if call.method != "chat.postMessage" or not call.response.get("ok"):
                continue
            to = str(call.params.get("channel", ""))
            if channel not in (to, f"D{to}"):
                continue
            ts, parent = call.response.get("ts"), call.params.get("thread_ts")
            if (thread is None and parent) or (thread is not None and thread not in (ts, parent)):
                continue
            message = {"type": "message", "ts": ts, "text": call.params.get("text", "")}
            if parent:
                message["thread_ts"] = parent
            if with_metadata and isinstance(call.params.get("metadata"), dict):
                message["metadata"] = call.params["metadata"]
            found.append(message)
        if thread is None:
            found.reverse()  # history is newest first; a thread's replies oldest first
        limit = int(str(params.get("limit") or 100))
        return {"ok": True, "messages": found[:limit], "has_more": len(found) > limit}

    def _start_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = str(params.get("filename") or "")
        length = str(params.get("length") or "")
        if not filename or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{len(self.files) + 1:08d}"
        self.files[file_id] = UploadedFile(id=file_id, filename=filename, length=int(length))
        root = self.url.removesuffix("api/")
        return {"ok": True, "upload_url": f"{root}upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        channel = params.get("channel_id")
        if not isinstance(files, list) or not files or not channel:
            return {"ok": False, "error": "invalid_arguments"}
        done = []
        for entry in files:
            upload = self.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
            if upload is None or upload.content is None:
                return {"ok": False, "error": "file_not_found"}
            done.append((upload, entry))
        for upload, entry in done:
            upload.title = entry.get("title") or upload.filename
            upload.channel = str(channel)
            upload.initial_comment = params.get("initial_comment")
        return {"ok": True, "files": [{"id": u.id, "title": u.title} for u, _ in done]}


class _Handler(BaseHTTPRequestHandler):
    # As Slack does, a connection stays open for the next call unless the client says close.
    protocol_version = "HTTP/1.1"
    # The headers and the body are two writes: with Nagle's algorithm the body would wait
    # for the client's delayed ACK (40 ms) on a connection kept open.
    disable_nagle_algorithm = True
    timeout = 10  # seconds a kept connection may sit idle before the fake closes it
    server: _Server

    def do_POST(self) -> None:
        """Answer a Web API call: `/api/<method>` with a JSON or form body."""
        length = int(self.headers.get("Content-Length") or 0)
        if self.path.startswith("/upload/"):
            self._upload(self.path.removeprefix("/upload/"), self.rfile.read(length))
            return
        raw = self.rfile.read(length).decode("utf-8")
        if "json" in (self.headers.get("Content-Type") or ""):
            params = json.loads(raw or "{}")
        else:
            params = dict(parse_qsl(raw))
            for key in ("blocks", "view", "attachments", "files"):
                if isinstance(params.get(key), str):
                    with contextlib.suppress(ValueError):
                        params[key] = json.loads(params[key])
        auth = self.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ") or params.get("token")
        method = self.path.rsplit("/", 1)[-1].split("?")[0]
        status, body, headers = self.server.fake.handle(method, params, token)
        if status == -1:  # a dropped connection: close without an answer
            self.close_connection = True
            self.connection.close()
            return
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        with contextlib.suppress(ConnectionError):  # the bot may have died waiting (a held call)
            self.end_headers()
            self.wfile.write(data)

    def _upload(self, file_id: str, content: bytes) -> None:
        """The upload URL's answer: 200 when the bytes are for a file being uploaded."""
        ok = self.server.fake.receive_upload(file_id, content)
        data = f"OK - {len(content)}".encode() if ok else b"unknown upload"
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        """`GET /_counts`: calls answered per method, for a fake running in another process."""
        if self.path != "/_counts":
            self.send_error(404)
            return
        with self.server.fake._lock:
            data = json.dumps(dict(self.server.fake.counts)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the calls are recorded instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeSlack

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hung up (a killed bot); report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeSlackServer:
    """Runs a `FakeSlack` on 127.0.0.1 at a free port, in a background thread."""

    def __init__(self, fake: FakeSlack | None = None) -> None:
        self.fake = fake or FakeSlack()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self.fake
        self.fake.url = self.url
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def url(self) -> str:
        """The Web API root to give the bot as `SLACK_API_URL`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/"

    def __enter__(self) -> FakeSlackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
