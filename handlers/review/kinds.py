"""What review needs from each kind of submission (practices, events).

Review itself is the same for every kind: coordinators only, one decision wins, reasons reach
the submitter, approval publishes. A kind supplies what differs: how to load and move its
rows, and the Block Kit for its review post, its publication and the submitter's messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from core.config import Settings
from handlers.review.schemas import ReviewDecision
from handlers.review.views import DecisionView
from storage.models import SearchDocument
from storage.uow import UnitOfWork


class Submission(Protocol):
    """What review reads of any submission."""

    @property
    def id(self) -> int:
        """Database id."""

    @property
    def title(self) -> str:
        """Short title, shown to coordinators and in messages."""

    @property
    def submitter_id(self) -> str:
        """The member who submitted it."""

    @property
    def revision(self) -> int:
        """How many times it has been sent for review (1 for the first)."""

    @property
    def status(self) -> str:
        """Review state; every kind uses `pending`, `approved`, ... as values."""

    @property
    def decided_by(self) -> str | None:
        """The coordinator who decided, once someone has."""


@dataclass(frozen=True)
class Publication:
    """Where an approved submission is posted, and the post."""

    channel: str
    message: dict[str, Any]


S = TypeVar("S", bound=Submission)


class ReviewKind(Protocol[S]):
    """One kind of submission under review. `name` appears in button values and outbox keys."""

    name: str
    noun: str

    def load(self, uow: UnitOfWork, item_id: int) -> S | None:
        """The submission, if it exists."""

    def transition(
        self,
        uow: UnitOfWork,
        item_id: int,
        decision: ReviewDecision,
        *,
        revision: int,
        actor_id: str,
        at: datetime,
        reason: str | None,
    ) -> bool:
        """Move this pending revision to the decision's state, as one compare-and-set UPDATE.

        False if it was not pending or is no longer this revision. On True the loaded
        submission is the row as that UPDATE left it, so what is published is what was decided.
        """

    def withdraw(self, uow: UnitOfWork, item_id: int, *, submitter_id: str, at: datetime) -> bool:
        """The submitter takes back a submission not yet decided; False if it was decided."""

    def review_post(
        self, item: S, settings: Settings, decision: DecisionView | None = None
    ) -> dict[str, Any]:
        """The coordinators' post: with buttons while pending, with the verdict after."""

    def publication(self, item: S, settings: Settings) -> Publication:
        """Where and how an approved submission is published."""

    def approved_message(self, item: S, settings: Settings, link: str) -> dict[str, Any]:
        """The submitter's DM on approval; `link` is the link to the publication, as mrkdwn."""

    def rejected_message(self, item: S, reason: str) -> dict[str, Any]:
        """The submitter's DM on rejection, with the coordinator's reason."""

    def changes_message(self, item: S, reason: str) -> dict[str, Any]:
        """The submitter's DM asking for changes, with a button to edit and resubmit."""

    def search_document(self, item: S, *, post_key: str, at: datetime) -> SearchDocument:
        """The searchable copy of an approved submission (`/ccsn search` finds it)."""
