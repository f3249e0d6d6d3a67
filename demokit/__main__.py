"""`python -m demokit` (or `ccsn-demo`): play the offline demo and print what Slack was sent.

Run from a terminal (as `make run` does), it then keeps serving the public library over the
demo's data on http://127.0.0.1:3000/ until Ctrl-C; `--no-site` (or no terminal) skips that.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from demokit.play import run_demo
from demokit.site import serve_site


def main(argv: list[str] | None = None) -> int:
    """Run the demo against a local fake Slack; returns the process exit status."""
    args = sys.argv[1:] if argv is None else argv
    serve = "--no-site" not in args and ("--site" in args or sys.stdin.isatty())
    if not serve:
        run_demo(sys.stdout)
        return 0
    with tempfile.TemporaryDirectory() as keep:
        database_url = run_demo(sys.stdout, keep_in=Path(keep))
        return serve_site(database_url, sys.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
