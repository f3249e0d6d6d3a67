"""Subcommands of `/ccsn`: each feature offers its own, and the router finds the right one.

A feature adds a subcommand by returning `Subcommand`s from a `subcommands(deps)` function in
its package; `handlers.register_all` collects them. Anything unknown gets the help text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from handlers import blocks
from handlers.ccsn import ids
from handlers.events.ids import ANNOUNCE_COMMAND
from handlers.practices.ids import SHARE_COMMAND
from handlers.ta.ids import REQUEST_COMMAND
from handlers.ta_offerings.ids import OFFER_COMMAND

# The bot's other slash commands, named at the end of the help so it lists every command.
OTHER_COMMANDS = (
    (SHARE_COMMAND, "share a practice (or use Share as a practice on any message)"),
    (REQUEST_COMMAND, "ask the network's TA providers for technical assistance"),
    (ANNOUNCE_COMMAND, "announce a webinar, convening or hearing"),
    (OFFER_COMMAND, "list technical assistance you offer in the TA directory"),
)


@dataclass(frozen=True)
class CommandCall:
    """One `/ccsn <name> <args>` to answer.

    `user_id` is who asked, as Slack vouches; `args` is the text after the name. Answer with
    `ack` within 3 seconds, or open a modal with `client` and `body["trigger_id"]`.
    """

    ack: Ack
    body: dict[str, Any]
    client: WebClient
    user_id: str
    args: str


@dataclass(frozen=True)
class Subcommand:
    """A `/ccsn` subcommand: its name, a one-line description for the help, and its handler.

    `run` answers within Slack's 3 seconds. Work that may take longer goes in `later`, which
    Bolt runs as a lazy listener once the answer has gone back (its `ack` does nothing), so
    `run` answers first, for example "Preparing…", and `later` checks everything again: it
    runs for every call of the subcommand, including ones `run` refused.
    """

    name: str
    summary: str
    run: Callable[[CommandCall], None]
    later: Callable[[CommandCall], None] | None = None


def help_text(subcommands: Sequence[Subcommand], unknown: str = "") -> str:
    """Every command, one line each, led by a note when the member typed something unknown."""
    lines = [f"• `{ids.CCSN_COMMAND} {s.name}`: {s.summary}" for s in subcommands]
    others = [f"• `{command}`: {summary}" for command, summary in OTHER_COMMANDS]
    opening = f"I don't know `{blocks.quote(unknown, 50)}`. " if unknown else ""
    return (
        f"{opening}Here is what `{ids.CCSN_COMMAND}` can do:\n"
        + "\n".join(lines)
        + "\nAnd the other commands:\n"
        + "\n".join(others)
        + "\nYour own submissions, upcoming events and digest settings are on CCSN Hub's "
        "Home tab."
    )


def parse(text: str) -> tuple[str, str]:
    """The subcommand name (lower-cased) and the rest of the text."""
    name, _, args = (text or "").strip().partition(" ")
    return name.lower(), args.strip()
