"""Bolt listeners, one package per feature; `register_all` is the only thing the app calls."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from handlers import practices, review


def register_all(app: App, deps: Deps) -> None:
    """Attach every feature's listeners to the app."""
    for feature in (practices, review):
        feature.register(app, deps)
