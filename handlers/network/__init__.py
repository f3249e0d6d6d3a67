"""The network's settings, chosen by coordinators in Home, and the set-up check."""

from handlers.network.listeners import register, subcommands

__all__ = ["register", "subcommands"]
