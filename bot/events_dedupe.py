"""Each Events API delivery is handled once, however often Slack retries it.

Slack redelivers an event (with `X-Slack-Retry-Num`) when it did not see a 200 in time, and
can repeat an `event_id`. The first delivery claims the `event_id` in `job_runs`; repeats are
acknowledged with 200 and go no further, so Slack stops retrying and nothing runs twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from handlers.deps import Deps

log = logging.getLogger(__name__)


def dedupe_events(deps: Deps) -> Callable[..., BoltResponse | None]:
    """A Bolt global middleware that drops repeated `event_callback` deliveries."""

    def middleware(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not isinstance(event_id, str) or not event_id:
            return next()
        try:
            with deps.uow() as uow:
                first = uow.job_runs.claim("slack.event", event_id, deps.clock())
                uow.commit()
        except SQLAlchemyError:
            log.warning("events.dedupe_unavailable event_id=%s", event_id)
            return next()  # better to risk a repeat than to drop the event
        if not first:
            log.info("events.repeat_ignored event_id=%s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    return middleware
