"""(1) Slash command to modal: the bot against a bare Bolt app, at 1 and 8 clients."""

from __future__ import annotations

from bench.load import Load, drive
from bench.processes import SIGNING_SECRET, Server, Stack
from bench.report import Row
from demokit import simulate
from handlers.practices import ids

P99_LIMIT_MS = 50.0
P99_RATIO = 1.5
MEMBER = "UBENCH001"


def _run(server: Server, requests: int, clients: int) -> tuple[Load, int]:
    """The measured run, and how many requests (warm-up included) were accepted in all."""

    def body(_i: int) -> str:
        return simulate.slash_command(ids.SHARE_COMMAND, MEMBER)

    warmup = max(clients * 5, 20)
    warm = drive(server.url, body, secret=SIGNING_SECRET, requests=warmup, clients=clients)
    load = drive(server.url, body, secret=SIGNING_SECRET, requests=requests, clients=clients)
    return load, warm.accepted + load.accepted


def measure_modal(stack: Stack, *, requests: int, clients: tuple[int, ...] = (1, 8)) -> list[Row]:
    """p50/p99 latency and requests per second of `/share-practice` through to `views.open`.

    Both apps answer over HTTP from the same gunicorn configuration and open the same modal on
    the same fake Slack; the bot and the bare app take turns so drift hits both alike. Every
    accepted request must have opened a modal on the fake (counted there).

    Args:
        stack: the running fake Slack, bot and bare app.
        requests: requests per run at one client; a run at n clients sends n times as many.
        clients: the concurrency levels to measure.
    """
    rows: list[Row] = []
    for n in clients:
        opened_before = stack.slack.counts().get("views.open", 0)
        bot, bot_total = _run(stack.bot, requests * n, n)
        bare, bare_total = _run(stack.bare, requests * n, n)
        opened = stack.slack.counts().get("views.open", 0) - opened_before
        missing = bot_total + bare_total - opened
        p99_ok = bot.ms(99) <= P99_RATIO * bare.ms(99) and bot.ms(99) < P99_LIMIT_MS
        label = f"{n} client" + ("s" if n > 1 else "")
        rows += [
            Row(f"slash command -> modal, p50, {label}", "ms", bot.ms(50), bare.ms(50)),
            Row(
                f"slash command -> modal, p99, {label}",
                "ms",
                bot.ms(99),
                bare.ms(99),
                target=f"<= {P99_RATIO}x bare and < {P99_LIMIT_MS:.0f} ms",
                met=p99_ok and bot.failures == 0 and missing == 0,
                note=(
                    f"{bot.accepted} requests ({bot.failures} failed), "
                    f"{missing} accepted without a modal opened"
                ),
            ),
            Row(f"slash command -> modal, throughput, {label}", "req/s", bot.rps, bare.rps),
        ]
    return rows
