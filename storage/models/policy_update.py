"""A policy or funding update a member shared, where it stands in review, and who follows it."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime, str_enum


class PolicyStatus(enum.StrEnum):
    """Review states (the pipeline's). Where the bill or grant itself stands is `stage`.

    `withdrawn`: the member took it back before it was published.
    """

    PENDING = "pending"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class PolicyUpdate(Base):
    """A bill, budget item, regulation or guidance, funding opportunity or local policy.

    `key_dates` is a list of up to three `{"label": "Hearing", "on": "2026-12-10"}` (dates in
    the network's time zone, all-day); `last_key_date` is the latest of them, so the queries
    for reminders, the digest and `/deadlines.ics` read only updates with a date still ahead.
    `history` lists each status change after publication (`{"at", "stage", "note", "by"}`);
    `sequence` counts them, and every such change is compare-and-set on it.
    """

    __tablename__ = "policy_updates"
    __table_args__ = (
        Index("ix_policy_updates_status_submitted_at", "status", "submitted_at"),
        Index("ix_policy_updates_status_last_key_date", "status", "last_key_date"),
        Index("ix_policy_updates_status_changed_at", "status", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[PolicyStatus] = mapped_column(
        str_enum(PolicyStatus, 32), default=PolicyStatus.PENDING
    )
    submitter_id: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(150))
    update_kind: Mapped[str] = mapped_column(String(32))
    # `state` (State of California) or one of the 58 county names.
    jurisdiction: Mapped[str] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(64))
    district: Mapped[str | None] = mapped_column(String(150))
    identifier: Mapped[str | None] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(32))
    key_dates: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    last_key_date: Mapped[date | None] = mapped_column(Date())
    source_link: Mapped[str] = mapped_column(String(3000))
    summary: Mapped[str] = mapped_column(Text)
    pillars: Mapped[list[str]] = mapped_column(JSON)
    funding_streams: Mapped[list[str]] = mapped_column(JSON)
    how_to_act: Mapped[str | None] = mapped_column(Text)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(default=1)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # When its stage last changed after publication (the digest lists updates changed in
    # its window); None until the first change.
    changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decision_reason: Mapped[str | None] = mapped_column(Text)


class PolicyFollower(Base):
    """One member following one update: told of each status change, reminded of its dates.

    The primary key (update, user) makes a second follow by the same member impossible on
    either database, however the clicks race.
    """

    __tablename__ = "policy_followers"

    update_id: Mapped[int] = mapped_column(
        ForeignKey("policy_updates.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
