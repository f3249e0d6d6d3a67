"""Network settings chosen in Slack's Home tab, and the version every process watches.

Channels, coordinators, TA providers and the digest's schedule were environment variables
only; coordinators now set them in Home. One row per setting (a JSON value), and a single
version row that every change bumps, so each process re-reads the settings only when they
changed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "network_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_network_settings")),
    )
    op.create_table(
        "network_settings_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_settings_version")),
    )


def downgrade() -> None:
    op.drop_table("network_settings_version")
    op.drop_table("network_settings")
