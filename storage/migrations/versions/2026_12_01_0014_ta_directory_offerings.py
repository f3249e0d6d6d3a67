"""The TA directory: offerings of technical assistance, and which requests they matched.

Offerings are a kind of submission (reviewed like practices), listed once approved until
retired, and reconfirmed yearly. TA requests remember the offering they were asked of and the
offering contacts their post mentioned, who may claim them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 09:34:10.812240
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ta_offerings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "changes_requested",
                "approved",
                "rejected",
                "withdrawn",
                "retired",
                name="taofferingstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("submitter_id", sa.String(length=32), nullable=False),
        sa.Column("organisation", sa.String(length=150), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("cost", sa.String(length=16), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("contact_link", sa.String(length=2000), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reconfirm_asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unconfirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ta_offerings")),
    )
    with op.batch_alter_table("ta_offerings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ta_offerings_status_confirmed_at", ["status", "confirmed_at"], unique=False
        )
        batch_op.create_index(
            "ix_ta_offerings_status_decided_at", ["status", "decided_at"], unique=False
        )
        batch_op.create_index(
            "ix_ta_offerings_status_submitted_at", ["status", "submitted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ta_offerings_submitter_id"), ["submitter_id"], unique=False
        )

    with op.batch_alter_table("ta_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offering_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("offering_contacts", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("matched_offerings", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ta_requests", schema=None) as batch_op:
        batch_op.drop_column("matched_offerings")
        batch_op.drop_column("offering_contacts")
        batch_op.drop_column("offering_id")

    with op.batch_alter_table("ta_offerings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ta_offerings_submitter_id"))
        batch_op.drop_index("ix_ta_offerings_status_submitted_at")
        batch_op.drop_index("ix_ta_offerings_status_decided_at")
        batch_op.drop_index("ix_ta_offerings_status_confirmed_at")

    op.drop_table("ta_offerings")
