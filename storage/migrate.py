"""Running Alembic from code, so `ccsn-bot db upgrade` needs no alembic.ini on disk."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at our migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (SQLite and PostgreSQL alike)."""
    command.upgrade(alembic_config(database_url), revision)


def new_revision(message: str) -> None:
    """Autogenerate the next numbered migration from the models (`make migration m="..."`)."""
    import tempfile

    from alembic.script import ScriptDirectory

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/head.db"
        upgrade(url)
        config = alembic_config(url)
        heads = ScriptDirectory.from_config(config).get_heads()
        next_id = f"{max((int(h) for h in heads), default=0) + 1:04d}"
        command.revision(config, message=message, autogenerate=True, rev_id=next_id)


if __name__ == "__main__":
    import sys

    new_revision(" ".join(sys.argv[1:]) or "change")
