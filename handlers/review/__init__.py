"""The one review pipeline every kind of submission goes through (see `kinds.SubmissionKind`)."""

from handlers.review.kinds import SubmissionKinds
from handlers.review.listeners import register

__all__ = ["SubmissionKinds", "register"]
