"""Digests already posted: the database's guarantee of one digest per channel per period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime


class Digest(Base):
    """One digest sent to one channel (or, for a personal digest, one member's DM) for a period.

    The unique constraint on (channel, period_key) is what makes a restart, a retry or a second
    bot process unable to post the same digest twice: whoever inserts the row first, in the
    transaction that queues the messages, posts it; everyone else's insert fails.
    """

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("channel", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    period_key: Mapped[str] = mapped_column(String(32))
    covered_from: Mapped[datetime] = mapped_column(UtcDateTime())
    covered_until: Mapped[datetime] = mapped_column(UtcDateTime())
    messages: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
