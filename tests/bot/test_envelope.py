"""Signed payloads whose envelope is not Slack's shape: a polite answer, no traceback."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from bot.app import Runtime
from bot.web import SLACK_PATH, WebApp
from demokit import simulate
from demokit.local_server import LocalServer
from handlers.network import ids as network_ids
from handlers.policy import ids as policy_ids
from handlers.ta_offerings import ids as offering_ids
from tests.conftest import MEMBER, SIGNING_SECRET

pytestmark = pytest.mark.reliability


@pytest.fixture
def http(runtime: Runtime) -> Iterator[httpx.Client]:
    with (
        LocalServer(WebApp(runtime.app, runtime.engine)) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        yield client


def changed(body: str, **changes: Any) -> str:
    """An interaction body with some payload fields replaced (None removes one)."""
    payload = json.loads(parse_qs(body)["payload"][0])
    for key, value in changes.items():
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    return simulate.interaction_body(payload)


def with_view(body: str, **view_changes: Any) -> str:
    payload = json.loads(parse_qs(body)["payload"][0])
    for key, value in view_changes.items():
        if value is None:
            payload["view"].pop(key, None)
        else:
            payload["view"][key] = value
    return simulate.interaction_body(payload)


def manage(value: Any) -> str:
    body = simulate.overflow_click(offering_ids.MANAGE_ACTION, "retire:1", MEMBER, channel="CTA1")
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["actions"][0]["selected_option"] = value
    return simulate.interaction_body(payload)


def offer_form() -> str:
    values = simulate.ta_offering_values()
    return simulate.view_submission(offering_ids.OFFER_MODAL, MEMBER, values, view_id="VODD0001")


ODD = [
    pytest.param(manage("retire:1"), id="overflow-choice-is-a-string"),
    pytest.param(manage(7), id="overflow-choice-is-a-number"),
    pytest.param(
        changed(simulate.home_click(offering_ids.HOME_OFFER_ACTION, "", MEMBER), trigger_id=None),
        id="home-click-without-trigger",
    ),
    pytest.param(
        changed(
            simulate.home_select(
                network_ids.CHANNEL_ACTION,
                network_ids.SETTING_BLOCK_PREFIX + "ccsn_ta_channel",
                MEMBER,
                selected_conversation="CEVIL0001",
            ),
            user=MEMBER,
        ),
        id="settings-change-user-is-a-string",
    ),
    pytest.param(
        changed(
            simulate.button_click(policy_ids.FOLLOW_ACTION, "1", MEMBER, channel="C1"), user={}
        ),
        id="follow-user-without-id",
    ),
    pytest.param(
        changed(simulate.global_shortcut(offering_ids.OFFER_SHORTCUT, MEMBER), trigger_id=None),
        id="shortcut-without-trigger",
    ),
    pytest.param(with_view(offer_form(), state="x"), id="form-state-is-a-string"),
    pytest.param(
        changed(with_view(offer_form(), type=None), user=MEMBER),
        id="form-without-type-from-a-string-user",
    ),
    pytest.param(
        simulate.slash_command(offering_ids.OFFER_COMMAND, MEMBER).replace("trigger_id", "x"),
        id="command-without-trigger",
    ),
]


@pytest.mark.parametrize("body", ODD)
def test_an_odd_envelope_is_answered_politely_without_a_traceback(
    http: httpx.Client, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    """200 (or the form's own error), no listener runs, and the log holds no error."""
    caplog.set_level(logging.INFO)

    response = http.post(
        SLACK_PATH,
        content=body,
        headers={
            **simulate.sign(SIGNING_SECRET, body),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )

    assert response.status_code == 200
    assert "Traceback" not in response.text
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert any("request.odd_envelope" in r.getMessage() for r in caplog.records)


def test_an_event_that_is_not_an_object_goes_no_further(
    http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    """An Events API delivery whose `event` is a list is acknowledged, and nothing fails."""
    body = json.dumps({"type": "event_callback", "event_id": "Ev0DD", "event": []})

    response = http.post(
        SLACK_PATH,
        content=body,
        headers={**simulate.sign(SIGNING_SECRET, body), "Content-Type": "application/json"},
    )

    assert response.status_code == 200
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
