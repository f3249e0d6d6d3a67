"""Subcommands of `/ccsn`: each feature offers its own, and the router finds the right one.

A feature adds a subcommand by returning `Subcommand`s from a `subcommands(deps)` function in
its package; `handlers.register_all` collects them. Anything unknown gets the help text.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers import blocks
from handlers.ccsn import ids
from handlers.ccsn.subcommand import CommandCall, Subcommand
from handlers.events.ids import ANNOUNCE_COMMAND
from handlers.policy.ids import SHARE_COMMAND as POLICY_COMMAND
from handlers.practices.ids import SHARE_COMMAND
from handlers.ta.ids import REQUEST_COMMAND
from handlers.ta_offerings.ids import OFFER_COMMAND

__all__ = ["OTHER_COMMANDS", "CommandCall", "Subcommand", "help_text", "parse"]

# The bot's other slash commands, named at the end of the help so it lists every command.
OTHER_COMMANDS = (
    (SHARE_COMMAND, "share a practice (or use Share as a practice on any message)"),
    (REQUEST_COMMAND, "ask the network's TA providers for technical assistance"),
    (ANNOUNCE_COMMAND, "announce a webinar, convening or hearing"),
    (OFFER_COMMAND, "list technical assistance you offer in the TA directory"),
    (POLICY_COMMAND, "share a bill, budget item, guidance or funding deadline to track"),
)


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
