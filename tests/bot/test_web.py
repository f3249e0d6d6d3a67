"""The HTTP endpoint: only requests Slack signed get through; /healthz reports the database."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from bot.app import Runtime
from bot.slack_endpoint import MAX_BODY
from bot.web import SLACK_PATH, WebApp
from demokit import simulate
from demokit.fake_slack import FakeSlack
from demokit.local_server import LocalServer
from handlers.practices import ids as practice_ids
from storage.db import make_engine
from tests.conftest import MEMBER, SIGNING_SECRET
from tests.harness import Bot

pytestmark = pytest.mark.reliability

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def http(runtime: Runtime) -> Iterator[httpx.Client]:
    with (
        LocalServer(WebApp(runtime.app, runtime.engine)) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        yield client


def share_body() -> str:
    return simulate.view_submission(
        "practice_modal", MEMBER, simulate.practice_values(), view_id="VHTTP0001"
    )


def post(http: httpx.Client, body: str, headers: dict[str, str]) -> httpx.Response:
    return http.post(SLACK_PATH, content=body, headers={**headers, "Content-Type": FORM})


def test_signed_request_over_http_saves_the_practice(http: httpx.Client, bot: Bot) -> None:
    """A correctly signed submission through the real HTTP endpoint is saved."""
    body = share_body()

    response = post(http, body, simulate.sign(SIGNING_SECRET, body))

    assert response.status_code == 200
    assert len(bot.practices()) == 1


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda body: simulate.sign("not-the-secret", body), id="wrong-secret"),
        pytest.param(
            lambda body: simulate.sign(SIGNING_SECRET, body, int(time.time()) - 6 * 60),
            id="stale-timestamp",
        ),
        pytest.param(
            lambda body: simulate.sign(SIGNING_SECRET, body.replace("Fresno", "Kern")),
            id="body-changed-after-signing",
        ),
        pytest.param(lambda body: {}, id="unsigned"),
    ],
)
def test_requests_not_signed_by_slack_are_refused(http: httpx.Client, bot: Bot, forge) -> None:
    """Forged, stale or tampered requests get 401 and nothing is saved or sent."""
    body = share_body()

    response = post(http, body, forge(body))

    assert response.status_code == 401
    assert bot.practices() == []
    assert bot.outbox() == []


def test_healthz_is_ok_when_the_database_answers(http: httpx.Client) -> None:
    """GET /healthz says 200 with JSON while the database is reachable."""
    response = http.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(runtime: Runtime) -> None:
    """With no database to reach, /healthz answers 503 quickly instead of hanging."""
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:9/nowhere")
    with LocalServer(WebApp(runtime.app, engine)) as server:
        started = time.monotonic()
        response = httpx.get(f"{server.url}/healthz", timeout=10)

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert time.monotonic() - started < 3
    engine.dispose()


def test_unknown_paths_are_404(http: httpx.Client) -> None:
    """Anything but the Slack endpoint and the health check is not found."""
    assert http.get("/admin").status_code == 404


@pytest.fixture
def public(runtime: Runtime) -> Iterator[httpx.Client]:
    """The WSGI app with its dependencies, so the calendar files are served too."""
    with (
        LocalServer(WebApp(runtime.app, runtime.engine, runtime.deps)) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        yield client


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
@pytest.mark.parametrize("path", ["/healthz", "/calendar.ics", "/deadlines.ics", "/events/1.ics"])
def test_read_only_paths_answer_other_methods_405_with_allow(
    public: httpx.Client, slack: FakeSlack, method: str, path: str
) -> None:
    """The health check and the calendar files are read-only: 405 naming GET and HEAD."""
    slack.reset()  # forget the start-up token check

    response = public.request(method, path, content=b"x" if method != "OPTIONS" else None)

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert slack.calls == []


@pytest.mark.parametrize("path", ["/calendar.ics", "/deadlines.ics", "/events/1.ics", "/admin"])
def test_calendar_files_and_json_answers_forbid_content_sniffing(
    public: httpx.Client, path: str
) -> None:
    """Calendars carry member text: `nosniff` so no browser reads one as a page (404s too)."""
    response = public.get(path)

    assert response.headers["x-content-type-options"] == "nosniff"


def raw_exchange(url: str, request: bytes, seconds: float = 5) -> bytes:
    """Send `request` bytes as they are and read the answer until the server closes or stops."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=seconds) as sock:
        sock.sendall(request)
        answer = b""
        with contextlib.suppress(TimeoutError):
            while b"\r\n\r\n" not in answer and (chunk := sock.recv(65536)):
                answer += chunk
    return answer


