"""The HTTP endpoint: only requests Slack signed get through; /healthz reports the database."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from bot.app import Runtime
from bot.web import SLACK_PATH, WebApp
from demokit import simulate
from demokit.local_server import LocalServer
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
