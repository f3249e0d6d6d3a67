"""Technical-assistance requests: `/request-ta`, claiming, resolving, and reminders."""

from handlers.ta.listeners import register
from handlers.ta.reminders import jobs

__all__ = ["jobs", "register"]
