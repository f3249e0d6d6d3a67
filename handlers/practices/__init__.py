"""Practices: members share what works; coordinators review; approved ones are published.

`KIND` declares practices to the review pipeline (the form, its row, its Block Kit, where it
is published); `register` adds what only practices have (Share as a practice on a message).
"""

from handlers.practices.kind import PRACTICES as KIND
from handlers.practices.listeners import register

__all__ = ["KIND", "register"]