def click_body() -> str:
    """A click naming a channel and a user: what an error fallback would answer to."""
    return simulate.button_click(practice_ids.EDIT_ACTION, "1", MEMBER, channel="CGENERAL1")


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"X-Slack-Request-Timestamp": "abc"}, id="timestamp-abc"),
        pytest.param({"X-Slack-Request-Timestamp": "1e3"}, id="timestamp-1e3"),
        pytest.param({"X-Slack-Request-Timestamp": "123.5"}, id="timestamp-123.5"),
        pytest.param({"X-Slack-Request-Timestamp": ""}, id="timestamp-empty"),
        pytest.param({"X-Slack-Signature": "v0=" + "é" * 64}, id="signature-not-ascii"),
    ],
)
def test_malformed_signature_headers_get_401_and_nothing_is_sent(
    http: httpx.Client, slack: FakeSlack, headers: dict[str, str]
) -> None:
    """A timestamp that is not an integer or a non-ASCII signature: 401, and no Slack call."""
    body = click_body()
    signed = {**simulate.sign(SIGNING_SECRET, body), **headers}
    encoded = {name: value.encode() for name, value in signed.items()}
    slack.reset()  # forget the start-up token check

    response = http.post(SLACK_PATH, content=body, headers={**encoded, "Content-Type": FORM})

    assert response.status_code == 401
    assert slack.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(b"payload=not-json", FORM, id="payload-not-json"),
        pytest.param(b"payload=%7B%22type%22%3A", FORM, id="payload-cut-short"),
        pytest.param(b"payload=\xff\xfe\xfd", FORM, id="not-utf8"),
        pytest.param(b"{garbage", "application/json", id="json-garbage"),
        pytest.param(b"[1, 2", "application/json", id="json-cut-short"),
    ],
)
def test_unsigned_bodies_that_do_not_parse_get_401(
    http: httpx.Client, slack: FakeSlack, body: bytes, content_type: str
) -> None:
    """Nothing of an unsigned body is parsed: garbage is 401, not a 500."""
    slack.reset()  # forget the start-up token check
    response = http.post(SLACK_PATH, content=body, headers={"Content-Type": content_type})

    assert response.status_code == 401
    assert slack.calls == []


def test_a_body_over_the_cap_is_413_before_it_is_read(http: httpx.Client) -> None:
    """Announcing more than the cap is answered 413 at once, without waiting for the bytes."""
    request = (
        f"POST {SLACK_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\n"
        f"Content-Length: {10 * MAX_BODY}\r\n\r\n"
    ).encode()
    started = time.monotonic()

    answer = raw_exchange(str(http.base_url).rstrip("/"), request)

    assert answer.startswith(b"HTTP/1.0 413") or answer.startswith(b"HTTP/1.1 413")
    assert time.monotonic() - started < 2


def test_a_post_without_a_length_is_411(http: httpx.Client) -> None:
    """A body of unknown length is refused rather than read until the client stops."""
    request = f"POST {SLACK_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\n\r\n".encode()

    answer = raw_exchange(str(http.base_url).rstrip("/"), request)

    assert answer.split(b" ", 2)[1] == b"411"


def odd(payload_changes: dict[str, Any], base: str) -> str:
    """An interaction body like `base` with some of its payload's fields changed or removed."""
    payload = json.loads(parse_qs(base)["payload"][0])
    for key, value in payload_changes.items():
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    return simulate.interaction_body(payload)


def viewless_type(body: str) -> str:
    payload = json.loads(parse_qs(body)["payload"][0])
    del payload["view"]["type"]
    return simulate.interaction_body(payload)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(odd({"user": "U0ODDSHAPE"}, click_body()), id="click-user-is-a-string"),
        pytest.param(odd({"channel": "CGENERAL1"}, click_body()), id="click-channel-is-a-string"),
        pytest.param(
            odd(
                {"user": "U0ODDSHAPE", "trigger_id": None},
                simulate.global_shortcut(practice_ids.SHARE_SHORTCUT, MEMBER),
            ),
            id="shortcut-without-trigger",
        ),
        pytest.param(
            simulate.slash_command(practice_ids.SHARE_COMMAND, MEMBER).replace("trigger_id", "x"),
            id="command-without-trigger",
        ),
        pytest.param(viewless_type(share_body()), id="view-without-type"),
        pytest.param(odd({"user": "U0ODDSHAPE"}, share_body()), id="submission-user-is-a-string"),
    ],
)
def test_signed_payloads_of_odd_shape_get_a_polite_answer(http: httpx.Client, body: str) -> None:
    """Signed but oddly shaped (a string for an object, no trigger): 200, never a 500."""
    response = post(http, body, simulate.sign(SIGNING_SECRET, body))

    assert response.status_code == 200
    if response.content:
        assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param("[1, 2]", "application/json", id="json-list"),
        pytest.param("null", "application/json", id="json-null"),
        pytest.param("{garbage", "application/json", id="json-garbage"),
        pytest.param("payload=%5B%5D", FORM, id="payload-list"),
        pytest.param("payload=null", FORM, id="payload-null"),
        pytest.param("payload=not-json", FORM, id="payload-not-json"),
        pytest.param('{"authorizations": 5}', "application/json", id="authorizations-a-number"),
        pytest.param('{"team": 5, "type": "shortcut"}', "application/json", id="team-a-number"),
    ],
)
def test_signed_bodies_bolt_cannot_read_get_400_not_500(
    http: httpx.Client, slack: FakeSlack, body: str, content_type: str
) -> None:
    """A signed body that is not a JSON object Bolt can read is 400 and sends nothing."""
    slack.reset()  # forget the start-up token check
    headers = {**simulate.sign(SIGNING_SECRET, body), "Content-Type": content_type}

    response = http.post(SLACK_PATH, content=body, headers=headers)

    assert response.status_code == 400
    assert response.json() == {"error": "invalid_payload"}
    assert slack.calls == []


def test_event_ids_beyond_the_id_column_are_404(runtime: Runtime) -> None:
    """`/events/2147483648.ics` names no event (ids are 32-bit on PostgreSQL): 404, not 503."""
    with LocalServer(WebApp(runtime.app, runtime.engine, runtime.deps)) as server:
        beyond = httpx.get(f"{server.url}/events/2147483648.ics", timeout=10)
        largest = httpx.get(f"{server.url}/events/2147483647.ics", timeout=10)

    assert beyond.status_code == 404
    assert largest.status_code == 404
