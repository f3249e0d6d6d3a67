"""Personal digests can be filtered by funding stream, for their Policy & funding section.

Existing subscriptions get an empty list, which means every funding stream: nobody's digest
changes until they choose some.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("digest_subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("funding_streams", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("digest_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("funding_streams")
