"""The full-text index beside `search_documents`, one flavour per database.

SQLAlchemy has no portable full-text type, so the index is plain DDL: an FTS5 table kept in
step by triggers on SQLite; a generated, weighted `tsvector` column with a GIN index on
PostgreSQL. The DDL runs after `search_documents` is created (tests use `create_all`) and the
migration writes the same statements.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

FTS_COLUMNS = "title, body, organisation"
# A prefix index for every length a typed word (as stemmed) is likely to have. Asked for `w*`
# of a length it has no prefix index for, FTS5 first merges the whole posting list of every
# term starting with `w` (a common word's is most of the archive), so no `LIMIT` stops it
# early; with one, it reads that prefix's own list, newest first, only as far as needed.
PREFIX_LENGTHS = " ".join(str(n) for n in range(1, 21))
FTS_OPTIONS = (
    "content='search_documents', content_rowid='id', "
    f"tokenize='porter unicode61 remove_diacritics 2', prefix='{PREFIX_LENGTHS}'"
)

SQLITE = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({FTS_COLUMNS}, {FTS_OPTIONS})",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) "
    "VALUES (new.id, new.title, new.body, new.organisation); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.body, old.organisation); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.body, old.organisation); "
    f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) "
    "VALUES (new.id, new.title, new.body, new.organisation); END",
]

# Indexes of the title alone and of the title and organisation, for the first two tiers of a
# search: asked of the whole-document index, a word found in summaries but not titles would
# be looked for in every summary that has it (the column filter reads each row's positions),
# twice; asked of these, it is absent at once. Each keeps only rowids and positions.
TITLE_FTS = "search_fts_title"
HEADING_FTS = "search_fts_heading"
HEADINGS = {TITLE_FTS: "title", HEADING_FTS: "title, organisation"}


def heading_statements(table: str, columns: str) -> list[str]:
    """An FTS5 table over `columns` of `search_documents`, and the triggers keeping it in step."""
    new = ", ".join(f"new.{c.strip()}" for c in columns.split(","))
    old = ", ".join(f"old.{c.strip()}" for c in columns.split(","))
    insert = f"INSERT INTO {table}(rowid, {columns}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {table}({table}, rowid, {columns}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({columns}, {FTS_OPTIONS})",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON search_documents BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON search_documents BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON search_documents BEGIN {delete} {insert} END",
    ]


SQLITE += [s for table, columns in HEADINGS.items() for s in heading_statements(table, columns)]

# Expressions the search queries repeat verbatim, so PostgreSQL matches them to their indexes.
TITLE_VECTOR = "to_tsvector('english', coalesce(title, ''))"
ORGANISATION_VECTOR = "to_tsvector('english', coalesce(organisation, ''))"

POSTGRESQL = [
    "ALTER TABLE search_documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(organisation, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'C')) STORED",
    "CREATE INDEX ix_search_documents_search_vector ON search_documents USING GIN (search_vector)",
    # "Every word in the title (or organisation)": the weighted vector's index keeps no weights.
    f"CREATE INDEX ix_search_documents_title_tsv ON search_documents USING GIN ({TITLE_VECTOR})",
    "CREATE INDEX ix_search_documents_organisation_tsv ON search_documents "
    f"USING GIN ({ORGANISATION_VECTOR})",
    # A word and a pillar or funding stream: when the word's matches are collected, the
    # planner can intersect them with the filter's instead of checking each match's JSON.
    *(
        f"CREATE INDEX ix_search_documents_{column} ON search_documents "
        f"USING GIN ((CAST({column} AS jsonb)) jsonb_path_ops)"
        for column in ("pillars", "funding_streams")
    ),
]

# Names the models do not declare, for Alembic's comparison to leave alone.
UNMODELLED = frozenset(
    {
        "search_vector",
        "ix_search_documents_search_vector",
        "ix_search_documents_title_tsv",
        "ix_search_documents_organisation_tsv",
        "ix_search_documents_pillars",
        "ix_search_documents_funding_streams",
    }
)


def attach(table: Table) -> None:
    """Create the index whenever `table` is created through the metadata."""
    for statement in SQLITE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic filter: skip the FTS5 shadow tables and the PostgreSQL search column/index."""
    if name is None:
        return True
    if type_ == "table" and name.startswith("search_fts"):
        return False
    return name not in UNMODELLED
