"""Policy tracker settings: its channel and the reminder days, read and checked at start."""

from __future__ import annotations

import pytest

from core.config import SettingsError, load_settings


def test_policy_defaults() -> None:
    """Unset, there is no policy channel and followers are reminded 7 and 1 days before."""
    settings = load_settings(None)

    assert settings.ccsn_policy_channel is None
    assert settings.ccsn_policy_reminder_days == (7, 1)


def test_reminder_days_are_read_largest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """`1, 14,3` reads as (14, 3, 1); the channel is an ordinary channel ID."""
    monkeypatch.setenv("CCSN_POLICY_REMINDER_DAYS", "1, 14,3")
    monkeypatch.setenv("CCSN_POLICY_CHANNEL", " C0POLICY1 ")

    settings = load_settings(None)

    assert settings.ccsn_policy_reminder_days == (14, 3, 1)
    assert settings.ccsn_policy_channel == "C0POLICY1"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CCSN_POLICY_REMINDER_DAYS", "7,0", "CCSN_POLICY_REMINDER_DAYS: '0' is not a whole"),
        ("CCSN_POLICY_REMINDER_DAYS", "a week", "CCSN_POLICY_REMINDER_DAYS: 'a week' is not"),
        ("CCSN_POLICY_REMINDER_DAYS", "7,7", "CCSN_POLICY_REMINDER_DAYS: 7 is listed twice"),
        ("CCSN_POLICY_REMINDER_DAYS", "61", "CCSN_POLICY_REMINDER_DAYS: '61' is not a whole"),
        ("CCSN_POLICY_CHANNEL", "#policy", "CCSN_POLICY_CHANNEL: '#policy' is not a Slack channel"),
    ],
)
def test_malformed_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    """Each mistake is refused at start with the variable's name."""
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match="^" + message.replace("(", r"\(")):
        load_settings(None)
