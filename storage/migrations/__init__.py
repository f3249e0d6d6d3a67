"""Alembic migrations, run by `ccsn-bot db upgrade`."""
