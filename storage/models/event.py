"""An event a member announced, where it stands in review, and whether it still happens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime, str_enum


class EventStatus(enum.StrEnum):
    """Review states, plus `cancelled` for an approved event that will no longer happen.

    `withdrawn`: the member took it back before it was announced.
    """

    PENDING = "pending"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"


class Event(Base):
    """A webinar, convening, community of practice or hearing, with its review outcome.

    `revision` counts submissions to the coordinators (as for practices); `sequence` counts
    changes after publication, and is the iCalendar SEQUENCE that tells subscribed calendars
    to replace their copy.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_status_starts_at", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[EventStatus] = mapped_column(
        str_enum(EventStatus, 32),
        default=EventStatus.PENDING,
    )
    submitter_id: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(150))
    event_type: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    virtual_link: Mapped[str | None] = mapped_column(String(3000))
    location: Mapped[str | None] = mapped_column(String(300))
    registration_link: Mapped[str | None] = mapped_column(String(3000))
    host_organisation: Mapped[str] = mapped_column(String(150))
    region: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=1)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    rescheduled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_by: Mapped[str | None] = mapped_column(String(32))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
