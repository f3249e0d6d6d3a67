"""The `/ccsn` listener: route to a feature's subcommand, or answer with help."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.ccsn import ids
from handlers.ccsn.router import CommandCall, Subcommand, help_text, parse


def register(app: App, subcommands: Sequence[Subcommand]) -> None:
    """Attach `/ccsn` with every feature's subcommands."""
    table = {subcommand.name: subcommand for subcommand in subcommands}

    @app.command(ids.CCSN_COMMAND)
    def route(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        name, args = parse(str(body.get("text") or ""))
        subcommand = table.get(name)
        if subcommand is None:
            ack(text=help_text(subcommands, "" if name in ("", "help") else name))
            return
        subcommand.run(CommandCall(ack, body, client, str(body["user_id"]), args))
