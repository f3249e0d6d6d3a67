"""What saving a submission costs the database: one transaction, each row written once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from tests.conftest import MEMBER
from tests.harness import Bot


def _statements(bot: Bot, send: Any) -> list[str]:
    """The SQL statements (first words and table) the bot ran while `send()` was answered."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        table = words[2] if words[:2] == ["INSERT", "INTO"] else ""
        seen.append(f"{words[0]} {table}".strip().replace('"', ""))

    engine = bot.runtime.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        send()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_a_new_submission_is_saved_with_inserts_only_in_one_transaction(bot: Bot) -> None:
    """The view's claim, the practice, its audit row and its messages: no savepoint, no read."""
    bot.share(MEMBER, view_id="VWARM0001")  # settings and the like are read once, not per save

    statements = _statements(bot, lambda: bot.share(MEMBER, view_id="VCOUNT001"))

    writes = [s for s in statements if s != "BEGIN"]  # SQLite's BEGIN IMMEDIATE is SQL
    assert list(dict.fromkeys(writes)) == [
        "INSERT handled_views",
        "INSERT practices",
        "INSERT audit_entries",
        "INSERT outbox_messages",
    ]
    assert writes.count("INSERT practices") == 1
    assert len(bot.practices()) == 2


def test_a_replayed_submission_only_claims_and_saves_nothing(bot: Bot) -> None:
    """A repeat of a handled view stops at its claim: nothing else is written or read."""
    bot.share(MEMBER, view_id="VREPEAT01")

    statements = _statements(bot, lambda: bot.share(MEMBER, view_id="VREPEAT01"))

    assert [s for s in statements if s != "BEGIN"] == ["INSERT handled_views"]
    assert len(bot.practices()) == 1
