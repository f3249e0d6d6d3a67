"""A member's personal weekly digest and what it is filtered by."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime


class DigestSubscription(Base):
    """One member's subscription; an empty filter list means "everything"."""

    __tablename__ = "digest_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), unique=True)
    regions: Mapped[list[str]] = mapped_column(JSON)
    pillars: Mapped[list[str]] = mapped_column(JSON)
    ta_topics: Mapped[list[str]] = mapped_column(JSON)
    # Applies to the Policy & funding section only: nothing else is tagged with them.
    funding_streams: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
