"""Review decisions, their outcomes, and references to what is being reviewed."""

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

    @property
    def outcome(self) -> str:
        """The state a submission is in after this decision (also the audit action)."""
        return _OUTCOMES[self]


_OUTCOMES = {
    ReviewDecision.APPROVE: "approved",
    ReviewDecision.REQUEST_CHANGES: "changes_requested",
    ReviewDecision.REJECT: "rejected",
}


@dataclass(frozen=True)
class ReviewOutcome:
    """Whether a decision took effect, and what to tell the coordinator if it did not."""

    accepted: bool
    message: str = ""


@dataclass(frozen=True)
class SubmissionRef:
    """Which submission a button or form is about: `event:12`, `practice:7`."""

    kind: str
    id: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, value: object) -> SubmissionRef | None:
        """Read an untrusted button value or metadata field; None when malformed.

        A bare number is a practice: review posts already in Slack from before events existed
        carry only the practice id.
        """
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return None
        kind, _, number = value.rpartition(":")
        # ASCII only: str.isdigit() also accepts "²", which int() refuses.
        if not (number.isascii() and number.isdigit()) or len(number) >= 12 or int(number) <= 0:
            return None
        if not kind:
            kind = "practice"
        if not (kind.isalpha() and kind.islower() and len(kind) <= 32):
            return None
        return cls(kind, int(number))


REASON_MAX = 2000
