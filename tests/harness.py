"""Driving the bot as Slack does, and reading back what a user would see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from bot.app import Runtime
from demokit import simulate
from demokit.fake_slack import FakeSlack, block_kit_problems
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from storage.models import AuditEntry, OutboxMessage, OutboxStatus, Practice


class FrozenClock:
    """A clock that moves only when a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


# The buttons a review post carries while it waits for a decision.
REVIEW_ACTIONS = (
    review_ids.APPROVE_ACTION,
    review_ids.REQUEST_CHANGES_ACTION,
    review_ids.REJECT_ACTION,
)


@dataclass(frozen=True)
class PostedButton:
    """A button on a message as Slack shows it now: what a click on it sends back."""

    action_id: str
    value: str
    channel: str
    ts: str

    def click(self, user: str) -> str:
        """The signed-to-be body of `user` clicking it: its value, on its message."""
        return simulate.button_click(
            self.action_id, self.value, user, channel=self.channel, message_ts=self.ts
        )


def _buttons(blocks: Any) -> list[dict[str, Any]]:
    """The buttons in a message's `actions` blocks, in order."""
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [
        element
        for block in blocks or []
        if isinstance(block, dict) and block.get("type") == "actions"
        for element in block.get("elements") or []
        if isinstance(element, dict) and element.get("type") == "button"
    ]


def _names(value: object, kind: str, item_id: int) -> bool:
    """Whether a review button's value (`practice:7@2`) names this submission."""
    return str(value).partition("@")[0] == f"{kind}:{item_id}"


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
                # only messages held by pacing: never tried, so no back-off is being skipped,
                # and each the first still pending in its channel, the one pacing holds
                earlier = aliased(OutboxMessage)
                due = uow.session.scalar(
                    select(func.min(OutboxMessage.next_attempt_at)).where(
                        OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.attempts == 0,
                        OutboxMessage.last_error.is_(None),
                        ~exists().where(
                            earlier.channel == OutboxMessage.channel,
                            earlier.status == OutboxStatus.PENDING,
                            earlier.id < OutboxMessage.id,
                        ),
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

    def shown(self, channel: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Each message in `channel`, oldest first: (as first posted, as Slack shows it now).

        `chat.update` rewrites a message in place, so what a member sees (and can click) is
        the latest accepted update of the post with that `ts`, or the post itself.
        """
        latest: dict[str, dict[str, Any]] = {}
        for call in self.slack.calls_to("chat.update"):
            if call.response.get("ok") and call.params.get("channel") == channel:
                latest[str(call.params.get("ts"))] = {**call.params}
        return [(post, latest.get(str(post["ts"]), post)) for post in self.slack.posts(channel)]

    def review_button(self, action_id: str, *, kind: str, item_id: int) -> PostedButton:
        """The button `action_id` on the newest review post for one submission, as shown now.

        Only what was delivered is in Slack, so deliver first. A post that was decided,
        withdrawn or replaced by an edit shows no buttons: asking for one there fails, as
        nobody could click it.
        """
        channel = self.runtime.deps.settings.ccsn_coordinator_channel
        assert channel, "no coordinators' channel is configured, so no review post exists"
        ref = f"{kind}:{item_id}"
        posts = [
            (posted, now)
            for posted, now in self.shown(channel)
            if any(
                b.get("action_id") in REVIEW_ACTIONS and _names(b.get("value"), kind, item_id)
                for b in _buttons(posted.get("blocks"))
            )
        ]
        assert posts, f"no review post for {ref} in {channel} (was it delivered?)"
        _, now = posts[-1]
        button = next((b for b in _buttons(now.get("blocks")) if b["action_id"] == action_id), None)
        assert button is not None, (
            f"the newest review post for {ref} (ts {now['ts']}) has no {action_id!r} button; "
            f"it reads {now.get('text')!r}"
        )
        return PostedButton(action_id, str(button.get("value")), channel, str(now["ts"]))

    def dm_button(self, user: str, action_id: str) -> PostedButton:
        """The button `action_id` on the newest direct message to `user` that shows one now.

        The bot addresses a DM to the member; the click names the DM's `D…` conversation, as
        the fake's `conversations.open` does.
        """
        for _, now in reversed(self.shown(user)):
            for button in _buttons(now.get("blocks")):
                if button.get("action_id") == action_id:
                    return PostedButton(action_id, str(button.get("value")), f"D{user}", now["ts"])
        raise AssertionError(f"no direct message to {user} shows a {action_id!r} button")

    def press(self, button: PostedButton, user: str) -> BoltResponse:
        """`user` clicks a button the bot posted, sending back exactly its value and message."""
        return self.send(button.click(user))

    def click_review(self, action_id: str, user: str, *, kind: str, item_id: int) -> BoltResponse:
        """`user` clicks Approve, Request changes or Reject on a submission's live review post."""
        return self.press(self.review_button(action_id, kind=kind, item_id=item_id), user)

    def reason_modal(self) -> dict[str, Any]:
        """The reason form the last Request changes or Reject click opened (fails if none)."""
        views = self.opened_views()
        assert views, "no modal was opened"
        assert views[-1].get("callback_id") == review_ids.REASON_MODAL, (
            f"the last modal opened is {views[-1].get('callback_id')!r}, not the reason form"
        )
        return views[-1]

    def give_reason(
        self,
        user: str,
        reason: str,
        *,
        modal: dict[str, Any] | None = None,
    ) -> BoltResponse:
        """`user` types `reason` into a reason form the bot opened and submits it.

        The form is the last one opened unless `modal` names an earlier one; its private
        metadata goes back untouched. Each opened form has its own view id, as in Slack.
        """
        modal = modal or self.reason_modal()
        view_id = f"VOPENED{self.opened_views().index(modal) + 1:04d}"
        values = {review_ids.REASON_BLOCK: simulate.text_state(review_ids.REASON_INPUT, reason)}
        body = simulate.view_submission(
            review_ids.REASON_MODAL,
            user,
            values,
            view_id=view_id,
            private_metadata=str(modal.get("private_metadata") or ""),
        )
        return self.send(body)

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
