"""Library fixtures: the bot's real WSGI app on loopback, and content published through review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from bot.app import Runtime
from bot.web import WebApp
from core.config import Settings
from demokit.fake_slack import FakeSlack
from demokit.local_server import LocalServer
from storage.models import Practice, PracticeStatus
from tests.conftest import MEMBER, make_settings
from tests.handlers.events.helpers import EVENTS_CHANNEL
from tests.handlers.policy.helpers import POLICY_CHANNEL
from tests.handlers.ta.conftest import TA_SETTINGS
from tests.harness import Bot

PUBLIC_URL = "https://hub.example.org"


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    """Every kind the site shows is switched on: events, the TA directory, the tracker."""
    return make_settings(
        slack,
        schema,
        ccsn_events_channel=EVENTS_CHANNEL,
        ccsn_policy_channel=POLICY_CHANNEL,
        ccsn_public_url=PUBLIC_URL,
        **TA_SETTINGS,
    )


@pytest.fixture
def web(runtime: Runtime) -> Iterator[httpx.Client]:
    """An HTTP client for the bot's WSGI app (the same one gunicorn serves)."""
    with (
        LocalServer(WebApp(runtime.app, runtime.engine, runtime.deps)) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        yield client


def add_approved(bot: Bot, count: int, **fields: Any) -> list[int]:
    """Store `count` approved practices directly (for paging), one minute apart."""
    values: dict[str, Any] = {
        "submitter_id": MEMBER,
        "summary": "A practice for paging.",
        "pillars": ["supports"],
        "county": "Fresno",
        "region": "Central Valley",
        "organisation": "Paging Unified",
        "funding_streams": ["elop"],
        "link": None,
        "credit_submitter": False,
    }
    values.update(fields)
    ids = []
    with bot.runtime.deps.uow() as uow:
        for n in range(count):
            at = bot.clock.now - timedelta(days=30) + timedelta(minutes=n)
            practice = uow.practices.add(
                Practice(
                    status=PracticeStatus.APPROVED,
                    title=values.pop("title", None) or f"Paged practice {n:03d}",
                    created_at=at,
                    submitted_at=at,
                    decided_at=at,
                    decided_by="UCOORD001",
                    **values,
                )
            )
            ids.append(practice.id)
        uow.commit()
    return ids
