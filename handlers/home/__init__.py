"""The App Home tab: a member's own submissions and requests, events, digest, review queue."""

from handlers.home.listeners import register

__all__ = ["register"]
