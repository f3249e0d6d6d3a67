"""What every kind of reviewed submission stores alike: saving, deciding, editing, withdrawing.

Practices, events (and each later kind) keep their own columns, but review moves them all
through the same states with the same compare-and-set UPDATEs. A kind's repository subclasses
`SubmissionRepository`, naming its model and status enum, and adds only its own queries.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.orm import Session

from storage.repositories.compare_and_set import compare_and_set
from storage.repositories.handled_views import HandledViewRepository
from storage.repositories.inserts import insert_returning

M = TypeVar("M")

# Review states every kind shares (their enums may add more, such as an event's `cancelled`).
PENDING = "pending"
CHANGES_REQUESTED = "changes_requested"
WITHDRAWN = "withdrawn"
WAITING = (PENDING, CHANGES_REQUESTED)


class SubmissionRepository(Generic[M]):
    """Loads and changes one kind's submissions. Every state change is compare-and-set.

    Subclasses set `model` (the mapped class, with `id`, `status`, `submitter_id`, `revision`,
    `submitted_at`, `decided_at`, `decided_by` and `decision_reason`) and `status_enum`.
    """

    model: ClassVar[type[Any]]
    status_enum: ClassVar[type[enum.StrEnum]]

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, item: M) -> M:
        """Save a new submission and give it its id; it is in the session from then on.

        One `INSERT … RETURNING` instead of the ORM's flush, which cost a submission about as
        much CPU again as everything else it does (issue 17).
        """
        insert_returning(self._session, item)
        return item

    def add_once(self, item: M, *, view_id: str, at: datetime) -> M | None:
        """Save a new submission made by the view `view_id`, unless that view was handled.

        None when an earlier submission of the view already claimed it: a repeat saves nothing.
        On PostgreSQL the claim and the row are one statement (`claim_and_insert`).
        """
        claimed = HandledViewRepository(self._session).claim_and_insert(view_id, at, item)
        return item if claimed else None

    def get(self, item_id: int) -> M | None:
        """The submission with this id, if any."""
        item: M | None = self._session.get(self.model, item_id)
        return item

    def transition(
        self,
        item_id: int,
        *,
        expected: str,
        revision: int,
        to: str,
        actor_id: str,
        at: datetime,
        reason: str | None = None,
    ) -> bool:
        """Move exactly this revision from `expected` to `to` (a coordinator's decision).

        False if someone else decided first or the member's edit made it a newer revision: the
        decision is for the text the coordinator read. One conditional UPDATE, so of racing
        decisions and edits exactly one wins on either database.
        """
        model = self.model
        return self._change(
            item_id,
            (model.status == self.status_enum(expected), model.revision == revision),
            status=self.status_enum(to),
            decided_by=actor_id,
            decided_at=at,
            decision_reason=reason,
            **self._touched(at),
        )

    def resubmit(
        self,
        item_id: int,
        *,
        expected: str,
        revision: int,
        changes: Mapping[str, Any],
        at: datetime,
    ) -> bool:
        """Put an edited submission back in the queue as the next revision.

        False unless exactly this revision is still in the state the member's edit was checked
        against (waiting for review, or for their changes). A stale edit form (or the same form
        submitted twice) cannot resubmit twice, and an edit racing a decision either lands
        before it (the decision is then refused) or is refused itself.
        """
        model = self.model
        return self._change(
            item_id,
            (model.status == self.status_enum(expected), model.revision == revision),
            **changes,
            status=self.status_enum(PENDING),
            revision=revision + 1,
            submitted_at=at,
            decided_at=None,
            decided_by=None,
            decision_reason=None,
            **self._touched(at),
        )

    def withdraw(self, item_id: int, *, submitter_id: str, at: datetime) -> bool:
        """The member takes back a submission not yet decided; False if it was decided first."""
        model = self.model
        return self._change(
            item_id,
            (
                model.submitter_id == submitter_id,
                model.status.in_([self.status_enum(s) for s in WAITING]),
            ),
            status=self.status_enum(WITHDRAWN),
            decided_by=submitter_id,
            decided_at=at,
            decision_reason=None,
            **self._touched(at),
        )

    def _touched(self, at: datetime) -> dict[str, Any]:
        """Extra columns every change sets (an event records when it last changed)."""
        return {}

    def _change(self, item_id: int, conditions: tuple[Any, ...], **values: Any) -> bool:
        """One compare-and-set UPDATE; the loaded row then shows the row as it now is.

        After a win that is the row this UPDATE left (see `compare_and_set`); after a loss,
        the change that beat it, such as another coordinator's decision.
        """
        return compare_and_set(self._session, self.model, item_id, conditions, **values) is not None
