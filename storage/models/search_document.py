"""What members can search: one row per approved practice or event, indexed for full text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage import search_index
from storage.models.base import Base
from storage.types import UtcDateTime


class SearchDocument(Base):
    """The searchable text and filter fields of one published item.

    The full-text index lives beside it, per database: an FTS5 table kept in step by triggers on
    SQLite, a generated `tsvector` column with a GIN index on PostgreSQL (see the migration).
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id"),
        Index("ix_search_documents_published_at", "published_at"),
        # A filter's matches newest first, read only as far as the results need (SQLite).
        Index("ix_search_documents_county_published_at", "county", "published_at"),
        Index("ix_search_documents_region_published_at", "region", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    organisation: Mapped[str] = mapped_column(String(150))
    county: Mapped[str | None] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(64))
    pillars: Mapped[list[str]] = mapped_column(JSON)
    funding_streams: Mapped[list[str]] = mapped_column(JSON)
    post_key: Mapped[str | None] = mapped_column(String(128))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())


search_index.attach(SearchDocument.__table__)  # type: ignore[arg-type]
