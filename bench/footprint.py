"""(6) Resident memory of `serve` after start and after many requests, and time to healthy."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bench.load import drive
from bench.processes import SIGNING_SECRET, Server, Stack
from bench.report import Row
from demokit import simulate
from handlers.practices import ids

MB = 1024 * 1024
GROWTH_LIMIT_MB = 5.0
# Issue 17's tighter target for the same growth.
GROWTH_TARGET_MB = 2.0
WARM_SHARE = 0.1  # growth is counted from the end of the first tenth of the requests
_runs = itertools.count(1)


def _mixed(run: int, offset: int = 0) -> Callable[[int], str]:
    """Alternate slash commands and form submissions, each submission with its own view id."""
    values = simulate.practice_values()

    def body(i: int) -> str:
        n = offset + i
        member = f"UBENCH{n % 50:03d}"
        if n % 2 == 0:
            return simulate.slash_command(ids.SHARE_COMMAND, member)
        view_id = f"VF{run:03d}{n:09d}"
        return simulate.view_submission(ids.PRACTICE_MODAL, member, values, view_id=view_id)

    return body


def _exercise(server: Server, requests: int, clients: int) -> tuple[float, float, float, int]:
    """RSS (MB) after start, after the warm-up tenth and after all `requests`; failures."""
    run = next(_runs)
    start = server.rss_bytes() / MB
    warm = max(1, int(requests * WARM_SHARE))
    first = drive(server.url, _mixed(run), secret=SIGNING_SECRET, requests=warm, clients=clients)
    warm_rss = server.rss_bytes() / MB
    rest = drive(
        server.url,
        _mixed(run, offset=warm),
        secret=SIGNING_SECRET,
        requests=requests - warm,
        clients=clients,
    )
    return start, warm_rss, server.rss_bytes() / MB, first.failures + rest.failures


def measure_footprint(stack: Stack, *, requests: int, clients: int = 8) -> list[Row]:
    """Time from start to healthy, and memory after start and after `requests` requests.

    The stack must be freshly started. Half the requests open the modal, half submit the
    form (so the bot also writes to its database and delivers its outbox). Growth is counted
    from the end of the first tenth, after caches and connection pools have filled, to the end;
    the bare app's growth over the same requests shows what noise looks like.

    Args:
        stack: a fake Slack, bot and bare app started just now.
        requests: requests to send to each app.
        clients: concurrent clients.
    """
    bot_start, bot_warm, bot_end, bot_failed = _exercise(stack.bot, requests, clients)
    bare_start, bare_warm, bare_end, _ = _exercise(stack.bare, requests, clients)
    growth = bot_end - bot_warm
    return [
        Row(
            "serve: start to healthy",
            "s",
            stack.bot.seconds_to_healthy,
            stack.bare.seconds_to_healthy,
            note="process start to the first 200 from GET /healthz",
        ),
        Row(
            "serve: resident memory after start",
            "MB",
            bot_start,
            bare_start,
            note="gunicorn master and worker together",
        ),
        Row(f"serve: resident memory after {requests:,} requests", "MB", bot_end, bare_end),
        Row(
            f"serve: memory growth over requests {int(requests * WARM_SHARE):,}-{requests:,}",
            "MB",
            growth,
            bare_end - bare_warm,
            target=f"<= {GROWTH_LIMIT_MB:.0f} MB (noise), <= {GROWTH_TARGET_MB:.0f} MB",
            met=growth <= GROWTH_TARGET_MB and bot_failed == 0,
            note=f"{bot_failed} requests failed; after start the bot grew "
            f"{bot_warm - bot_start:.1f} MB in the first tenth (caches, pools)",
        ),
    ]
