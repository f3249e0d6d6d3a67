"""The public library on the web: approved practices and upcoming events, no Slack needed.

Served by the bot's WSGI app beside `/slack/events` (see `site.PublicSite`); it has no Slack
listeners, only the job that looks up the names of members who agreed to be credited.
"""

from __future__ import annotations

from slack_bolt import Ack, App

from handlers.deps import Deps
from handlers.library.names import jobs
from handlers.practices import ids as practice_ids

__all__ = ["jobs", "register"]


def register(app: App, deps: Deps) -> None:
    """Acknowledge clicks on "View on the web"; the library itself is read on the web."""

    @app.action(practice_ids.WEB_ACTION)
    def view_on_web(ack: Ack) -> None:
        ack()  # a link button: Slack opens the page itself, but still reports the click
