"""A small concurrent load driver: threads with keep-alive `httpx` clients, signed requests.

Each request is signed just before it is sent (as Slack signs it) and timed from send to the
last byte of the answer. Requests are shared out from one counter, so `clients` threads send
exactly `requests` between them.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from bot.web import SLACK_PATH
from demokit import simulate

FORM = "application/x-www-form-urlencoded"


def percentile(samples: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile of `samples` (NaN when there are none)."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Load:
    """What a load run measured: latencies of accepted requests, failures, wall time."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    elapsed: float = 0.0

    @property
    def accepted(self) -> int:
        """Requests answered 200 with the expected body."""
        return len(self.latencies)

    @property
    def rps(self) -> float:
        """Accepted requests per second of wall time."""
        return self.accepted / self.elapsed if self.elapsed else math.nan

    def ms(self, pct: float) -> float:
        """A latency percentile in milliseconds."""
        return percentile(self.latencies, pct) * 1000


def drive(
    url: str,
    body: Callable[[int], str],
    *,
    secret: str,
    requests: int,
    clients: int,
    accept: Callable[[httpx.Response], bool] | None = None,
) -> Load:
    """Send `requests` signed Slack requests from `clients` threads to `url` and time them.

    Args:
        url: the server's root URL.
        body: builds the body of request number `i` (unique ids go here).
        secret: the signing secret the server checks.
        requests: how many requests in all.
        clients: how many concurrent clients (threads, one connection each).
        accept: whether a 200 answer is the expected one (default: an empty body).
    """
    accept = accept or (lambda response: response.content == b"")
    numbers = itertools.count()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    load = Load()

    def client() -> None:
        latencies: list[float] = []
        failures = 0
        with httpx.Client(base_url=url, timeout=30) as http:
            start.wait()
            while True:
                with lock:
                    i = next(numbers)
                if i >= requests:
                    break
                text = body(i)
                headers = {**simulate.sign(secret, text), "Content-Type": FORM}
                sent = time.perf_counter()
                try:
                    response = http.post(SLACK_PATH, content=text, headers=headers)
                except httpx.HTTPError:
                    failures += 1
                    continue
                took = time.perf_counter() - sent
                if response.status_code == 200 and accept(response):
                    latencies.append(took)
                else:
                    failures += 1
        with lock:
            load.latencies.extend(latencies)
            load.failures += failures

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    load.elapsed = time.perf_counter() - began
    return load
