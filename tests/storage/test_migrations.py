"""Migrations: an empty database upgraded to head has exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.cli import main
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Base
from storage.search_index import include_object


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
