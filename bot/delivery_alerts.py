"""When Slack refuses a message for good, the coordinators hear about it, once.

A message marked failed (the channel was archived, the bot was removed from it, ...) would
otherwise only show in `ccsn-bot outbox`. Each coordinator gets one DM per failing channel and
error; later failures of the same kind are counted in `ccsn-bot outbox`, not repeated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from bot.outbox import FailureHook
from core.config import Settings
from handlers import blocks
from storage import outbox_links
from storage.models import OutboxMessage
from storage.uow import UnitOfWork


def failure_notice(channel: str, error: str) -> dict[str, object]:
    """The DM telling a coordinator a message could not be delivered."""
    where = f"<@{channel}>" if channel.startswith(("U", "W")) else f"<#{channel}>"
    text = (
        f":warning: A message to {where} could not be delivered: Slack said "
        f"{blocks.code(error)}. Fix the channel (invite the bot, unarchive it, or correct "
        "the setting), then run `ccsn-bot outbox retry`."
    )
    return {"text": text, "blocks": [blocks.section(text)]}


def notify_coordinators(settings: Callable[[], Settings]) -> FailureHook:
    """The outbox's failure hook: enqueue one notice per coordinator, channel and error.

    `settings` gives the effective settings at the time of the failure, so coordinators added
    in Home hear about it too.
    """

    def hook(uow: UnitOfWork, message: OutboxMessage, error: str, now: datetime) -> None:
        if message.key and message.key.startswith(outbox_links.FAILURE_NOTICE_PREFIX):
            return  # a notice that itself failed must not start a loop
        for coordinator in settings().ccsn_coordinators:
            # The error text may be long (a proxy's page): a digest of it keeps the key short.
            digest = hashlib.sha256(error.encode()).hexdigest()[:12]
            key = outbox_links.failure_notice_key(message.channel, digest, coordinator)
            if uow.outbox.by_key(key) is None:
                uow.outbox.enqueue(
                    method="chat.postMessage",
                    channel=coordinator,
                    payload=failure_notice(message.channel, error),
                    at=now,
                    key=key,
                )

    return hook
