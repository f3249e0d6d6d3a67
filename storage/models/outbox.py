"""The outbox: Slack messages owed because of a state change, written in the same transaction."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime, str_enum


class OutboxStatus(enum.StrEnum):
    """Delivery states. `failed` is only for errors Slack will never accept (bad channel, ...)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    """One Web API call to make: `chat.postMessage` or `chat.update`.

    `key` names a message so later rows can refer to it: `update_of` edits that message once it
    has a `ts`, `thread_of` posts this message as a reply in that message's thread, and each of
    `links` (`storage.outbox_links.LinkSpot`, as JSON) puts a link to one into a string of the
    payload. Only these fields refer to other messages: the payload's text never does.

    `maybe_sent` marks a `chat.postMessage` whose last attempt may have reached Slack: one
    whose answer timed out, or one claimed again after its holder's lease ran out with no
    outcome recorded (a crash). It is cleared once an outcome is known; until then the worker
    first looks for the message in Slack (by its `metadata`) instead of posting it again.
    """

    __tablename__ = "outbox_messages"
    # Partial indexes over pending rows only: claiming stays as fast with a million delivered
    # messages in the table as with none.
    __table_args__ = (
        Index(
            "ix_outbox_messages_pending_id",
            "id",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index(
            "ix_outbox_messages_pending_channel",
            "channel",
            "id",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(128), unique=True)
    method: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    update_of: Mapped[str | None] = mapped_column(String(128))
    links: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    thread_of: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, 16),
        default=OutboxStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    maybe_sent: Mapped[bool] = mapped_column(default=False, server_default=false())
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Who holds the lease: outcomes are recorded, and sends made, only by the holder.
    lease_token: Mapped[str | None] = mapped_column(String(36))
    last_error: Mapped[str | None] = mapped_column(Text)
    ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
