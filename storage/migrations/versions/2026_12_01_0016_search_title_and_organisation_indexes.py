"""GIN indexes over the title and the organisation alone, so search can rank by where words are.

Search ranks every word in the title first, then every word in the title or organisation,
then anywhere. The weighted `tsvector` cannot answer "in the title" from its GIN index (the
index does not keep weights), so a common word rare in titles rechecked every row that has it.
PostgreSQL only: SQLite's FTS5 filters by column from its own index.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in storage/search_index.py when this migration was written.
INDEXES = {
    "ix_search_documents_title_tsv": "to_tsvector('english', coalesce(title, ''))",
    "ix_search_documents_organisation_tsv": "to_tsvector('english', coalesce(organisation, ''))",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, expression in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON search_documents USING GIN ({expression})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
