"""(3) Outbox drain: how fast queued messages reach Slack, with and without Slack's rate limit."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, delete, select

from bench import generate
from bench.databases import label
from bench.processes import BOT_TOKEN, FakeSlackProcess, fake_slack
from bench.report import Row
from bot.outbox import OutboxDelivery, OutboxWorker
from bot.slack_client import make_client
from core.clock import utc_now
from core.config import load_settings
from storage.db import make_engine, make_session_factory
from storage.models import OutboxMessage, OutboxStatus
from storage.uow import UnitOfWork

CHANNELS = 20
LIMIT_INTERVAL = 1.0  # Slack: about one message per second per channel
FAN_OUT = 5000
FAN_OUT_RATE = 200.0


@dataclass(frozen=True)
class Drain:
    """One drain: how many were sent, how long it took, and whether each channel kept order."""

    sent: int
    seconds: float
    in_order: bool
    attempts: int

    @property
    def rate(self) -> float:
        """Messages delivered per second."""
        return self.sent / self.seconds if self.seconds else 0.0


def _drain(
    engine: Engine,
    slack: FakeSlackProcess,
    *,
    messages: int,
    timeout: float,
    channels: int = CHANNELS,
    prefix: str = "CBENCH",
) -> Drain:
    """Queue `messages` over `CHANNELS` channels and let the bot's outbox worker deliver them.

    The worker is the one `ccsn-bot serve` runs; the time is from starting it to the moment the
    last message was recorded as sent.
    """
    started_at = utc_now()
    generate.outbox_messages(engine, messages, channels=channels, now=started_at, prefix=prefix)
    settings = load_settings(None, slack_bot_token=BOT_TOKEN, slack_api_url=slack.url)
    sessions = make_session_factory(engine)
    delivery = OutboxDelivery(
        lambda: UnitOfWork(sessions), make_client(settings, for_outbox=True), utc_now
    )
    worker = OutboxWorker(delivery)
    began = time.perf_counter()
    began_at = utc_now()
    worker.start()
    try:
        while time.perf_counter() - began < timeout:
            with UnitOfWork(sessions) as uow:
                if uow.outbox.count_pending() == 0:
                    break
            time.sleep(0.05)
    finally:
        worker.stop()
    return _outcome(engine, since=began_at)


def _outcome(engine: Engine, since: datetime) -> Drain:
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                OutboxMessage.channel,
                OutboxMessage.ts,
                OutboxMessage.sent_at,
                OutboxMessage.attempts,
                OutboxMessage.status,
            ).order_by(OutboxMessage.id)
        ).all()
    sent = [row for row in rows if row.status == OutboxStatus.SENT]
    last_ts: dict[str, str] = {}
    in_order = True
    for row in sent:
        if row.ts is None or row.ts <= last_ts.get(row.channel, ""):
            in_order = False
        last_ts[row.channel] = row.ts or ""
    last = max((row.sent_at for row in sent), default=since)
    return Drain(
        sent=len(sent),
        seconds=(last - since).total_seconds(),
        in_order=in_order,
        attempts=sum(row.attempts for row in rows),
    )


def _direct(slack: FakeSlackProcess, messages: int) -> float:
    """The baseline: the same posts sent one after another with a bare `WebClient`."""
    settings = load_settings(None, slack_bot_token=BOT_TOKEN, slack_api_url=slack.url)
    client = make_client(settings, for_outbox=True)
    for i in range(20):  # warm up the fake's threads and the client, as the worker's first pass
        client.chat_postMessage(channel="CWARMUP", text=f"Warm-up {i}")
    began = time.perf_counter()
    for i in range(messages):
        client.chat_postMessage(channel=f"CDIRECT{i % CHANNELS:04d}", text=f"Benchmark {i}")
    return messages / (time.perf_counter() - began)


def measure_outbox(
    database_url: str,
    workdir: Path,
    *,
    messages: int,
    per_channel_limited: int,
    fan_out: int = FAN_OUT,
) -> list[Row]:
    """Messages per second the outbox delivers, unlimited and under a per-channel limit.

    Unlimited: `messages` queued over 20 channels, delivered to a fake Slack that accepts
    everything, against a bare `WebClient` posting the same number directly (no database).
    Limited: `per_channel_limited` messages in each of 20 channels, to a fake Slack that
    answers 429 with `Retry-After` to a second post to a channel within a second; at best
    that takes `per_channel_limited - 1` seconds, and every channel must keep its order.

    Args:
        database_url: an empty, migrated database.
        workdir: where the fake Slack processes keep their logs.
        messages: how many messages in the unlimited run.
        per_channel_limited: messages per channel in the rate-limited run.
        fan_out: DMs in the fan-out run, each to a member of its own (as personal digests go).
    """
    db = label(database_url)
    engine = make_engine(database_url)
    try:
        with fake_slack(workdir) as slack:
            direct = _direct(slack, messages)
            free = _drain(engine, slack, messages=messages, timeout=300)
        with engine.begin() as connection:
            connection.execute(delete(OutboxMessage))
        limited_count = per_channel_limited * CHANNELS
        with fake_slack(workdir, channel_interval=LIMIT_INTERVAL) as slack:
            limited = _drain(engine, slack, messages=limited_count, timeout=120)
            refused = slack.counts().get("ratelimited", 0)
        with engine.begin() as connection:
            connection.execute(delete(OutboxMessage))
        with fake_slack(workdir) as slack:
            spread = _drain(
                engine, slack, messages=fan_out, timeout=300, channels=fan_out, prefix="UDIGEST"
            )
    finally:
        engine.dispose()
    ideal = (per_channel_limited - 1) * LIMIT_INTERVAL
    return [
        Row(
            f"outbox drain ({db}), no rate limit",
            "msg/s",
            free.rate,
            direct,
            target="all delivered, in order per channel",
            met=free.sent == messages and free.in_order,
            note=f"{free.sent}/{messages} sent over {CHANNELS} channels in {free.seconds:.1f} s; "
            "baseline: a bare WebClient posting the same number, no database",
        ),
        Row(
            f"outbox drain ({db}), 1/s/channel limit, {CHANNELS} channels",
            "s",
            limited.seconds,
            ideal,
            target="all delivered, in order per channel",
            met=limited.sent == limited_count and limited.in_order,
            note=f"{limited.sent}/{limited_count} sent ({limited.rate:.1f} msg/s) with "
            f"{refused} answers of 429; baseline: the fastest the limit allows",
        ),
        Row(
            f"outbox fan-out ({db}), {fan_out:,} DMs to {fan_out:,} members, no rate limit",
            "msg/s",
            spread.rate,
            FAN_OUT_RATE,
            target=f">= {FAN_OUT_RATE:.0f} msg/s, all delivered",
            met=spread.sent == fan_out and spread.rate >= FAN_OUT_RATE,
            note=f"{spread.sent}/{fan_out} sent in {spread.seconds:.1f} s, {spread.attempts} "
            "attempts (as personal digests go out: one DM per member); baseline: the target",
        ),
    ]
