"""Policy updates need a policy channel."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot.app import build_runtime
from core.config import Settings
from demokit.fake_slack import FakeSlack
from tests.conftest import SIGNING_SECRET, FrozenClock, make_settings
from tests.handlers.policy.helpers import POLICY_CHANNEL
from tests.harness import Bot


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema, ccsn_policy_channel=POLICY_CHANNEL)


@pytest.fixture
def make_bot(slack: FakeSlack, schema: str, clock: FrozenClock) -> Iterator[Callable[..., Bot]]:
    """Another bot process on the same database and fake Slack, with settings overridden."""
    runtimes = []

    def make(**overrides: object) -> Bot:
        values: dict[str, object] = {"ccsn_policy_channel": POLICY_CHANNEL, **overrides}
        runtime = build_runtime(make_settings(slack, schema, **values), clock=clock)
        runtimes.append(runtime)
        return Bot(runtime=runtime, slack=slack, clock=clock, secret=SIGNING_SECRET)

    yield make
    for runtime in runtimes:
        runtime.close()
