"""Logging: one event name plus fields per line, with no tokens and no request bodies."""

from __future__ import annotations

import logging
import re
from typing import TextIO

_SECRET = re.compile(r"xox[abprse]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Masks anything shaped like a Slack token, wherever it appears in a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with tokens masked; never drops a record."""
        message = record.getMessage()
        if _SECRET.search(message):
            record.msg = _SECRET.sub("[redacted]", message)
            record.args = None
        return True


def configure_logging(level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Set up the process's logging once, in the entry point.

    Bolt logs the body of a rejected request, and slack_sdk logs request payloads at DEBUG:
    both are held to WARNING so member text and signatures never reach the logs.
    """
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("slack_bolt", "slack_sdk", "urllib3", "sqlalchemy.engine", "alembic", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
