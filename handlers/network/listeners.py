"""Bolt wiring of the network settings: the submission guard and `/ccsn setup`.

The settings' own controls live on Home, so `handlers.home.listeners` answers them (it owns
publishing the tab) and calls `handlers.network.service`.
"""

from __future__ import annotations

from slack_bolt import App

from handlers.ccsn.router import CommandCall, Subcommand
from handlers.deps import Deps
from handlers.network import ids, service
from handlers.network.guard import submissions_need_channels


def register(app: App, deps: Deps) -> None:
    """Refuse submissions politely while their channels are not chosen."""
    app.middleware(submissions_need_channels(deps))


def subcommands(deps: Deps) -> list[Subcommand]:
    """`/ccsn setup`: the set-up check, for coordinators."""

    def setup(call: CommandCall) -> None:
        if not deps.settings.is_coordinator(call.user_id):
            call.ack(text=service.NOT_COORDINATOR_SETUP)
            return
        lines = service.setup_check(deps, call.client)
        call.ack(text=service.setup_text(lines))

    return [
        Subcommand(
            ids.SETUP_SUBCOMMAND,
            "check the channels, settings and scopes CCSN Hub needs (coordinators)",
            setup,
        )
    ]
