"""What a kind of submission declares to go through the one review pipeline.

The pipeline is the same for every kind: the form's field errors, saving, the receipt DM, the
coordinators' review post, Approve / Request changes / Reject with a reason, edits and
resubmission, withdrawal, stale buttons, racing decisions, audit rows and search indexing. A
kind (`handlers.practices.kind.PRACTICES`, `handlers.events.kind.EVENTS`) subclasses
`SubmissionKind` and supplies only what differs: its form and parser, its stored row (through
its `SubmissionRepository`), its Block Kit, and where it is published.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel

from core.config import Settings
from handlers.deps import Deps
from handlers.review import views as review_views
from handlers.review.schemas import EditRef, ReviewDecision, SubmissionRef
from handlers.review.views import DecisionView
from storage.models import SearchDocument
from storage.repositories.submissions import WAITING, SubmissionRepository
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


# A stored row. Its columns are the `Submission` protocol's, but mypy does not match SQLAlchemy's
# `Mapped[...]` descriptors against a protocol's properties, so the bound stays `Any`.
S = TypeVar("S", bound=Any)
F = TypeVar("F", bound=BaseModel)
FormValues = Mapping[str, Any]


class SubmissionKind(ABC, Generic[S, F]):
    """One kind of submission: its form, its row, its Block Kit and where it is published.

    `name` appears in button values (`practice:7@2`) and outbox keys, so it never changes.
    `S` is the stored row (a model with the columns `SubmissionRepository` moves) and `F` the
    checked form (a pydantic model whose fields are the row's own columns).
    """

    name: ClassVar[str]
    noun: ClassVar[str]
    # Past tense for "the member who ... it": shared, announced, offered.
    verb: ClassVar[str]
    modal_id: ClassVar[str]
    edit_action: ClassVar[str]
    # The field whose error line carries refusals that belong to no one field.
    error_block: ClassVar[str]
    # Slash commands and global shortcuts that open the blank form.
    commands: ClassVar[tuple[str, ...]] = ()
    shortcuts: ClassVar[tuple[str, ...]] = ()

    # -- storage ----------------------------------------------------------------------------

    @abstractmethod
    def repository(self, uow: UnitOfWork) -> SubmissionRepository[S]:
        """This kind's repository in the unit of work."""

    @abstractmethod
    def new(self, form: F, *, submitter_id: str, now: datetime) -> S:
        """The row for a new submission, pending review as revision 1 (not yet saved)."""

    def fields(self, form: F) -> dict[str, object]:
        """The columns an edit changes: the form's fields are the row's."""
        return form.model_dump()

    def load(self, uow: UnitOfWork, item_id: int) -> S | None:
        """The submission, if it exists."""
        return self.repository(uow).get(item_id)

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
        return self.repository(uow).transition(
            item_id,
            expected="pending",
            revision=revision,
            to=decision.outcome,
            actor_id=actor_id,
            at=at,
            reason=reason,
        )

    def withdraw(self, uow: UnitOfWork, item_id: int, *, submitter_id: str, at: datetime) -> bool:
        """The submitter takes back a submission not yet decided; False if it was decided."""
        return self.repository(uow).withdraw(item_id, submitter_id=submitter_id, at=at)

    # -- the form ---------------------------------------------------------------------------

    @abstractmethod
    def parse(self, values: FormValues, now: datetime) -> F | dict[str, str]:
        """The checked form, or an error message per `block_id` (Slack shows each under it)."""

    @abstractmethod
    def form_view(
        self, settings: Settings, item: S | None = None, edit: Mapping[str, object] | None = None
    ) -> dict[str, Any]:
        """The modal: blank for a new submission, or filled with `item` to edit it.

        `edit` is the metadata the form carries back (`edit_metadata`).
        """

    def edit_metadata(self, item: S) -> dict[str, object]:
        """What an edit form carries back: which submission, and the revision it showed."""
        return EditRef(SubmissionRef(self.name, item.id), item.revision).metadata()

    def edit_problem(
        self, item: S | None, user_id: str, settings: Settings, now: datetime
    ) -> str | None:
        """Why `user_id` may not edit this submission now, or None when they may.

        While it waits for review or for changes only its member may edit it, and the edit
        goes (back) to the coordinators. After a decision it is final unless the kind allows
        live edits (`live_edit_problem`).
        """
        if item is None:
            return f"That {self.noun} no longer exists."
        if str(item.status) in WAITING:
            if item.submitter_id != user_id:
                return f"Only the member who {self.verb} this {self.noun} can edit it."
            return None
        return self.live_edit_problem(item, user_id, settings, now)

    def live_edit_problem(
        self, item: S, user_id: str, settings: Settings, now: datetime
    ) -> str | None:
        """Why a decided submission cannot be edited in place; by default it never can."""
        if item.submitter_id != user_id:
            return f"Only the member who {self.verb} this {self.noun} can edit it."
        return f"This {self.noun} is not waiting for review or changes any more."

    def is_live(self, item: S) -> bool:
        """Whether an edit of `item` changes what is published (rather than going to review)."""
        return False

    def edit_live(
        self,
        uow: UnitOfWork,
        deps: Deps,
        item: S,
        form: F,
        *,
        user_id: str,
        edit: EditRef,
        now: datetime,
    ) -> str | None:
        """Apply an edit to a published submission in `uow`; a refusal for the form, or None.

        Only kinds whose `live_edit_problem` lets someone through need this.
        """
        raise NotImplementedError(f"{self.name} has no live edits")

    # -- Block Kit ---------------------------------------------------------------------------

    @abstractmethod
    def thanks_message(self, form: F, item_id: int) -> dict[str, Any]:
        """The member's receipt DM for a new submission."""

    @abstractmethod
    def resubmitted_message(self, form: F, item_id: int) -> dict[str, Any]:
        """The member's receipt DM for an edit sent back to review."""

    @abstractmethod
    def review_post(
        self, item: S, settings: Settings, decision: DecisionView | None = None
    ) -> dict[str, Any]:
        """The coordinators' post: with buttons while pending, with the verdict after."""

    @abstractmethod
    def publication(self, item: S, settings: Settings) -> Publication:
        """Where and how an approved submission is published."""

    def approved_message(self, item: S, settings: Settings, link: str) -> dict[str, Any]:
        """The submitter's DM on approval; `link` is the link to the publication, as mrkdwn."""
        return review_views.approved_message(item.title, link)

    def rejected_message(self, item: S, reason: str) -> dict[str, Any]:
        """The submitter's DM on rejection, with the coordinator's reason."""
        return review_views.rejected_message(item.title, reason)

    def changes_message(self, item: S, reason: str) -> dict[str, Any]:
        """The submitter's DM asking for changes, with a button to edit and resubmit."""
        return review_views.changes_message(
            item.title, reason, submission_id=item.id, edit_action=self.edit_action
        )

    @abstractmethod
    def search_document(self, item: S, *, post_key: str, at: datetime) -> SearchDocument:
        """The searchable copy of an approved submission (`/ccsn search` finds it)."""


class SubmissionKinds:
    """Every kind of submission, by the name its buttons and forms carry."""

    def __init__(self, kinds: tuple[SubmissionKind[Any, Any], ...]) -> None:
        self._by_name = {kind.name: kind for kind in kinds}
        if len(self._by_name) != len(kinds):
            raise ValueError("two kinds of submission share a name")

    def __iter__(self) -> Any:
        return iter(self._by_name.values())

    def get(self, name: str) -> SubmissionKind[Any, Any] | None:
        """The kind called `name`, if there is one."""
        return self._by_name.get(name)

    def resolve(self, value: object) -> tuple[SubmissionKind[Any, Any], int] | None:
        """The kind and id named by an untrusted button value or metadata field (`event:12`)."""
        ref = SubmissionRef.parse(value)
        kind = self._by_name.get(ref.kind) if ref is not None else None
        if ref is None or kind is None:
            return None
        return kind, ref.id
