"""The offline demo: the real bot, a local stand-in for Slack, and a transcript of what it sent.

A member runs `/share-practice`, fills in the form, and a coordinator approves it, all as
signed HTTP requests to the bot's own endpoint, exactly as Slack would send them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import IO, Any

import httpx

from bot.app import build_runtime
from bot.web import SLACK_PATH, WebApp
from core.config import load_settings
from demokit import simulate
from demokit.fake_slack import Call, FakeSlackServer
from demokit.local_server import LocalServer
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from storage.migrate import upgrade

MEMBER = "UMEMBER01"
COORDINATOR = "UCOORD001"
CHANNEL_NAMES = {
    "CREVIEW01": "#ccsn-review",
    "CPRACTICE1": "#practices",
    MEMBER: "DM to the member",
    COORDINATOR: "DM to the coordinator",
}
SECRET = "demo-signing-secret"


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _describe(call: Call) -> str | None:
    params = call.params
    channel = str(params.get("channel", ""))
    where = CHANNEL_NAMES.get(channel, channel)
    if call.method == "views.open":
        view = params.get("view") or {}
        if isinstance(view, str):
            view = json.loads(view)
        title = (view.get("title") or {}).get("text", "")
        return f"[views.open]        opened the modal “{title}”"
    if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
        label = {
            "chat.postMessage": "post",
            "chat.update": "edit",
            "chat.postEphemeral": "only you",
        }
        text = _unescape(str(params.get("text", "")))
        return f"[{call.method}] {where} ({label[call.method]}): {text}"
    return None


def run_demo(out: IO[str], keep_in: Path | None = None) -> str:
    """Play one practice from sharing to publication, printing each message the bot sent.

    Returns the demo database's URL; it outlives the demo only when `keep_in` is given.
    """
    with tempfile.TemporaryDirectory() as tmp, FakeSlackServer() as slack:
        settings = load_settings(
            None,
            slack_bot_token=slack.fake.bot_token,
            slack_signing_secret=SECRET,
            slack_api_url=slack.url,
            database_url=f"sqlite:///{Path(keep_in or tmp) / 'demo.db'}",
            ccsn_coordinators=COORDINATOR,
            ccsn_coordinator_channel="CREVIEW01",
            ccsn_practices_channel="CPRACTICE1",
        )
        upgrade(settings.database_url)
        runtime = build_runtime(settings)
        shown = 0

        def show(step: str) -> None:
            nonlocal shown
            runtime.delivery.drain()
            out.write(f"\n== {step}\n")
            for call in slack.fake.calls[shown:]:
                line = _describe(call)
                if line:
                    out.write(line + "\n")
            shown = len(slack.fake.calls)

        with LocalServer(WebApp(runtime.app, runtime.engine)) as server:
            http = httpx.Client(base_url=server.url, timeout=10)

            def send(body: str, content_type: str) -> httpx.Response:
                headers = {**simulate.sign(SECRET, body), "Content-Type": content_type}
                return http.post(SLACK_PATH, content=body, headers=headers)

            form = "application/x-www-form-urlencoded"
            out.write(
                "CCSN Hub offline demo: the real bot, talking to a local stand-in for Slack.\n"
            )
            send(simulate.slash_command(practice_ids.SHARE_COMMAND, MEMBER), form)
            show("A member types /share-practice")
            values = simulate.practice_values()
            send(
                simulate.view_submission(
                    practice_ids.PRACTICE_MODAL, MEMBER, values, view_id="VDEMO0001"
                ),
                form,
            )
            show("The member submits the form")
            send(
                simulate.button_click(review_ids.APPROVE_ACTION, "1", MEMBER, channel="CREVIEW01"),
                form,
            )
            show("The member tries to approve their own practice")
            review_ts = slack.fake.posts("CREVIEW01")[0]
            send(
                simulate.button_click(
                    review_ids.APPROVE_ACTION,
                    "1",
                    COORDINATOR,
                    channel="CREVIEW01",
                    message_ts=str(_ts_of(review_ts)),
                ),
                form,
            )
            show("A coordinator clicks Approve")
            http.close()
        runtime.close()
    out.write("\nThat's the product working end to end. Connect a workspace to use it for real.\n")
    return settings.database_url


def _ts_of(post: dict[str, Any]) -> str:
    return str(post.get("ts", "1700000000.000001"))
