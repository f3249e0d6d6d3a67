"""Practices remember the name of a member who agreed to be credited, for the public library.

The library on the web shows the member's name only where they agreed; it is resolved once
with `users.info` after approval and stored here, so the public pages never call Slack and
never show a Slack user ID.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitter_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.drop_column("submitter_name")
