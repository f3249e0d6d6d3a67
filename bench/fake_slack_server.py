"""`python -m bench.fake_slack_server`: the fake Web API in a process of its own.

The benchmarks run it apart from both the server under test and the load driver, so none of
the three shares a GIL. It prints its Web API root on the first line of stdout and serves until
stdin closes or it is sent SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from demokit.fake_slack import FakeSlack, FakeSlackServer


def main() -> None:
    """Serve a counts-only fake Slack, optionally limiting posts per channel."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--channel-interval",
        type=float,
        default=None,
        help="answer 429 to a second chat.postMessage to a channel within this many seconds",
    )
    args = parser.parse_args()
    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    def until_stdin_closes() -> None:
        sys.stdin.read()
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    fake = FakeSlack(channel_interval=args.channel_interval, record=False)
    with FakeSlackServer(fake) as server:
        print(server.url, flush=True)
        threading.Thread(target=until_stdin_closes, daemon=True).start()
        stop.wait()


if __name__ == "__main__":
    main()
