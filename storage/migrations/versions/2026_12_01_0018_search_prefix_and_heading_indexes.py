"""FTS5 prefix indexes, FTS5 indexes of the headings alone, and filters newest first.

The county and region indexes gain `published_at`, so a search filtered by either reads that
filter's matches newest first and stops at the results (it sorted every match before); they
replace the single-column ones, which they also serve. On PostgreSQL, GIN indexes over the
pillars and funding streams (as `jsonb`) let a word's collected matches be intersected with
such a filter's instead of each match's JSON being read. The rest is SQLite only.

A search term is a prefix (`famil` finds "Family"), and FTS5 answers a prefix it has no
prefix index for by merging the whole posting list of every term that starts with it, so a
common word cost a pass over most of the archive whatever the `LIMIT`. And the first two
tiers (every word in the title; in the title or organisation) filtered the whole-document
index by column, row by row: a word common in summaries but rare in titles was looked for in
every summary that has it. `search_fts` is rebuilt with prefix indexes, and two small FTS5
tables over the title and over the title and organisation answer those tiers from their own
posting lists. PostgreSQL's search is otherwise unchanged (0016 gave it per-column GIN indexes).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 13:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in storage/search_index.py when this migration was written.
TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
CONTENT = "content='search_documents', content_rowid='id'"
PREFIX = "prefix='" + " ".join(str(n) for n in range(1, 21)) + "'"
HEADINGS = {"search_fts_title": ("title",), "search_fts_heading": ("title", "organisation")}


def _heading(table: str, columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {table}(rowid, {names}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {table}({table}, rowid, {names}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({names}, {CONTENT}, {TOKENIZE}, {PREFIX})",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON search_documents BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON search_documents BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON search_documents BEGIN {delete} {insert} END",
        f"INSERT INTO {table}({table}) VALUES ('rebuild')",  # index the documents already there
    ]


def _search_fts(options: str) -> list[str]:
    # The triggers of migration 0006 name the table, not its definition: they keep working.
    return [
        "DROP TABLE search_fts",
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, organisation, "
        f"{CONTENT}, {options})",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


FILTERS = ("county", "region")
JSON_FILTERS = ("pillars", "funding_streams")


def upgrade() -> None:
    for column in FILTERS:
        op.drop_index(f"ix_search_documents_{column}", table_name="search_documents")
        op.create_index(
            f"ix_search_documents_{column}_published_at",
            "search_documents",
            [column, "published_at"],
        )
    if op.get_bind().dialect.name == "postgresql":
        for column in JSON_FILTERS:
            op.execute(
                f"CREATE INDEX ix_search_documents_{column} ON search_documents "
                f"USING GIN ((CAST({column} AS jsonb)) jsonb_path_ops)"
            )
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _search_fts(f"{TOKENIZE}, {PREFIX}"):
        op.execute(statement)
    for table, columns in HEADINGS.items():
        for statement in _heading(table, columns):
            op.execute(statement)


def downgrade() -> None:
    for column in FILTERS:
        op.drop_index(f"ix_search_documents_{column}_published_at", table_name="search_documents")
        op.create_index(f"ix_search_documents_{column}", "search_documents", [column])
    if op.get_bind().dialect.name == "postgresql":
        for column in JSON_FILTERS:
            op.execute(f"DROP INDEX ix_search_documents_{column}")
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in HEADINGS:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER {table}_{suffix}")
        op.execute(f"DROP TABLE {table}")
    for statement in _search_fts(TOKENIZE):
        op.execute(statement)
