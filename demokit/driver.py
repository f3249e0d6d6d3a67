"""Running the real bot for the demo: a fresh database, a local server, a fake Slack, a clock.

`Demo` is what a story holds: it sends signed requests to the bot's `/slack/events`, delivers
the outbox to the fake Slack, and hands every call Slack received to the transcript.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import httpx
from pydantic import SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from bot.app import Runtime, build_runtime
from bot.web import SLACK_PATH, WebApp
from core.config import Settings
from demokit import simulate
from demokit.fake_slack import FakeSlack, FakeSlackServer
from demokit.local_server import LocalServer
from demokit.transcript import Transcript
from storage.migrate import upgrade

SECRET = "demo-signing-secret"
FORM = "application/x-www-form-urlencoded"
PACING_ROUNDS = 60  # outbox passes, a demo second apart, for per-channel pacing to let all out


class DemoClock:
    """The bot's clock: it stands still unless the demo moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        """Now, as far as the bot can tell."""
        return self.now


class DemoSettings(Settings):
    """Settings given by the demo alone.

    A developer's environment (say `CCSN_DIGEST_CRON` or `CCSN_TIMEZONE`) must not change the
    story or break it, so neither the environment nor `.env` is read.
    """

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what the demo passes in."""
        return (init_settings,)


@dataclass
class Demo:
    """One running bot, its fake Slack, and the transcript of what Slack was asked to do."""

    runtime: Runtime
    slack: FakeSlack
    clock: DemoClock
    http: httpx.Client
    transcript: Transcript

    def step(self, what: str, body: str, content_type: str = FORM) -> None:
        """Send `body` to the bot as Slack would, deliver what it queued, and print it all."""
        headers = {**simulate.sign(SECRET, body), "Content-Type": content_type}
        response = self.http.post(SLACK_PATH, content=body, headers=headers)
        response.raise_for_status()
        answer = response.json() if "json" in response.headers.get("content-type", "") else {}
        if answer.get("response_action") == "errors":
            raise RuntimeError(f"the bot refused the form in {what!r}: {response.text}")
        self.deliver()
        self.transcript.step(what, self.slack.calls)

    def scheduled(self, what: str, at: datetime) -> None:
        """Move the clock to `at` and run the jobs due then, as the serving bot's scheduler does."""
        self.clock.now = at
        self.runtime.scheduler.catch_up()
        self.deliver()
        self.transcript.step(what, self.slack.calls)

    def run_job(self, what: str, name: str) -> None:
        """Run the scheduler's job `name` once now, as its next interval would."""
        [job] = [job for job in self.runtime.scheduler.jobs if job.name == name]
        job.run(self.clock.now)
        self.deliver()
        self.transcript.step(what, self.slack.calls)

    def deliver(self) -> None:
        """Deliver the outbox, letting demo seconds pass while Slack's per-channel pace holds."""
        for _ in range(PACING_ROUNDS):
            self.runtime.delivery.drain()
            with self.runtime.deps.uow() as uow:
                if uow.outbox.count_pending() == 0:
                    return
            self.clock.now += timedelta(seconds=1)

    def button(self, channel: str, action_id: str) -> tuple[str, str]:
        """The value and message `ts` of a button on the latest message in `channel` that has it.

        The demo clicks what the bot actually posted, so it needs no knowledge of the values.
        """
        for call in reversed(self.slack.calls):
            params = call.params
            if call.method in ("chat.postMessage", "chat.update") and params["channel"] == channel:
                for element in _buttons(params.get("blocks")):
                    if element.get("action_id") == action_id:
                        ts = params.get("ts") or call.response.get("ts")
                        return str(element.get("value", "")), str(ts)
        raise LookupError(f"no {action_id} button in {channel}")

    def click(self, what: str, user: str, channel: str, action_id: str) -> None:
        """`user` clicks the `action_id` button on the latest message in `channel` showing it."""
        value, ts = self.button(channel, action_id)
        self.step(
            what, simulate.button_click(action_id, value, user, channel=channel, message_ts=ts)
        )

    def last_modal(self) -> dict[str, Any]:
        """The modal the bot opened most recently."""
        [*_, call] = self.slack.calls_to("views.open")
        view = call.params.get("view") or {}
        return json.loads(view) if isinstance(view, str) else dict(view)


def _buttons(blocks: Any) -> Iterator[dict[str, Any]]:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    for block in blocks or []:
        if block.get("type") == "actions":
            yield from block.get("elements", [])


@contextmanager
def running_bot(
    settings: Mapping[str, Any],
    start: datetime,
    names: Mapping[str, str],
    out: IO[str],
    *,
    keep_in: Path | None = None,
    profiles: Mapping[str, str] | None = None,
) -> Iterator[Demo]:
    """The real bot on a fresh SQLite database, served on loopback, talking to a fake Slack.

    `settings` name the channels and people; the clock starts at `start`; `names` are what the
    transcript calls each channel and person, `profiles` the full names the fake Slack's
    `users.info` gives. The database is deleted afterwards unless it is made in `keep_in`
    (the public site then keeps serving it).
    """
    with tempfile.TemporaryDirectory() as tmp, FakeSlackServer() as slack:
        slack.fake.names.update(profiles or {})
        database_url = f"sqlite:///{Path(keep_in or tmp) / 'demo.db'}"
        upgrade(database_url)
        clock = DemoClock(start)
        runtime = build_runtime(
            DemoSettings(
                slack_bot_token=SecretStr(slack.fake.bot_token),
                slack_signing_secret=SecretStr(SECRET),
                slack_api_url=slack.url,
                database_url=database_url,
                **settings,
            ),
            clock=clock,
        )
        try:
            with (
                LocalServer(WebApp(runtime.app, runtime.engine)) as server,
                httpx.Client(base_url=server.url, timeout=10) as http,
            ):
                yield Demo(runtime, slack.fake, clock, http, Transcript(out, names))
        finally:
            runtime.close()
