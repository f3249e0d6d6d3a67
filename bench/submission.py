"""(2) View submission: validation, database write, outbox enqueue and ack, at 8 clients."""

from __future__ import annotations

import itertools

from sqlalchemy import func, select

from bench.databases import label
from bench.load import Load, drive
from bench.processes import SIGNING_SECRET, Server, Stack
from bench.report import Row
from demokit import simulate
from handlers.practices import ids
from storage.db import make_engine
from storage.models import OutboxMessage, OutboxStatus, Practice

MIN_RPS = 100.0
P99_LIMIT_MS = 100.0
# Issue 17: on PostgreSQL the median and the tail within 3x the bare app acking the same form.
BARE_RATIO = 3.0
MESSAGES_PER_SUBMISSION = 2  # the member's thank-you DM and the coordinators' review post
MEMBERS = 50
_runs = itertools.count(1)


def _run(server: Server, requests: int, clients: int) -> tuple[Load, int]:
    """The measured run, and how many submissions (warm-up included) were accepted in all."""
    run = next(_runs)
    values = simulate.practice_values()

    def body(i: int) -> str:
        return simulate.view_submission(
            ids.PRACTICE_MODAL,
            f"UBENCH{i % MEMBERS:03d}",
            values,
            view_id=f"VB{run:03d}{i:09d}",
        )

    def warm_body(i: int) -> str:
        return body(requests + i)

    warmup = max(clients * 5, 20)
    warm = drive(server.url, warm_body, secret=SIGNING_SECRET, requests=warmup, clients=clients)
    load = drive(server.url, body, secret=SIGNING_SECRET, requests=requests, clients=clients)
    return load, warm.accepted + load.accepted


def _counts(database_url: str) -> tuple[int, int, int]:
    """Practices saved, outbox messages written, and outbox messages still pending."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            practices = connection.scalar(select(func.count()).select_from(Practice)) or 0
            outbox = connection.scalar(select(func.count()).select_from(OutboxMessage)) or 0
            pending = (
                connection.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.status == OutboxStatus.PENDING)
                )
                or 0
            )
    finally:
        engine.dispose()
    return int(practices), int(outbox), int(pending)


def measure_submission(stack: Stack, *, requests: int, clients: int = 8) -> list[Row]:
    """p50/p99 and throughput of the practice form's submission, then a count of what was kept.

    The bot validates, saves the practice, its audit row and two outbox messages in one
    transaction, and acks; the bare app only acks. Meanwhile the bot's own outbox worker
    delivers to the fake Slack, as it would in production. Afterwards every accepted submission
    must be a row with its two outbox messages. (How fast the outbox drains is measure 3.)

    Args:
        stack: the running fake Slack, bot and bare app; the bot's database starts empty.
        requests: submissions per app.
        clients: concurrent clients.
    """
    db = label(stack.database_url)
    bot, accepted = _run(stack.bot, requests, clients)
    bare, _ = _run(stack.bare, requests, clients)
    practices, outbox, pending = _counts(stack.database_url)
    # A request that timed out on the client may still have been saved: that is not a loss.
    lost = max(0, accepted - practices) + max(0, MESSAGES_PER_SUBMISSION * practices - outbox)
    name = f"view submission ({db}), {clients} clients"
    ratio_target = db == "PostgreSQL"
    return [
        Row(
            f"{name}, p50",
            "ms",
            bot.ms(50),
            bare.ms(50),
            target=f"<= {BARE_RATIO:.0f}x bare" if ratio_target else "",
            met=bot.ms(50) <= BARE_RATIO * bare.ms(50) if ratio_target else None,
        ),
        Row(
            f"{name}, p99",
            "ms",
            bot.ms(99),
            bare.ms(99),
            target=f"< {P99_LIMIT_MS:.0f} ms"
            + (f", <= {BARE_RATIO:.0f}x bare" if ratio_target else ""),
            met=bot.ms(99) < P99_LIMIT_MS
            and (bot.ms(99) <= BARE_RATIO * bare.ms(99) or not ratio_target),
        ),
        Row(
            f"{name}, throughput",
            "req/s",
            bot.rps,
            bare.rps,
            target=f">= {MIN_RPS:.0f} req/s",
            met=bot.rps >= MIN_RPS,
            note=f"{bot.accepted} submissions in {bot.elapsed:.1f} s ({bot.failures} failed)",
        ),
        Row(
            f"{name}, lost",
            "",
            float(lost),
            target="0",
            met=lost == 0,
            note=(
                f"{accepted} accepted (warm-up included), {practices} practices saved, "
                f"{outbox} outbox messages ({pending} not yet delivered when counted)"
            ),
        ),
    ]
