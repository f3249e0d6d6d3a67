"""An offering of technical assistance in the TA directory, and where it stands.

Offerings go through review like every submission. Once approved they stay listed until their
provider retires them; once a year their contacts are asked whether they still offer it, and
silence marks them unconfirmed (still listed, labelled so) rather than removing them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.vocabulary import TA_TOPICS
from storage.models.base import Base
from storage.types import UtcDateTime, str_enum

TITLE_MAX = 200


class TaOfferingStatus(enum.StrEnum):
    """Review states, plus `retired` for an approved offering its provider no longer offers.

    `withdrawn`: the member took it back before it was listed.
    """

    PENDING = "pending"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    RETIRED = "retired"


class TaOffering(Base):
    """Who offers what help, where, how, at what cost, and whom to contact.

    `revision` counts submissions to the coordinators; `sequence` counts live edits after
    approval (an edit form carries it, so a stale form cannot overwrite a newer edit).
    `confirmed_at` is when it was last known to be offered (approval, or Still offered);
    `reconfirm_asked_at` when its contacts were last asked, and `unconfirmed_at` when that
    question went unanswered for 30 days.
    """

    __tablename__ = "ta_offerings"
    __table_args__ = (
        Index("ix_ta_offerings_status_submitted_at", "status", "submitted_at"),
        Index("ix_ta_offerings_status_decided_at", "status", "decided_at"),
        Index("ix_ta_offerings_status_confirmed_at", "status", "confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[TaOfferingStatus] = mapped_column(
        str_enum(TaOfferingStatus, 32), default=TaOfferingStatus.PENDING
    )
    submitter_id: Mapped[str] = mapped_column(String(32), index=True)
    organisation: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON)
    regions: Mapped[list[str]] = mapped_column(JSON)
    formats: Mapped[list[str]] = mapped_column(JSON)
    cost: Mapped[str] = mapped_column(String(16))
    languages: Mapped[list[str]] = mapped_column(JSON)
    contact_link: Mapped[str] = mapped_column(String(2000))
    contacts: Mapped[list[str]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(default=1)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reconfirm_asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    unconfirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    retired_by: Mapped[str | None] = mapped_column(String(32))

    @property
    def title(self) -> str:
        """What review posts and DMs call it: the organisation and its first topic."""
        first = TA_TOPICS.get(self.topics[0], self.topics[0]) if self.topics else "TA"
        more = f" (+{len(self.topics) - 1} more)" if len(self.topics) > 1 else ""
        return f"{self.organisation}: {first}{more}"[:TITLE_MAX]

    @property
    def contact_ids(self) -> list[str]:
        """The people who answer for it; the member who offered it when nobody is named."""
        return list(self.contacts) or [self.submitter_id]

    @property
    def unconfirmed(self) -> bool:
        """Whether its contacts let a yearly "still offered?" go unanswered."""
        return self.unconfirmed_at is not None
