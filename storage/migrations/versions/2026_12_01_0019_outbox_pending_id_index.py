"""Pending outbox messages indexed by id instead of by when they are due.

A claim now finds channel heads by reading pending messages in id order (the first of each
channel is its head) instead of testing every due message for being its channel's first, so
it needs the pending rows in id order; nothing reads them by `next_attempt_at` any more.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_messages_pending_due", sqlite_where=PENDING, postgresql_where=PENDING
        )
        batch_op.create_index(
            "ix_outbox_messages_pending_id",
            ["id"],
            unique=False,
            sqlite_where=PENDING,
            postgresql_where=PENDING,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_messages_pending_id", sqlite_where=PENDING, postgresql_where=PENDING
        )
        batch_op.create_index(
            "ix_outbox_messages_pending_due",
            ["next_attempt_at"],
            unique=False,
            sqlite_where=PENDING,
            postgresql_where=PENDING,
        )
