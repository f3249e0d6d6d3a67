"""Review decisions and their outcomes."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ReviewDecision(enum.StrEnum):
    """What a coordinator can decide about a pending submission."""

    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"

    @property
    def needs_reason(self) -> bool:
        """Rejections and change requests tell the member why."""
        return self is not ReviewDecision.APPROVE


@dataclass(frozen=True)
class ReviewOutcome:
    """Whether a decision took effect, and what to tell the coordinator if it did not."""

    accepted: bool
    message: str = ""


REASON_MAX = 2000
