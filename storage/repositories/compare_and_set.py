"""Compare-and-set: one conditional UPDATE decides a race, and says what it changed.

Every state change that two people can race (a decision and the member's edit, a claim and a
cancel) is an `UPDATE ... WHERE id = ? AND <what the caller saw> RETURNING *`. The database
decides who wins: on PostgreSQL the loser's UPDATE waits on the winner's row lock and then
re-checks its WHERE against the committed row; on SQLite `BEGIN IMMEDIATE` lets one writer in
at a time. The winner gets back the row exactly as its UPDATE left it (and holds its lock until
commit), so whatever it then announces is what it changed, never the row it read before.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.models.base import Base

M = TypeVar("M", bound=Base)


def compare_and_set(
    session: Session, model: type[M], row_id: int, conditions: tuple[Any, ...], **values: Any
) -> M | None:
    """Apply `values` to row `row_id` only if `conditions` hold; the changed row, or None.

    The loaded object is brought up to date either way: on success from `RETURNING` (the row
    as this UPDATE left it), otherwise re-read, so a caller explaining why it lost sees the
    winner's change (another coordinator's decision, the member's edit).
    """
    statement = (
        update(model)
        .where(model.id == row_id, *conditions)  # type: ignore[attr-defined]
        .values(**values)
        .returning(model)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    changed = session.scalars(statement).first()
    if changed is None:
        current = session.get(model, row_id)
        if current is not None:
            session.refresh(current)
    return changed
