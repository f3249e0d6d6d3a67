"""Review decisions, their outcomes, and references to what is being reviewed."""

from __future__ import annotations

import enum
from collections.abc import Mapping
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
        """Read an untrusted button value or metadata field; None unless it is `kind:id`."""
        if not isinstance(value, str):
            return None
        kind, _, number = value.rpartition(":")
        # ASCII only: str.isdigit() also accepts "²", which int() refuses.
        if not (number.isascii() and number.isdigit()) or len(number) >= 12 or int(number) <= 0:
            return None
        # Lower-case words joined by `_` (`ta_offering`); nothing else reaches a lookup.
        word = kind.replace("_", "")
        if not (word.isalpha() and word.isascii() and kind.islower() and len(kind) <= 32):
            return None
        return cls(kind, int(number))


# Far above any real revision, and inside every database's integer, so a crafted number is a
# stale version rather than an overflow.
_VERSION_MAX = 2**31 - 1


def _version(value: object) -> int:
    """A revision or sequence number from metadata (0 is valid); -1 when malformed."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _VERSION_MAX:
        return value
    return -1


@dataclass(frozen=True)
class EditRef:
    """Which submission an edit form is for, and the version of it the form was opened on.

    `live` records whether it was opened as a live edit of something already published, so it
    is never saved the other way; `sequence` is the published version (events count each live
    edit). A malformed number reads as -1: a stale version, refused as out of date.
    """

    ref: SubmissionRef
    revision: int
    live: bool = False
    sequence: int = 0

    def metadata(self) -> dict[str, object]:
        """The form's `private_metadata` (as JSON) that `parse` reads back."""
        return {
            "ref": str(self.ref),
            "revision": self.revision,
            "live": self.live,
            "sequence": self.sequence,
        }

    @classmethod
    def parse(cls, meta: Mapping[str, object]) -> EditRef | None:
        """Read an edit form's untrusted metadata; None when it names no submission."""
        ref = SubmissionRef.parse(meta.get("ref"))
        if ref is None:
            return None
        return cls(
            ref,
            _version(meta.get("revision")),
            live=meta.get("live") is True,
            sequence=_version(meta.get("sequence")),
        )


REASON_MAX = 2000
