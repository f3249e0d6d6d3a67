"""A member's request for technical assistance (TA), and where it stands."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime, str_enum


class TaStatus(enum.StrEnum):
    """Where a request stands: open → claimed → resolved; claimed → open on release.

    Any state that is not final may become `cancelled` (by the requester).
    """

    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


class TaFeedback(enum.StrEnum):
    """The requester's one-click answer to "Was this helpful?" after resolution."""

    HELPFUL = "helpful"
    NOT_HELPFUL = "not_helpful"


class TaRequest(Base):
    """What the member asked for, who holds it, and how it ended.

    `opened_at` is when the request last became open (on submission or release), so the
    unclaimed reminder counts from then; `claims` counts claims, so each claim gets its own
    reminder.

    `offering_id` is the directory offering it was asked of (**Request from them**), and
    `offering_contacts` the contacts of matching offerings its post mentioned (that one's
    first): they may claim it like the configured providers. `matched_offerings` counts the
    offerings that covered it when it was asked. All three are empty for requests made before
    the directory.
    """

    __tablename__ = "ta_requests"
    __table_args__ = (
        Index("ix_ta_requests_status_opened_at", "status", "opened_at"),
        # The weekly digest counts the requests resolved in its week, among years of them.
        Index("ix_ta_requests_status_resolved_at", "status", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[TaStatus] = mapped_column(str_enum(TaStatus, 16), default=TaStatus.OPEN)
    requester_id: Mapped[str] = mapped_column(String(32), index=True)
    topic: Mapped[str] = mapped_column(String(32))
    need: Mapped[str] = mapped_column(Text)
    county: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[str] = mapped_column(String(150))
    needed_by: Mapped[date] = mapped_column(Date)
    format: Mapped[str] = mapped_column(String(32))
    share_in_digest: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claims: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolution: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    feedback: Mapped[TaFeedback | None] = mapped_column(str_enum(TaFeedback, 16))
    feedback_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    offering_id: Mapped[int | None]
    offering_contacts: Mapped[list[str] | None] = mapped_column(JSON)
    matched_offerings: Mapped[int | None]

    @property
    def offering_people(self) -> tuple[str, ...]:
        """The offerings' contacts its post mentions, first among those who may claim it."""
        return tuple(self.offering_contacts or ())
