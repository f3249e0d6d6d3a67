"""`ccsn-bot digest preview [--json]` and `ccsn-bot digest post`."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest

from bot import digest_cli
from bot.cli import main
from core.config import Settings
from demokit.fake_slack import FakeSlack
from tests.conftest import FrozenClock, make_settings
from tests.handlers.digest.conftest import DIGEST_CHANNEL, DUE, approved
from tests.harness import Bot


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema, ccsn_digest_channel=DIGEST_CHANNEL)


def run(settings: Settings, clock: FrozenClock, command: str, **options: bool) -> str:
    out = io.StringIO()
    digest_cli.run(settings, command, out, clock=clock, **options)
    return out.getvalue()


def test_preview_prints_the_coming_digest_as_text(
    bot: Bot, settings: Settings, clock: FrozenClock
) -> None:
    """Practices approved since Monday show under next Monday's header, readable, unescaped."""
    approved(bot, 1, title="Homework club & <b>snacks</b>", at=DUE + timedelta(days=2))
    clock.now = DUE + timedelta(days=3)

    text = run(settings, clock, "preview")

    assert text.startswith("== CCSN weekly digest · Dec 7, 2026 ==\n*This week:* 1 practice")
    assert "== New practices (1) ==" in text
    assert "• *Homework club & <b>snacks</b>* — Roosevelt High School · Fresno County" in text
    assert "{permalink" not in text
    assert bot.slack.posts() == []


def test_preview_json_prints_the_block_kit_payloads(
    bot: Bot, settings: Settings, clock: FrozenClock
) -> None:
    """`--json` prints the messages exactly as they would be queued, with blocks and text."""
    approved(bot, 2, at=DUE + timedelta(days=1))
    clock.now = DUE + timedelta(days=2)

    [message] = json.loads(run(settings, clock, "preview", as_json=True))

    assert message["text"] == "CCSN weekly digest · Dec 7, 2026: 2 new practices"
    assert message["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "CCSN weekly digest · Dec 7, 2026", "emoji": True},
    }


def test_post_posts_the_current_period_once(
    bot: Bot, settings: Settings, clock: FrozenClock
) -> None:
    """The first `post` delivers the digest; the second says it was already posted."""
    approved(bot)
    clock.now = DUE + timedelta(hours=1)

    first = run(settings, clock, "post")
    second = run(settings, clock, "post")

    assert first.startswith("Posted the digest for 2026-11-30T09:00 (1 message)")
    assert second == "The digest for 2026-11-30T09:00 was already posted.\n"
    assert len(bot.slack.posts(DIGEST_CHANNEL)) == 1
    assert bot.audit()[-1].actor_id == "cli"


def test_post_from_the_command_line_twice(
    slack: FakeSlack, schema: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """`ccsn-bot digest post` run twice against one database posts one digest."""
    for name, value in {
        "DATABASE_URL": schema,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_API_URL": slack.url,
        "CCSN_DIGEST_CHANNEL": DIGEST_CHANNEL,
    }.items():
        monkeypatch.setenv(name, value)

    assert main(["digest", "post"]) == 0
    assert main(["digest", "post"]) == 0

    out = capsys.readouterr().out
    assert "Posted the digest for" in out
    assert "was already posted." in out
    assert len(slack.posts(DIGEST_CHANNEL)) == 1


def test_post_without_a_digest_channel_names_the_setting(
    schema: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Nothing is queued, and the one-line error says which variable to set."""
    monkeypatch.setenv("DATABASE_URL", schema)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-unused")

    assert main(["digest", "post"]) == 2

    assert capsys.readouterr().err == (
        "ccsn-bot: CCSN_DIGEST_CHANNEL is not set; see .env.example\n"
    )
