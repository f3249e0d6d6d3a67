"""What saving a submission costs the database: one transaction, each row written once."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event

from tests.conftest import MEMBER
from tests.harness import Bot


def _statements(bot: Bot, send: Any) -> list[list[str]]:
    """Each SQL statement the bot ran while `send()` was answered, as the tables it inserts into.

    A statement that inserts into no table is its first word (`BEGIN`, `SELECT`, ...).
    """
    seen: list[list[str]] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        tables = re.findall(r'INSERT INTO "?(\w+)', statement)
        seen.append(tables or [statement.split()[0]])

    engine = bot.runtime.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        send()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return [tables for tables in seen if tables != ["BEGIN"]]  # SQLite's BEGIN IMMEDIATE is SQL


def test_a_new_submission_is_saved_with_inserts_only_in_one_transaction(bot: Bot) -> None:
    """The view's claim, the practice, its audit row and its messages: no savepoint, no read.

    On PostgreSQL the claim and the practice are one statement and the rows that follow from it
    another, so a submission is two statements between `BEGIN` and `COMMIT`.
    """
    bot.share(MEMBER, view_id="VWARM0001")  # settings and the like are read once, not per save

    statements = _statements(bot, lambda: bot.share(MEMBER, view_id="VCOUNT001"))

    if bot.runtime.engine.dialect.name == "postgresql":
        assert statements == [
            ["handled_views", "practices"],
            ["audit_entries", "outbox_messages", "outbox_messages"],
        ]
    else:
        assert statements == [
            ["handled_views"],
            ["practices"],
            ["audit_entries"],
            ["outbox_messages"],
        ]
    assert len(bot.practices()) == 2
    assert len(bot.outbox()) == 4


def test_a_replayed_submission_saves_nothing(bot: Bot) -> None:
    """A repeat of a handled view stops at its claim: nothing else is written or read."""
    bot.share(MEMBER, view_id="VREPEAT01")

    statements = _statements(bot, lambda: bot.share(MEMBER, view_id="VREPEAT01"))

    if bot.runtime.engine.dialect.name == "postgresql":
        assert statements == [["handled_views", "practices"]]
    else:
        assert statements == [["handled_views"]]
    assert len(bot.practices()) == 1
    assert len(bot.outbox()) == 2
