"""The `/ccsn` listener: route to a feature's subcommand, or answer with help."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.ccsn import ids
from handlers.ccsn.router import CommandCall, Subcommand, help_text, parse


def register(app: App, subcommands: Sequence[Subcommand]) -> None:
    """Attach `/ccsn` with every feature's subcommands, and `help`, which lists them all."""

    def show_help(call: CommandCall) -> None:
        call.ack(text=help_text(listed))

    listed = [*subcommands, Subcommand("help", "list these commands, one line each", show_help)]
    table = {subcommand.name: subcommand for subcommand in listed}

    def route(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        name, args = parse(str(body.get("text") or ""))
        subcommand = table.get(name)
        if subcommand is None:
            ack(text=help_text(listed, name))
            return
        subcommand.run(CommandCall(ack, body, client, str(body["user_id"]), args))

    def finish(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """The slow part of a subcommand, after Slack has its answer (a Bolt lazy listener)."""
        name, args = parse(str(body.get("text") or ""))
        subcommand = table.get(name)
        if subcommand is not None and subcommand.later is not None:
            subcommand.later(CommandCall(ack, body, client, str(body["user_id"]), args))

    if any(subcommand.later is not None for subcommand in listed):
        app.command(ids.CCSN_COMMAND)(ack=route, lazy=[finish])
    else:
        app.command(ids.CCSN_COMMAND)(route)
