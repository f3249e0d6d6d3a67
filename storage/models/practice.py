"""A practice a member shared, and where it stands in review."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime, str_enum


class PracticeStatus(enum.StrEnum):
    """Review states. `changes_requested` goes back to `pending` when the member resubmits.

    `withdrawn`: the member took it back before it was published.
    """

    PENDING = "pending"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Practice(Base):
    """A community-school practice: what the member wrote, plus the review outcome."""

    __tablename__ = "practices"
    __table_args__ = (
        Index("ix_practices_status_submitted_at", "status", "submitted_at"),
        # The weekly digest reads the practices approved in its week: without this, every
        # approved practice ever would be read to find them.
        Index("ix_practices_status_decided_at", "status", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[PracticeStatus] = mapped_column(
        str_enum(PracticeStatus, 32),
        default=PracticeStatus.PENDING,
    )
    submitter_id: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(Text)
    pillars: Mapped[list[str]] = mapped_column(JSON)
    county: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[str] = mapped_column(String(150))
    funding_streams: Mapped[list[str]] = mapped_column(JSON)
    link: Mapped[str | None] = mapped_column(String(3000))
    credit_submitter: Mapped[bool]
    # The member's Slack name for the public library, looked up once after approval and only
    # when they agreed to be credited (`credit_submitter`): never their Slack user ID. Empty
    # when Slack had no name to give; NULL until the lookup ran.
    submitter_name: Mapped[str | None] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decision_reason: Mapped[str | None] = mapped_column(Text)
