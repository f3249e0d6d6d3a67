"""TA settings: regional provider routing and the reminder threshold, read and checked at start."""

from __future__ import annotations

import pytest

from core.config import SettingsError, load_settings


def test_region_providers_are_read_into_a_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regions in any case and spacing map to their canonical names; ids keep their order."""
    monkeypatch.setenv(
        "CCSN_TA_REGION_PROVIDERS", " bay area = U0AAA1 | S0GRP1 ;Central  Valley=W0BBB2; "
    )

    settings = load_settings(None)

    assert settings.ccsn_ta_region_providers == {
        "Bay Area": ("U0AAA1", "S0GRP1"),
        "Central Valley": ("W0BBB2",),
    }


def test_ta_defaults() -> None:
    """Unset, no region has its own providers and reminders come after 3 days."""
    settings = load_settings(None)

    assert settings.ccsn_ta_region_providers == {}
    assert settings.ccsn_ta_remind_days == 3
    assert settings.ccsn_ta_channel is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "CCSN_TA_REGION_PROVIDERS",
            "Bay Aera=U0AAA1",
            "CCSN_TA_REGION_PROVIDERS: 'Bay Aera' is not an R-TAC region",
        ),
        (
            "CCSN_TA_REGION_PROVIDERS",
            "Bay Area U0AAA1",
            "CCSN_TA_REGION_PROVIDERS: 'Bay Area U0AAA1' is not an R-TAC region",
        ),
        (
            "CCSN_TA_REGION_PROVIDERS",
            "Bay Area=",
            "CCSN_TA_REGION_PROVIDERS: 'Bay Area' has no user or user-group IDs",
        ),
        (
            "CCSN_TA_REGION_PROVIDERS",
            "Bay Area=U0AAA1;bay area=U0BBB2",
            "CCSN_TA_REGION_PROVIDERS: 'Bay Area' is listed twice",
        ),
        (
            "CCSN_TA_REGION_PROVIDERS",
            "Bay Area=@alice",
            "CCSN_TA_REGION_PROVIDERS: '@alice' is not a Slack user ID",
        ),
        (
            "CCSN_TA_REGION_PROVIDERS",
            "Bay Area=C0CHAN1",
            "CCSN_TA_REGION_PROVIDERS: 'C0CHAN1' is not a Slack user ID",
        ),
        ("CCSN_TA_REMIND_DAYS", "0", "CCSN_TA_REMIND_DAYS: must be a whole number of days"),
        ("CCSN_TA_REMIND_DAYS", "three", "CCSN_TA_REMIND_DAYS: "),
        ("CCSN_TA_CHANNEL", "#ta-requests", "CCSN_TA_CHANNEL: '#ta-requests' is not"),
    ],
)
def test_malformed_ta_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    """Each malformed TA variable produces a one-line error starting with its name."""
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as error:
        load_settings(None)

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_ta_channel_is_not_required_to_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    """A workspace without TA yet still serves practices; /request-ta explains what is missing."""
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "secret",
        "CCSN_COORDINATORS": "U0AAA1",
        "CCSN_COORDINATOR_CHANNEL": "C0AAA1",
        "CCSN_PRACTICES_CHANNEL": "C0BBB2",
    }.items():
        monkeypatch.setenv(name, value)

    load_settings(None).require_for_serve()
