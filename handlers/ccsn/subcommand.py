"""What a `/ccsn` subcommand is, apart from the router, so a feature can offer one.

Kept free of any feature's imports: the router names the other features' commands in its
help, and a feature (the policy tracker) that imports these types must not need the router.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient


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
