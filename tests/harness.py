"""Driving the bot as Slack does, and reading back what a user would see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from sqlalchemy import func, select

from bot.app import Runtime
from demokit import simulate
from demokit.fake_slack import FakeSlack, block_kit_problems
from handlers.practices import ids as practice_ids
from storage.models import AuditEntry, OutboxMessage, OutboxStatus, Practice


class FrozenClock:
    """A clock that moves only when a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


# Delivery lets time pass only this far on its own: enough for per-channel pacing, never enough
# to skip a back-off or a Retry-After that a test means to observe.
PACING_HORIZON = timedelta(seconds=1)


@dataclass
class Bot:
    """The bot under test with its fake Slack and clock."""

    runtime: Runtime
    slack: FakeSlack
    clock: FrozenClock
    secret: str

    def send(
        self, body: str, content_type: str = "application/x-www-form-urlencoded"
    ) -> BoltResponse:
        """Dispatch a request signed exactly as Slack signs it.

        What the bot answers in the HTTP response (`ack(response_action="update", view=...)`,
        `ack(blocks=...)`) is judged as Slack would judge it; a refusal fails the test.
        """
        headers = {**simulate.sign(self.secret, body), "Content-Type": content_type}
        response = self.runtime.app.dispatch(BoltRequest(body=body, headers=headers))
        self.slack.malformed += [("ack", problems) for problems in answer_problems(response)]
        return response

    def deliver(self) -> int:
        """Deliver everything the outbox owes Slack now, letting per-channel pacing elapse."""
        total = self.runtime.delivery.drain()
        while True:
            with self.runtime.deps.uow() as uow:
                # only messages held by pacing: never tried, so no back-off is being skipped
                due = uow.session.scalar(
                    select(func.min(OutboxMessage.next_attempt_at)).where(
                        OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.attempts == 0,
                        OutboxMessage.last_error.is_(None),
                    )
                )
            if due is None or due <= self.clock.now or due > self.clock.now + PACING_HORIZON:
                return total
            self.clock.now = due
            total += self.runtime.delivery.drain()

    def share(self, user: str, view_id: str = "VSHARE001", **fields: Any) -> BoltResponse:
        """A member submits the share-a-practice form."""
        values = simulate.practice_values(**fields)
        body = simulate.view_submission(practice_ids.PRACTICE_MODAL, user, values, view_id=view_id)
        return self.send(body)

    def click(self, action_id: str, value: str, user: str, channel: str) -> BoltResponse:
        """A user clicks a button on a message."""
        return self.send(simulate.button_click(action_id, value, user, channel=channel))

    def submit(
        self,
        callback_id: str,
        user: str,
        values: dict[str, Any],
        metadata: dict[str, Any],
        view_id: str,
    ) -> BoltResponse:
        """A user submits a modal with the given state and private metadata."""
        body = simulate.view_submission(
            callback_id, user, values, view_id=view_id, private_metadata=json.dumps(metadata)
        )
        return self.send(body)

    def practices(self) -> list[Practice]:
        with self.runtime.deps.uow() as uow:
            return list(uow.session.scalars(select(Practice).order_by(Practice.id)))

    def audit(self) -> list[AuditEntry]:
        with self.runtime.deps.uow() as uow:
            return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))

    def outbox(self) -> list[OutboxMessage]:
        with self.runtime.deps.uow() as uow:
            return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))

    def ephemerals(self, user: str) -> list[str]:
        return [
            str(call.params.get("text"))
            for call in self.slack.calls_to("chat.postEphemeral")
            if call.params.get("user") == user
        ]

    def opened_views(self) -> list[dict[str, Any]]:
        views = []
        for call in self.slack.calls_to("views.open"):
            view = call.params.get("view")
            views.append(json.loads(view) if isinstance(view, str) else view)
        return views


def answer_problems(response: BoltResponse) -> list[list[str]]:
    """What Slack would refuse in an acknowledgement's `view` or `blocks` (none when empty)."""
    try:
        answer = json.loads(response.body) if response.body else None
    except ValueError:
        return []
    if not isinstance(answer, dict):
        return []
    found = []
    if answer.get("response_action") in ("update", "push"):
        found.append(block_kit_problems(view=answer.get("view")))
    if "blocks" in answer:
        found.append(block_kit_problems(blocks=answer["blocks"]))
    return [problems for problems in found if problems]


def body_json(response: BoltResponse) -> dict[str, Any]:
    """A Bolt response body as JSON ({} when empty)."""
    return json.loads(response.body) if response.body else {}


def mrkdwn_texts(node: object) -> list[str]:
    """Every string Slack parses for mentions: the `text` fallback and `mrkdwn` objects.

    `plain_text` objects (headers, buttons) are shown literally, so they need no escaping.
    """
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" or ("blocks" in node and "text" in node):
            found.append(str(node["text"]))
        for value in node.values():
            found += mrkdwn_texts(value)
    elif isinstance(node, list):
        for value in node:
            found += mrkdwn_texts(value)
    return found
