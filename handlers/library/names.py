"""Members' names for the public library, looked up once with `users.info` after approval.

Why a scheduled job rather than a lookup inside the approval: the approval's transaction is
what makes "nothing is lost" true (its messages go through the outbox), and it must not wait
on, or fail because of, a Slack read. The job finds every approved practice whose member
agreed to be named and has no stored name yet, so a lookup that failed (Slack down, rate
limited, the bot restarted) is simply tried again on the next run; once stored, the name is
never looked up again. Until then the page shows no name at all, never a Slack user ID.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Protocol

from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from core.config import Settings
from core.schedule import PeriodicJob
from handlers.deps import Deps

log = logging.getLogger(__name__)

JOB = "library.names"
INTERVAL = timedelta(minutes=5)
BATCH = 50
NAME_MAX = 200
# Slack will never have a name for these users: remember that (as "") instead of asking again.
GONE = frozenset({"user_not_found", "users_not_found", "account_inactive"})


class Directory(Protocol):
    """Who a Slack user is, by name."""

    def name_of(self, user_id: str) -> str:
        """The member's name, or "" when Slack has none to give.

        Raises:
            Exception: on a failure worth retrying later (network, rate limit, Slack error).
        """


class SlackDirectory:
    """`users.info` through the bot token (needs the `users:read` scope)."""

    def __init__(self, settings: Settings) -> None:
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        self._client = WebClient(token=token, base_url=settings.slack_api_url, timeout=10)

    def name_of(self, user_id: str) -> str:
        """The member's real name (or display name) as their Slack profile gives it."""
        try:
            response = self._client.api_call("users.info", params={"user": user_id})
        except SlackApiError as exc:
            if exc.response.get("error") in GONE:
                return ""
            raise
        return pick_name(response.get("user") or {})


def pick_name(user: dict[str, Any]) -> str:
    """The first non-empty of the profile's real name, display name, and the account's name."""
    profile = user.get("profile") or {}
    for candidate in (profile.get("real_name"), profile.get("display_name"), user.get("real_name")):
        if isinstance(candidate, str) and candidate.strip():
            return " ".join(candidate.split())[:NAME_MAX]
    return ""


def resolve_names(deps: Deps, directory: Directory) -> int:
    """Store names for approved practices still waiting for one; returns how many were stored.

    Each name is stored in its own transaction, so one failure costs only itself; the first
    lookup that fails ends the run (Slack is likely down) and the next run carries on.
    """
    with deps.uow() as uow:
        waiting = [(p.id, p.submitter_id) for p in uow.library.awaiting_names(BATCH)]
    stored = 0
    for practice_id, user_id in waiting:
        try:
            name = directory.name_of(user_id)
        except Exception:  # retried next run; never stops the scheduler
            log.warning("library.name_lookup_failed practice=%s", practice_id)
            break
        with deps.uow() as uow:
            stored += uow.library.store_name(practice_id, name)
            uow.commit()
    return stored


def jobs(deps: Deps) -> list[PeriodicJob]:
    """The name lookup job, when the bot has a token to ask Slack with."""
    if deps.settings.slack_bot_token is None:
        return []
    directory = SlackDirectory(deps.settings)
    trigger = IntervalTrigger(
        seconds=int(INTERVAL.total_seconds()), timezone=deps.settings.timezone
    )

    def run(_due: datetime) -> None:
        resolve_names(deps, directory)

    return [PeriodicJob(name=JOB, trigger=trigger, run=run, grace=INTERVAL, catch_up=False)]
