"""Settings: defaults, parsing, and one-line errors that name the variable to fix."""

from __future__ import annotations

import pytest

from bot.cli import main
from core.config import SettingsError, load_settings


def test_defaults_need_no_environment() -> None:
    """With nothing set, the bot has SQLite, Pacific time and a Monday 9:00 digest."""
    settings = load_settings(None)

    assert settings.database_url == "sqlite:///ccsn.db"
    assert settings.ccsn_timezone == "America/Los_Angeles"
    assert settings.ccsn_digest_cron == "0 9 * * mon"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert not settings.slack_configured


def test_lists_and_urls_are_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    """Comma lists tolerate spaces; plain postgresql:// URLs use the shipped psycopg driver."""
    monkeypatch.setenv("CCSN_COORDINATORS", " U0AAA1, U0BBB2 ,")
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot@db/ccsn")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:8080/api")

    settings = load_settings(None)

    assert settings.ccsn_coordinators == ("U0AAA1", "U0BBB2")
    assert settings.database_url == "postgresql+psycopg://bot@db/ccsn"
    assert settings.slack_api_url == "http://127.0.0.1:8080/api/"


def test_env_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .env file in the working directory supplies settings; empty lines mean unset."""
    (tmp_path / ".env").write_text("CCSN_COORDINATORS=U0AAA1\nSLACK_APP_TOKEN=\n")

    settings = load_settings()

    assert settings.ccsn_coordinators == ("U0AAA1",)
    assert settings.slack_app_token is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CCSN_COORDINATORS", "U0AAA1,alice", "CCSN_COORDINATORS: 'alice' is not a Slack user ID"),
        ("CCSN_TA_PROVIDERS", "#general", "CCSN_TA_PROVIDERS: '#general' is not a Slack user ID"),
        ("CCSN_PRACTICES_CHANNEL", "#practices", "CCSN_PRACTICES_CHANNEL: '#practices' is not"),
        ("CCSN_TIMEZONE", "Pacific", "CCSN_TIMEZONE: 'Pacific' is not an IANA time zone"),
        ("CCSN_DIGEST_CRON", "every monday", "CCSN_DIGEST_CRON: 'every monday' is not a crontab"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN: a bot token starts with xoxb-"),
        ("SLACK_APP_TOKEN", "xoxb-1", "SLACK_APP_TOKEN: an app-level token starts with xapp-"),
        ("DATABASE_URL", "mysql://db/ccsn", "DATABASE_URL: use sqlite:///file.db or postgresql"),
        ("SLACK_API_URL", "slack.com", "SLACK_API_URL: must be an http(s) URL"),
    ],
)
def test_malformed_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    """Each malformed variable produces an error starting with its own name."""
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as error:
        load_settings(None)

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_serve_names_the_first_missing_requirement(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a token and secret but no coordinators, serve says CCSN_COORDINATORS is missing."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")

    assert main(["serve"]) == 2

    assert capsys.readouterr().err == "ccsn-bot: CCSN_COORDINATORS is not set; see .env.example\n"


def test_serve_refuses_a_token_slack_rejects(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], slack
) -> None:
    """A token Slack answers `invalid_auth` to stops serve with a line naming the token."""
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-wrong",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": slack.url,
        "CCSN_COORDINATORS": "U0AAA1",
        "CCSN_COORDINATOR_CHANNEL": "C0AAA1",
        "CCSN_PRACTICES_CHANNEL": "C0BBB2",
    }.items():
        monkeypatch.setenv(name, value)

    assert main(["serve"]) == 2

    assert (
        capsys.readouterr().err
        == "ccsn-bot: SLACK_BOT_TOKEN: Slack refused the token (invalid_auth)\n"
    )


def test_start_without_slack_runs_the_demo_after_saying_how_to_connect(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """`make run` on a fresh machine explains how to connect first, then shows the demo."""
    assert main(["start"]) == 0

    out = capfd.readouterr().out
    assert out.startswith("No Slack settings found")
    assert out.index("manifest.yml") < out.index("offline demo:")
    assert "[chat.postMessage] #practices (post): New practice: Family resource nights" in out
    assert "Approved: Family resource nights" in out
    assert "\n6. Monday 9:00: the weekly digest it all adds up to\n" in out
    assert out.rstrip().endswith("Connect a workspace to use it for real.")


def test_event_settings_default_and_normalise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reminders default to 24 hours; the public address loses its trailing slash."""
    assert load_settings(None).ccsn_event_reminder_hours == 24
    assert load_settings(None).ccsn_public_url is None
    monkeypatch.setenv("CCSN_PUBLIC_URL", "https://hub.example.org/ ")
    monkeypatch.setenv("CCSN_EVENT_REMINDER_HOURS", "48")

    settings = load_settings(None)

    assert settings.ccsn_public_url == "https://hub.example.org"
    assert settings.ccsn_event_reminder_hours == 48


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CCSN_PUBLIC_URL", "hub.example.org", "CCSN_PUBLIC_URL: must be the bot's public"),
        ("CCSN_EVENT_REMINDER_HOURS", "0", "CCSN_EVENT_REMINDER_HOURS: '0' is not a whole"),
        ("CCSN_EVENT_REMINDER_HOURS", "a day", "CCSN_EVENT_REMINDER_HOURS: 'a day' is not"),
        ("CCSN_EVENTS_CHANNEL", "#events", "CCSN_EVENTS_CHANNEL: '#events' is not"),
    ],
)
def test_malformed_event_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    """Each malformed events variable produces one line starting with its own name."""
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as error:
        load_settings(None)

    assert str(error.value).startswith(message)


def test_serve_needs_only_a_token_the_signing_secret_and_one_coordinator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No channel variables: serve's check passes, and the channels are chosen in Home."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("CCSN_COORDINATORS", "U0AAA1")

    load_settings(None).require_for_serve()  # raises SettingsError naming a gap otherwise
