"""Indexes for the weekly digest: practices approved and TA requests resolved in its week.

Without them both queries read every approved practice (or resolved request) ever stored,
so the digest grew slower with the network's history (bench/digest.py measures it).

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-29 00:33:25.255312
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.create_index(
            "ix_practices_status_decided_at", ["status", "decided_at"], unique=False
        )

    with op.batch_alter_table("ta_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ta_requests_status_resolved_at", ["status", "resolved_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ta_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_ta_requests_status_resolved_at")

    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.drop_index("ix_practices_status_decided_at")
