"""`ccsn-bot digest preview [--json]` and `ccsn-bot digest post`.

Both work on the database alone (no Bolt app, no signing secret). `post` queues the current
period's digest exactly as the schedule would, so it can never post a period twice, then
tries to deliver it at once; anything Slack does not take now stays in the outbox for the
serving bot.
"""

from __future__ import annotations

import json
from typing import IO

from bot.outbox import OutboxDelivery
from bot.slack_client import make_client
from core.clock import Clock, utc_now
from core.config import Settings, SettingsError
from handlers.deps import Deps
from handlers.digest import service, views
from storage.db import make_engine, make_session_factory
from storage.uow import UnitOfWork

CLI_ACTOR = "cli"  # recorded in the audit trail as who posted
MAX_PASSES = 10  # deliver at most a few hundred messages before handing over to the server


def run(
    settings: Settings, command: str, out: IO[str], *, as_json: bool = False, clock: Clock = utc_now
) -> None:
    """Preview or post the digest, writing what happened to `out`.

    Raises:
        SettingsError: `post` without `CCSN_DIGEST_CHANNEL` or `SLACK_BOT_TOKEN`.
    """
    if command == "post":
        for name in ("ccsn_digest_channel", "slack_bot_token"):
            if not getattr(settings, name):
                raise SettingsError(f"{name.upper()} is not set; see .env.example")
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    deps = Deps(settings=settings, uow=lambda: UnitOfWork(sessions), clock=clock)
    try:
        if command == "preview":
            messages = service.preview(deps)
            if as_json:
                out.write(json.dumps(messages, indent=2, ensure_ascii=False) + "\n")
            else:
                out.write(views.as_text(messages))
            return
        outcome = service.post_current(deps, actor_id=CLI_ACTOR)
        if not outcome.posted:
            out.write(f"The digest for {outcome.period_key} was already posted.\n")
            return
        delivery = OutboxDelivery(
            lambda: UnitOfWork(sessions), make_client(settings, for_outbox=True), clock
        )
        delivered = delivery.drain(max_passes=MAX_PASSES)
        out.write(
            f"Posted the digest for {outcome.period_key} ({outcome.messages} message"
            f"{'s' if outcome.messages != 1 else ''}); Slack has taken {delivered} queued "
            "message(s) so far, and the bot delivers any rest.\n"
        )
    finally:
        engine.dispose()
