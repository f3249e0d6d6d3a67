"""TA directory tests run with a TA channel and one network-wide configured provider."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot.app import Runtime, build_runtime
from core.config import Settings
from demokit.fake_slack import FakeSlack
from tests.conftest import SIGNING_SECRET, FrozenClock, make_settings
from tests.handlers.ta.conftest import TA_SETTINGS
from tests.harness import Bot


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema, **TA_SETTINGS)


@pytest.fixture
def bot_with(slack: FakeSlack, schema: str, clock: FrozenClock) -> Iterator[Callable[..., Bot]]:
    """Start another bot process on the same database."""
    runtimes: list[Runtime] = []

    def make() -> Bot:
        runtime = build_runtime(make_settings(slack, schema, **TA_SETTINGS), clock=clock)
        runtimes.append(runtime)
        return Bot(runtime=runtime, slack=slack, clock=clock, secret=SIGNING_SECRET)

    yield make
    for runtime in runtimes:
        runtime.close()
