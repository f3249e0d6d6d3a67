"""`make bench` (`python -m bench`): run every benchmark, print one table, write the JSON.

SQLite always; PostgreSQL too when `BENCH_DATABASE_URL` (or `TEST_DATABASE_URL`) names a
server, in a schema of its own that is dropped afterwards. The defaults take about five and a
half minutes on two cores with both databases; `--quick` runs everything at toy sizes, and the
size flags go longer (`--digest-sizes 10000,100000,1000000` adds the digest at a million).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench.databases import driver_url, fresh_database, label
from bench.digest import DEFAULT_SIZES as DIGEST_SIZES
from bench.digest import RECENT as DIGEST_RECENT
from bench.digest import measure_digest
from bench.footprint import measure_footprint
from bench.history import measure_outbox_history
from bench.library import REQUESTS as LIBRARY_REQUESTS
from bench.library import SIZE as LIBRARY_SIZE
from bench.library import measure_library
from bench.modal import measure_modal
from bench.outbox import FAN_OUT, measure_outbox
from bench.processes import ROOT, stack
from bench.report import Row, table, write_json
from bench.search import QUERIES as SEARCH_QUERIES
from bench.search import SIZE as SEARCH_SIZE
from bench.search import measure_search
from bench.submission import measure_submission

OUT = ROOT / "bench" / "out" / "results.json"
MEASURES = (
    "modal",
    "submission",
    "outbox",
    "history",
    "footprint",
    "digest",
    "search",
    "library",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="toy sizes: checks it all runs")
    parser.add_argument("--only", default=",".join(MEASURES), help=f"some of: {','.join(MEASURES)}")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL"),
        help="PostgreSQL server to use (default: BENCH_DATABASE_URL or TEST_DATABASE_URL)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--modal-requests", type=int, default=200, help="per client (200)")
    parser.add_argument("--submissions", type=int, default=1000, help="per app (1000)")
    parser.add_argument("--outbox-messages", type=int, default=1000, help="unlimited run (1000)")
    parser.add_argument(
        "--limited-per-channel", type=int, default=4, help="rate-limited run, per channel (4)"
    )
    parser.add_argument(
        "--fan-out", type=int, default=FAN_OUT, help="DMs to distinct members (5000)"
    )
    parser.add_argument(
        "--history", type=int, default=100_000, help="delivered messages behind the queue"
    )
    parser.add_argument("--memory-requests", type=int, default=10_000, help="per app (10000)")
    parser.add_argument(
        "--digest-sizes",
        type=_sizes,
        default=DIGEST_SIZES,
        help="stored submissions, ascending (10000,100000; add 1000000 for the long run)",
    )
    parser.add_argument(
        "--digest-recent", type=int, default=DIGEST_RECENT, help="of them in the digest's week"
    )
    parser.add_argument(
        "--search-practices", type=int, default=SEARCH_SIZE, help="approved practices (100000)"
    )
    parser.add_argument(
        "--search-queries", type=int, default=SEARCH_QUERIES, help="searches timed (300)"
    )
    parser.add_argument(
        "--library-practices", type=int, default=LIBRARY_SIZE, help="approved practices (100000)"
    )
    parser.add_argument(
        "--library-requests", type=int, default=LIBRARY_REQUESTS, help="pages timed (300)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="gunicorn workers for both apps (1, as serve)"
    )
    parser.add_argument("--out", type=Path, default=OUT, help=f"JSON file (default {OUT})")
    return parser


def _quick(args: argparse.Namespace) -> None:
    args.modal_requests = 10
    args.submissions = 40
    args.outbox_messages = 60
    args.limited_per_channel = 2
    args.fan_out = 100
    args.memory_requests = 100
    args.history = 1000
    args.digest_sizes = (500, 2000)
    args.digest_recent = 100
    args.search_practices = 2000
    args.search_queries = 40
    args.library_practices = 2000
    args.library_requests = 40


def _sizes(value: str) -> tuple[int, ...]:
    """`10000,100000` as sizes, smallest first."""
    return tuple(sorted(int(part.replace("_", "")) for part in value.split(",") if part))


_STARTED = time.monotonic()


def _say(message: str) -> None:
    elapsed = int(time.monotonic() - _STARTED)
    print(f"[bench {elapsed // 60}:{elapsed % 60:02d}] {message}", file=sys.stderr, flush=True)


def machine(kinds: Sequence[str], postgres_url: str | None) -> dict[str, Any]:
    """What the numbers were measured on, including how busy the machine was at the start."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": list(os.getloadavg()),
        "commit": _git_commit(),
    }
    if "postgresql" in kinds and postgres_url:
        engine = create_engine(driver_url(postgres_url))
        with engine.connect() as connection:
            info["postgresql"] = connection.scalar(text("SHOW server_version"))
        engine.dispose()
    return info


