"""View submissions already handled, so a resubmitted view cannot create a second record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime


class HandledView(Base):
    """A `view.id` whose submission has been saved."""

    __tablename__ = "handled_views"

    view_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(UtcDateTime())
