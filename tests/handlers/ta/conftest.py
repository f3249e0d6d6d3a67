"""TA tests run with a TA channel, network-wide providers, and Bay Area regional routing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot.app import Runtime, build_runtime
from core.config import Settings
from demokit.fake_slack import FakeSlack
from tests.conftest import SIGNING_SECRET, FrozenClock, make_settings
from tests.handlers.ta.support import BAY_GROUP, BAY_PROVIDER, NETWORK_PROVIDER, TA_CHANNEL
from tests.harness import Bot

TA_SETTINGS: dict[str, object] = {
    "ccsn_ta_channel": TA_CHANNEL,
    "ccsn_ta_providers": NETWORK_PROVIDER,
    "ccsn_ta_region_providers": f"Bay Area={BAY_PROVIDER}|{BAY_GROUP}",
}


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema, **TA_SETTINGS)


@pytest.fixture
def bot_with(slack: FakeSlack, schema: str, clock: FrozenClock) -> Iterator[Callable[..., Bot]]:
    """Start another bot process on the same database, with the given settings."""
    runtimes: list[Runtime] = []

    def make(**overrides: object) -> Bot:
        runtime = build_runtime(make_settings(slack, schema, **overrides), clock=clock)
        runtimes.append(runtime)
        return Bot(runtime=runtime, slack=slack, clock=clock, secret=SIGNING_SECRET)

    yield make
    for runtime in runtimes:
        runtime.close()
