"""Who said they will attend which event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime


class Rsvp(Base):
    """One member attending one event.

    The primary key (event, user) makes a second RSVP by the same member impossible on either
    database, however the clicks race.
    """

    __tablename__ = "rsvps"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
