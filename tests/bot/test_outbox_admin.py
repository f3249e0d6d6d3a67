"""`ccsn-bot outbox`: failed messages are listed with their reason and can be sent again."""

from __future__ import annotations

import pytest

from bot.cli import main
from storage.models import OutboxStatus
from tests.harness import Bot


def test_outbox_lists_failed_messages_and_retry_delivers_them(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A message refused with `not_in_channel` shows up with its reason; retry sends it."""
    monkeypatch.setenv("DATABASE_URL", bot.runtime.settings.database_url)
    bot.slack.fail_next("chat.postMessage", error="not_in_channel", channel="CLOCKED01")
    with bot.runtime.deps.uow() as uow:
        uow.outbox.enqueue(
            method="chat.postMessage", channel="CLOCKED01", payload={"text": "hi"}, at=bot.clock()
        )
        uow.commit()
    bot.deliver()

    assert main(["outbox", "--status", "failed"], clock=bot.clock) == 0
    listing = capsys.readouterr().out
    assert "CLOCKED01" in listing
    assert "not_in_channel" in listing

    assert main(["outbox", "retry"], clock=bot.clock) == 0
    assert "1 failed message(s) queued again" in capsys.readouterr().out
    bot.deliver()

    assert [p["text"] for p in bot.slack.posts("CLOCKED01")] == ["hi"]
    assert all(m.status is OutboxStatus.SENT for m in bot.outbox())
