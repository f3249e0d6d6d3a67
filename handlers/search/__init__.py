"""Searching what the network has published: `/ccsn search`."""

from __future__ import annotations

from slack_bolt import App

from handlers.deps import Deps
from handlers.search.listeners import subcommands


def register(app: App, deps: Deps) -> None:
    """Search has no listeners of its own: it answers `/ccsn search` (see `subcommands`)."""


__all__ = ["register", "subcommands"]