def _git_commit() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return result.stdout.strip() or "unknown"


def databases(args: argparse.Namespace) -> list[str]:
    """SQLite always; PostgreSQL when a server was named and not turned off."""
    return ["sqlite"] + ([] if args.no_postgres or not args.postgres_url else ["postgresql"])


def run(args: argparse.Namespace, workdir: Path) -> list[Row]:
    """Every selected measure, on every database, in the order of the issue."""
    only = set(args.only.split(","))
    kinds = databases(args)
    rows: list[Row] = []
    if only & {"modal", "submission"}:
        for kind in kinds:
            with (
                fresh_database(kind, workdir, args.postgres_url) as url,
                stack(url, workdir, workers=args.workers) as s,
            ):
                if "modal" in only and kind == kinds[0]:  # no database on this path
                    _say(f"slash command -> modal ({label(url)} stack)")
                    rows += measure_modal(s, requests=args.modal_requests)
                if "submission" in only:
                    _say(f"view submission ({label(url)})")
                    rows += measure_submission(s, requests=args.submissions)
    if "outbox" in only:
        for kind in kinds:
            with fresh_database(kind, workdir, args.postgres_url) as url:
                _say(f"outbox drain ({label(url)})")
                rows += measure_outbox(
                    url,
                    workdir,
                    messages=args.outbox_messages,
                    per_channel_limited=args.limited_per_channel,
                    fan_out=args.fan_out,
                )
    if "history" in only:
        for kind in kinds:
            with fresh_database(kind, workdir, args.postgres_url) as url:
                _say(f"outbox claim with {args.history:,} delivered messages ({label(url)})")
                rows += measure_outbox_history(url, history=args.history)
    if "footprint" in only:
        with (
            fresh_database(kinds[0], workdir, args.postgres_url) as url,
            stack(url, workdir, workers=args.workers) as s,
        ):
            _say(f"memory and start-up ({label(url)}, {args.memory_requests:,} requests)")
            rows += measure_footprint(s, requests=args.memory_requests)
    if "digest" in only:
        for kind in kinds:
            with fresh_database(kind, workdir, args.postgres_url) as url:
                sizes = ", ".join(f"{size:,}" for size in args.digest_sizes)
                _say(f"digest build with {sizes} submissions ({label(url)})")
                rows += measure_digest(url, sizes=args.digest_sizes, recent=args.digest_recent)
    if "search" in only:
        for kind in kinds:
            with fresh_database(kind, workdir, args.postgres_url) as url:
                _say(f"search over {args.search_practices:,} practices ({label(url)})")
                rows += measure_search(url, size=args.search_practices, queries=args.search_queries)
    if "library" in only:
        for kind in kinds:
            with fresh_database(kind, workdir, args.postgres_url) as url:
                _say(f"library page over {args.library_practices:,} practices ({label(url)})")
                rows += measure_library(
                    url, size=args.library_practices, requests=args.library_requests
                )
    if args.postgres_url is None and not args.no_postgres:
        _say("PostgreSQL skipped: set BENCH_DATABASE_URL to include it")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; print the table; write the JSON. Exit 0 whether targets were met."""
    args = _parser().parse_args(argv)
    if args.quick:
        _quick(args)
    info = {**machine(databases(args), args.postgres_url), "gunicorn_workers": args.workers}
    if info["load_average_at_start"][0] > 0.5:
        _say(
            f"load average {info['load_average_at_start'][0]:.1f} at start: other work on this "
            "machine will make the numbers noisy"
        )
    with tempfile.TemporaryDirectory(prefix="ccsn-bench-") as tmp:
        rows = run(args, Path(tmp))
    info["load_average_at_end"] = list(os.getloadavg())
    write_json(args.out, rows, info)
    print(table(rows))
    print(
        f"\n{info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB, Python "
        f"{info['python']}, SQLite {info['sqlite']}"
        + (f", PostgreSQL {info['postgresql']}" if "postgresql" in info else "")
        + f"; load average {info['load_average_at_start'][0]:.1f} at start, "
        f"{info['load_average_at_end'][0]:.1f} at end; results in {args.out}"
    )
    return 0
