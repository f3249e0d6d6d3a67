"""Export fixtures: TA and events switched on, and lazy listeners run before `send` returns."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import Any, ParamSpec, TypeVar

import pytest

from bot.app import Runtime, build_runtime
from core.config import Settings
from demokit import simulate
from demokit.fake_slack import FakeSlack, UploadedFile
from handlers.ccsn import ids as ccsn_ids
from tests.conftest import FrozenClock, make_settings
from tests.handlers.ccsn.conftest import command_answer
from tests.handlers.events.helpers import EVENTS_CHANNEL
from tests.handlers.ta.support import TA_CHANNEL
from tests.harness import Bot

P = ParamSpec("P")
T = TypeVar("T")


class InlineExecutor(Executor):
    """Runs each submitted call at once, so a lazy listener has finished when `send` returns."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(
        slack, schema, ccsn_ta_channel=TA_CHANNEL, ccsn_events_channel=EVENTS_CHANNEL
    )


@pytest.fixture
def runtime(settings: Settings, clock: FrozenClock) -> Iterator[Runtime]:
    runtime = build_runtime(settings, clock=clock, listener_executor=InlineExecutor())
    yield runtime
    runtime.close()


def export(bot: Bot, user: str, args: str) -> dict[str, Any]:
    """What `/ccsn export <args>` answered at once."""
    body = simulate.slash_command(ccsn_ids.CCSN_COMMAND, user, f"export {args}".strip())
    return command_answer(bot.send(body))


def read_csv(upload: UploadedFile) -> list[dict[str, str]]:
    """An uploaded CSV's rows by column name."""
    assert upload.content is not None
    return list(csv.DictReader(io.StringIO(upload.content.decode("utf-8"), newline="")))
