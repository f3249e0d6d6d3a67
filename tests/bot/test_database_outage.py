"""A database outage: polite answers in time, /healthz says 503, recovery without a restart."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from bot.app import build_runtime
from bot.web import WebApp
from demokit.fake_slack import FakeSlack
from demokit.local_server import LocalServer
from handlers.practices import ids
from handlers.replies import TRY_AGAIN
from handlers.review import ids as review_ids
from tests.conftest import COORDINATORS, MEMBER, SIGNING_SECRET, make_settings
from tests.harness import Bot, FrozenClock, body_json
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.reliability


@pytest.fixture
def proxied(postgres_url: str) -> Iterator[tuple[str, TcpProxy]]:
    """The test database reached through a proxy that can be cut (a server, so PostgreSQL)."""
    parts = urlsplit(postgres_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    netloc = parts.netloc.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
    if parts.port is None:
        netloc = parts.netloc.replace(parts.hostname or "", f"127.0.0.1:{proxy.port}")
    yield urlunsplit(parts._replace(netloc=netloc)), proxy
    proxy.close()


def test_outage_gets_polite_answers_in_time_and_recovers(
    proxied: tuple[str, TcpProxy], slack: FakeSlack, clock: FrozenClock
) -> None:
    """During the outage Slack gets "try again" answers within 3 seconds; afterwards all works.

    A submission gets a modal error and a click an ephemeral reply, nothing is saved, and once
    the database is back the same bot process saves again and reports healthy.
    """
    url, proxy = proxied
    runtime = build_runtime(make_settings(slack, url), clock=clock)
    bot = Bot(runtime=runtime, slack=slack, clock=clock, secret=SIGNING_SECRET)
    with LocalServer(WebApp(runtime.app, runtime.engine)) as server:
        assert body_json(bot.share(MEMBER, view_id="VBEFORE01")) == {}
        assert httpx.get(f"{server.url}/healthz").status_code == 200
        bot.deliver()
        approve = bot.review_button(review_ids.APPROVE_ACTION, kind="practice", item_id=1)

        proxy.cut()
        started = time.monotonic()
        during = bot.share(MEMBER, view_id="VDURING01")
        bot.press(approve, COORDINATORS[0])
        elapsed = time.monotonic() - started
        health = httpx.get(f"{server.url}/healthz", timeout=10)

        assert body_json(during) == {
            "response_action": "errors",
            "errors": {ids.TITLE_BLOCK: TRY_AGAIN},
        }
        assert bot.ephemerals(COORDINATORS[0]) == [TRY_AGAIN]
        assert elapsed < 3
        assert health.status_code == 503

        proxy.restore()
        assert body_json(bot.share(MEMBER, view_id="VAFTER001")) == {}
        assert httpx.get(f"{server.url}/healthz").status_code == 200
    assert [p.title for p in bot.practices()] == ["Family resource nights"] * 2
    runtime.close()


def test_a_stalled_network_still_gets_answers_within_three_seconds(
    proxied: tuple[str, TcpProxy], slack: FakeSlack, clock: FrozenClock
) -> None:
    """Packets held, not refused: a click, a submission and /healthz still answer in time."""
    url, proxy = proxied
    runtime = build_runtime(make_settings(slack, url), clock=clock)
    bot = Bot(runtime=runtime, slack=slack, clock=clock, secret=SIGNING_SECRET)
    with LocalServer(WebApp(runtime.app, runtime.engine)) as server:
        assert body_json(bot.share(MEMBER, view_id="VBEFORE02")) == {}
        bot.deliver()
        approve = bot.review_button(review_ids.APPROVE_ACTION, kind="practice", item_id=1)

        proxy.stall()
        timings = []
        for action in (
            lambda: bot.press(approve, COORDINATORS[0]),
            lambda: bot.share(MEMBER, view_id="VSTALL001"),
            lambda: httpx.get(f"{server.url}/healthz", timeout=10),
        ):
            started = time.monotonic()
            answers = action()
            timings.append((time.monotonic() - started, answers))
        proxy.restore()

    (click_s, _), (share_s, shared), (health_s, health) = timings
    assert max(click_s, share_s, health_s) < 3
    assert bot.ephemerals(COORDINATORS[0]) == [TRY_AGAIN]
    assert body_json(shared)["errors"] == {ids.TITLE_BLOCK: TRY_AGAIN}
    assert health.status_code == 503
    runtime.close()
