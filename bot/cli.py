"""`ccsn-bot`: serve, start, demo, outbox, digest, export, stats, db upgrade.

Bad settings end in one line naming the variable to fix, never a traceback.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot import digest_cli, export_cli, server
from bot.logs import configure_logging
from bot.outbox_admin import outbox_report, retry_failed
from bot.slack_client import check_token
from core.clock import Clock, utc_now
from core.config import Settings, SettingsError, load_settings
from handlers.exports.schemas import day_problem
from storage.migrate import upgrade
from storage.models.outbox import OutboxStatus

CONNECT_HELP = """\
No Slack settings found, so here is the offline demo instead.
To connect a real workspace:
  1. Create a Slack app from manifest.yml (https://api.slack.com/apps > Create New App >
     From an app manifest), install it, and invite it to your channels.
  2. Copy .env.example to .env and fill in SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (or
     SLACK_APP_TOKEN for Socket Mode), CCSN_COORDINATORS and the CCSN_*_CHANNEL IDs.
  3. Run `make run` again.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ccsn-bot", description="CCSN Hub Slack bot")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="serve Slack (HTTP, or Socket Mode with an app token)"
    )
    serve.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    serve.add_argument("--workers", type=int, default=1, help="gunicorn worker processes")
    commands.add_parser("start", help="serve when Slack is configured, otherwise the demo")
    commands.add_parser(
        "demo", help="the offline demo: practice, TA, event, TA offer, bill, digest"
    )
    outbox = commands.add_parser("outbox", help="list queued or failed Slack messages")
    outbox.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
    outbox.add_argument(
        "--status", choices=[s.value for s in OutboxStatus], help="only messages in this state"
    )
    db = commands.add_parser("db", help="database tasks")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply migrations up to the latest")
    digest = commands.add_parser("digest", help="the weekly digest")
    digest_commands = digest.add_subparsers(dest="digest_command", required=True)
    preview = digest_commands.add_parser("preview", help="print the coming digest as text")
    preview.add_argument("--json", action="store_true", help="print the Block Kit payloads")
    post = digest_commands.add_parser("post", help="post the current period's digest now, once")
    post.set_defaults(json=False)
    export = commands.add_parser(
        "export", help="write a CSV of practices, TA requests, events or TA offerings"
    )
    export.add_argument("kind", choices=["practices", "ta", "events", "ta-offerings"])
    export.add_argument("--since", type=_day, help="only rows created on or after YYYY-MM-DD")
    export.add_argument("--output", type=Path, help="write to this file instead of stdout")
    stats = commands.add_parser("stats", help="counts by status, region, pillar and TA topic")
    stats.add_argument("--from", dest="start", type=_day, help="first day, YYYY-MM-DD")
    stats.add_argument("--to", dest="end", type=_day, help="last day, YYYY-MM-DD (default today)")
    return parser


def _day(text: str) -> date:
    """A YYYY-MM-DD argument within the dates the hub covers (argparse names the argument)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    problem = day_problem(day)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return day


def _serve(settings: Settings, port: int, workers: int) -> int:
    """Serve for real; never falls back to the demo. Checks the token before forking."""
    settings.require_for_serve()
    check_token(settings)
    if settings.socket_mode:
        server.serve_socket_mode(settings)
        return 0
    return server.serve_http(settings, port=port, workers=workers)


def _outbox(settings: Settings, action: str, status: str | None, clock: Clock) -> None:
    if action == "retry":
        count = retry_failed(settings.database_url, clock)
        print(f"{count} failed message(s) queued again; a running bot delivers them shortly")
    else:
        print(outbox_report(settings.database_url, OutboxStatus(status) if status else None))


def _demo() -> int:
    """Play the offline demo, a separate program (`demokit`): the product never imports it."""
    return subprocess.run([sys.executable, "-m", "demokit"], check=False).returncode


def main(argv: Sequence[str] | None = None, clock: Clock = utc_now) -> int:
    """Run one command; returns the process exit status.

    `clock` is the one source of "now" for every command, so tests can freeze it.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging()
    try:
        settings = load_settings()
        if args.command == "db":
            upgrade(settings.database_url)
            print(f"database is at the latest schema ({settings.database_url.split(':')[0]})")
        elif args.command == "outbox":
            _outbox(settings, args.action, args.status, clock)
        elif args.command == "digest":
            digest_cli.run(
                settings, args.digest_command, sys.stdout, as_json=args.json, clock=clock
            )
        elif args.command == "export":
            export_cli.export(settings, args.kind, args.since, args.output, sys.stdout, clock=clock)
        elif args.command == "stats":
            end = args.end or clock().astimezone(settings.timezone).date()
            if args.start and args.start > end:
                to = f"--to {end}" if args.end else f"today ({end}), the default --to"
                parser.error(f"--from {args.start} is after {to}")
            export_cli.stats(settings, args.start, end, sys.stdout, clock=clock)
        elif args.command == "demo":
            return _demo()
        elif args.command == "start" and not settings.slack_configured:
            print(CONNECT_HELP, flush=True)
            return _demo()
        else:
            return _serve(settings, getattr(args, "port", 3000), getattr(args, "workers", 1))
    except SettingsError as exc:
        print(f"ccsn-bot: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
