"""Migrations: an empty database upgraded to head has exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.cli import main
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Base
from storage.repositories.search import SearchFilters
from storage.search_index import include_object
from storage.uow import UnitOfWork


def test_upgrade_from_empty_to_head_matches_the_models(database_url: str) -> None:
    """No difference between `upgrade head` and the mapped models, on SQLite and PostgreSQL."""
    upgrade(database_url)

    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, Base.metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()

    assert differences == []
    assert set(Base.metadata.tables) <= tables


def test_upgrade_twice_is_harmless(database_url: str) -> None:
    """Running migrations again (every deploy does) changes nothing."""
    upgrade(database_url)
    upgrade(database_url)


def test_db_upgrade_command_creates_the_sqlite_database(tmp_path, monkeypatch, capsys) -> None:
    """`ccsn-bot db upgrade` with the default settings creates ccsn.db in the working folder."""
    monkeypatch.chdir(tmp_path)

    assert main(["db", "upgrade"]) == 0

    assert (tmp_path / "ccsn.db").exists()
    assert "latest schema" in capsys.readouterr().out


def test_upgrade_indexes_the_documents_already_stored_for_every_tier(database_url: str) -> None:
    """Documents stored before migration 0018 are found after it, by title first, then anywhere.

    On SQLite 0018 rebuilds the full-text index with prefix indexes and fills the new indexes
    of the title and the organisation from the documents already there.
    """
    upgrade(database_url, "0017")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        for ref_id, title, body in ((1, "Family nights", "Mentors."), (2, "Garden", "Families.")):
            connection.execute(
                text(
                    "INSERT INTO search_documents (kind, ref_id, title, body, organisation,"
                    " county, region, pillars, funding_streams, published_at) VALUES"
                    " ('practice', :ref_id, :title, :body, 'Roosevelt High', 'Fresno',"
                    " 'Central Valley', '[]', '[]', :at)"
                ),
                {"ref_id": ref_id, "title": title, "body": body, "at": f"2026-01-0{ref_id}"},
            )
    engine.dispose()

    upgrade(database_url)

    engine = make_engine(database_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        found = [hit.document.title for hit in uow.search.search("famil", SearchFilters())]
        by_county = uow.search.search("", SearchFilters(counties=("Fresno",)))
    engine.dispose()
    assert found == ["Family nights", "Garden"]
    assert [hit.document.title for hit in by_county] == ["Garden", "Family nights"]
