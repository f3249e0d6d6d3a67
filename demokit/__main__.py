"""`python -m demokit` (or `ccsn-demo`): play the offline demo and print what Slack was sent."""

from __future__ import annotations

import sys

from demokit.play import run_demo


def main() -> int:
    """Run the demo against a local fake Slack; returns the process exit status."""
    run_demo(sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
