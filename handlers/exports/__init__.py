"""Exports for coordinators: `/ccsn export` and `ccsn-bot export|stats` share one CSV builder."""

from __future__ import annotations

from slack_bolt import App

from handlers.deps import Deps
from handlers.exports.listeners import subcommands


def register(app: App, deps: Deps) -> None:
    """Exports have no listeners of their own: they answer `/ccsn export` (see `subcommands`)."""


__all__ = ["register", "subcommands"]
