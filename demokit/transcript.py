"""The demo's transcript: numbered stories, their steps, and what Slack was asked to show.

Each Web API call becomes one line (method, where, the message's text) followed by what a
person would read in Slack: headers, sections, context lines and the buttons, with channel and
people IDs turned into names and Slack's escaping undone. Calls that show nothing (auth checks,
permalinks, opening DMs) are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

from demokit.fake_slack import Call

SHOWN = {
    "chat.postMessage": "post",
    "chat.update": "edit",
    "chat.postEphemeral": "only you",
}
MENTION = re.compile(r"<[@#]([A-Z0-9]+)(?:\|[^>]*)?>")
LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")  # Slack's localised date: its fallback
BARE_LINK = re.compile(r"<(https?://[^|>]+)>")
INDENT = "      │ "


class Transcript:
    """Writes stories and steps to `out`, each step with the calls made since the last one."""

    def __init__(self, out: IO[str], names: Mapping[str, str]) -> None:
        self._out = out
        self._names = names
        self._stories = 0
        self._shown = 0
        self._messages: dict[tuple[str, str], list[str]] = {}  # (channel, ts): lines shown

    def story(self, title: str) -> None:
        """Start the next numbered story ("1. A member shares a practice ...")."""
        self._stories += 1
        self._out.write(f"\n{self._stories}. {title}\n")

    def step(self, what: str, calls: Sequence[Call]) -> None:
        """Print one step and every call Slack received since the previous step."""
        self._out.write(f"\n  -- {what}\n")
        for call in calls[self._shown :]:
            for line in self.describe(call):
                self._out.write(line + "\n")
        self._shown = len(calls)

    def describe(self, call: Call) -> list[str]:
        """The lines a call shows: a summary, then the message as a person reads it.

        An edit shows only the lines that changed since that message was last shown.
        """
        params = call.params
        if call.method == "views.open":
            view = _json(params.get("view"))
            title = (view.get("title") or {}).get("text", "")
            return [f"  [views.open]        opened the modal “{title}”"]
        if call.method not in SHOWN:
            return []
        where = self.name(str(params.get("channel", "")))
        label = SHOWN[call.method]
        if call.method == "chat.postEphemeral":
            label = f"only {self._names.get(str(params.get('user')), 'they')} can see it"
        first, *rest = self.readable(str(params.get("text", ""))).splitlines() or [""]
        shown = list(self._block_lines(params.get("blocks"))) or rest
        body = [line for line in shown if line != first]
        lines = [f"  [{call.method}] {where} ({label}): {first}"]
        return lines + [INDENT + line for line in self._news(call, body)]

    def _news(self, call: Call, body: list[str]) -> list[str]:
        """`body`; for an edit of a message shown before, what changed and how much did not."""
        params = call.params
        message = (str(params.get("channel")), str(params.get("ts") or call.response.get("ts")))
        before = self._messages.get(message)
        self._messages[message] = body
        if call.method != "chat.update" or before is None:
            return body
        changed = [line for line in body if line not in before]
        if len(changed) == len(body):
            return body
        return [f"… ({len(body) - len(changed)} lines as before)", *changed]

    def name(self, slack_id: str) -> str:
        """A channel's or person's name; a person's DM channel is "DM to" them."""
        if slack_id.startswith("U") or slack_id.startswith("D"):
            person = self._names.get(slack_id.removeprefix("D"), slack_id)
            return f"DM to {person}"
        return self._names.get(slack_id, slack_id)

    def readable(self, text: str) -> str:
        """Slack mrkdwn as plain text: names for mentions, "label (url)" for links."""
        text = MENTION.sub(lambda m: "@" + self._names.get(m[1], m[1]), text)
        text = LINK.sub(lambda m: f"{m[2]} ({m[1]})", text)
        text = DATE.sub(lambda m: m[1], text)
        text = BARE_LINK.sub(lambda m: m[1], text)
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    def _block_lines(self, blocks: Any) -> Iterator[str]:
        for block in _json_list(blocks):
            kind = block.get("type")
            if kind in ("header", "section") and block.get("text"):
                yield from self._text_lines(block["text"]["text"])
            if kind == "section":
                for field in block.get("fields") or []:
                    yield from self._text_lines(field["text"])
            elif kind == "context":
                for element in block.get("elements", []):
                    if "text" in element:
                        yield from self._text_lines(element["text"])
            elif kind == "actions":
                labels = [e["text"]["text"] for e in block.get("elements", []) if "text" in e]
                if labels:
                    yield "  ".join(f"[{label}]" for label in labels)

    def _text_lines(self, text: str) -> Iterator[str]:
        for line in self.readable(text).splitlines():
            if line.strip():
                yield line


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return dict(json.loads(value))
    return dict(value or {})


def _json_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        return list(json.loads(value))
    return list(value or [])
