"""The kinds of submission coordinators review, by the name their buttons carry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.review.kinds import ReviewKind
from handlers.review.schemas import SubmissionRef


def kinds() -> Mapping[str, ReviewKind[Any]]:
    """Every reviewable kind by name.

    Imported on first use rather than when this module loads: each kind's module builds on
    review's views, so importing the kinds while the review package itself loads is circular.
    """
    from handlers.events.reviewable import EVENTS
    from handlers.practices.reviewable import PRACTICES

    return {kind.name: kind for kind in (PRACTICES, EVENTS)}


def resolve(value: object) -> tuple[ReviewKind[Any], int] | None:
    """The kind and id named by an untrusted button value or metadata field (`event:12`)."""
    ref = SubmissionRef.parse(value)
    kind = kinds().get(ref.kind) if ref is not None else None
    if ref is None or kind is None:
        return None
    return kind, ref.id
