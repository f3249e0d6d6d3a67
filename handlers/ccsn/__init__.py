"""`/ccsn`: one slash command whose subcommands the features provide."""

from handlers.ccsn.listeners import register
from handlers.ccsn.router import CommandCall, Subcommand

__all__ = ["CommandCall", "Subcommand", "register"]
