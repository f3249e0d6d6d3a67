"""The baseline: a bare Bolt app that only acks and opens the same modal, served the same way.

It uses the bot's own gunicorn configuration (`bot.server.gunicorn_options`), the same Slack
client settings (`bot.slack_client.make_client`) and the same modal builder, but no database,
no outbox and no scheduler, so the difference between the two is what the bot's own work costs.
Run it as `python -m bench.baseline --port N` with the bot's environment variables.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.logs import configure_logging
from bot.server import THREADS, gunicorn_options
from bot.slack_client import make_client
from bot.web import SLACK_PATH, StartResponse
from core.config import Settings, load_settings
from handlers.practices import ids, views


def bare_app(settings: Settings) -> App:
    """A Bolt app whose command opens the practice modal and whose submission only acks."""
    secret = settings.slack_signing_secret
    app = App(
        client=make_client(settings),
        signing_secret=secret.get_secret_value() if secret else "",
        process_before_response=True,
        logger=logging.getLogger("slack_bolt"),
    )

    @app.command(ids.SHARE_COMMAND)
    def open_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=views.practice_modal())

    @app.view(ids.PRACTICE_MODAL)
    def submit(ack: Ack) -> None:
        ack()

    return app


class BareWebApp:
    """`POST /slack/events` to the bare app; `GET /healthz` is 200 as soon as it is loaded."""

    def __init__(self, app: App) -> None:
        self._slack = SlackRequestHandler(app, path=SLACK_PATH)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Route one WSGI request."""
        if environ.get("PATH_INFO") == SLACK_PATH:
            return self._slack(environ, start_response)
        data = json.dumps({"status": "ok"}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [data]


class BareGunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn with the bot's options, loading the bare app after the fork as the bot does."""

    def __init__(self, settings: Settings, *, port: int, workers: int) -> None:
        self._settings = settings
        self._options = {
            **gunicorn_options(port=port, workers=workers, threads=THREADS),
            "proc_name": "ccsn-bare",
        }
        super().__init__()

    def load_config(self) -> None:
        """Hand the options to gunicorn instead of reading its command line."""
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> BareWebApp:
        """Build the bare app in the worker."""
        return BareWebApp(bare_app(self._settings))


def main() -> None:
    """Serve the bare app until SIGTERM, on the port given."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    configure_logging()
    BareGunicornServer(load_settings(None), port=args.port, workers=args.workers).run()


if __name__ == "__main__":
    main()
