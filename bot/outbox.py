"""Delivering the outbox to Slack: retries with back-off, `Retry-After`, ordering per channel.

Messages are claimed with a lease in one short transaction, sent with no transaction open,
and their outcome recorded in another. If the process dies after Slack accepted a message but
before its `ts` was recorded, the lease runs out and the message is sent again: at most one
duplicate per crash, never a loss.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.client import HTTPException
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from core.clock import Clock
from storage.models import OutboxMessage, OutboxStatus
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

# Called in the unit of work that marks a message failed, so a notice about it is enqueued
# atomically with the failure.
FailureHook = Callable[[UnitOfWork, OutboxMessage, str, datetime], None]

LEASE = timedelta(seconds=60)
CHANNEL_INTERVAL = timedelta(seconds=1)
LINK_RETRY = timedelta(seconds=30)
PERMALINK_CACHE = 10_000  # links remembered per process; more than a busy week's digest needs
MAX_BACKOFF_SECONDS = 300
# `ok: false` errors that mean "not now" rather than "never".
TRANSIENT_ERRORS = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "team_access_not_granted",
    }
)


# `{permalink:KEY}` inside a payload's strings becomes the permalink of the message enqueued
# under KEY (the digest links every practice it lists to the practice's post this way).
LINK_TOKEN = re.compile(r"\{permalink:([A-Za-z0-9:_.\-]{1,128})\}")
# Where a link points when the message it names was never sent: that message's channel.
CHANNEL_REDIRECT = "https://slack.com/app_redirect?channel={channel}"


def backoff(attempts: int) -> timedelta:
    """Exponential back-off with jitter: 1, 2, 4 … seconds, at most five minutes."""
    base = min(2 ** max(attempts, 0), MAX_BACKOFF_SECONDS)
    return timedelta(seconds=base * random.uniform(1.0, 1.25))


@dataclass(frozen=True)
class Pass:
    """The outcome of one pass over the outbox."""

    tried: int
    delivered: int


@dataclass(frozen=True)
class Attempt:
    """The outcome of one delivery attempt."""

    ts: str | None = None
    retry_after: timedelta | None = None
    failed: str | None = None
    error: str | None = None


class OutboxDelivery:
    """Sends due outbox messages through a `WebClient` and records what happened."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        client: WebClient,
        clock: Clock,
        *,
        on_failure: FailureHook | None = None,
        channel_interval: timedelta = CHANNEL_INTERVAL,
    ) -> None:
        self._uow = uow
        self._client = client
        self._clock = clock
        self._on_failure = on_failure
        self._channel_interval = channel_interval
        # Permalinks never change, so each is fetched once per process, even across retries.
        self._permalinks: dict[str, str] = {}

    def deliver_due(self, limit: int = 10, stop: threading.Event | None = None) -> Pass:
        """Make one pass over due messages: how many were tried, and how many Slack accepted.

        The pass holds its leases under one token; each message's lease is renewed just before
        it is sent, so a pass slowed past its lease skips what another worker has taken instead
        of sending it twice. When `stop` is set mid-pass, the messages not yet tried are
        released at once, so a restarted process need not wait for their lease to run out.
        """
        token = uuid.uuid4().hex
        with self._uow() as uow:
            messages = uow.outbox.claim_due(self._clock(), LEASE, limit, token)
            uow.commit()
        delivered = 0
        for index, message in enumerate(messages):
            if stop is not None and stop.is_set():
                with self._uow() as uow:
                    uow.outbox.release([m.id for m in messages[index:]], token)
                    uow.commit()
                break
            try:
                delivered += self._deliver(message, token)
            except SQLAlchemyError:
                raise  # the database is the problem: the worker backs off as a whole
            except Exception:  # one malformed message must not stall the rest of the pass
                log.exception("outbox.message_error id=%s", message.id)
                with self._uow() as uow:
                    retry_at = self._clock() + backoff(message.attempts)
                    uow.outbox.mark_retry(
                        message.id, error="internal error", retry_at=retry_at, token=token
                    )
                    uow.commit()
        return Pass(tried=len(messages), delivered=delivered)

    def drain(self, max_passes: int = 100) -> int:
        """Deliver until nothing is due now; returns how many Slack accepted.

        Tests and the demo call this directly instead of running the background worker.
        """
        total = 0
        for _ in range(max_passes):
            result = self.deliver_due()
            total += result.delivered
            if result.tried == 0:
                break
        return total

    def _deliver(self, message: OutboxMessage, token: str) -> int:
        now = self._clock()
        with self._uow() as uow:
            payload, wait = self._prepare(uow, message)
            if wait is None and not uow.outbox.renew(message.id, token, now + LEASE):
                log.info("outbox.lease_lost id=%s", message.id)
                return 0
            uow.commit()
        if wait is not None:
            with self._uow() as uow:
                if wait.failed:
                    uow.outbox.mark_failed(message.id, error=wait.failed, token=token)
                else:
                    retry_at = now + (wait.retry_after or timedelta(seconds=2))
                    uow.outbox.postpone(
                        message.id, reason=wait.error or "", retry_at=retry_at, token=token
                    )
                uow.commit()
            return 0
        attempt = self._call(message.method, payload)
        with self._uow() as uow:
            if attempt.failed is not None:
                uow.outbox.mark_failed(message.id, error=attempt.failed, token=token)
                log.warning(
                    "outbox.failed id=%s method=%s error=%s",
                    message.id,
                    message.method,
                    attempt.failed,
                )
                if self._on_failure is not None:
                    self._on_failure(uow, message, attempt.failed, now)
            elif attempt.error is not None:
                delay = attempt.retry_after or backoff(message.attempts)
                uow.outbox.mark_retry(
                    message.id, error=attempt.error, retry_at=now + delay, token=token
                )
                log.info(
                    "outbox.retry id=%s error=%s in_seconds=%.1f",
                    message.id,
                    attempt.error,
                    delay.total_seconds(),
                )
            else:
                sent_at = self._clock()
                if not uow.outbox.mark_sent(message.id, ts=attempt.ts, at=sent_at, token=token):
                    log.warning("outbox.sent_after_lease_lost id=%s", message.id)
                if message.method == "chat.postMessage":
                    # Slack allows about one post per second per channel: space the next ones.
                    uow.outbox.pace_channel(message.channel, sent_at + self._channel_interval)
            uow.commit()
        return int(attempt.error is None and attempt.failed is None)

    def _prepare(self, uow: Any, message: OutboxMessage) -> tuple[dict[str, Any], Attempt | None]:
        """Resolve references to earlier messages: the `ts` to edit, the link to share.

        A thread reply waits until its parent has a `ts` (and fails with it); link tokens wait
        until the messages they name are sent.
        """
        payload: dict[str, Any] = dict(message.payload)
        payload["channel"] = message.channel
        if message.thread_of is not None:
            parent = uow.outbox.by_key(message.thread_of)
            if parent is None or parent.status is OutboxStatus.FAILED:
                failed = f"the thread's first message ({message.thread_of}) was not sent"
                return payload, Attempt(failed=failed)
            if parent.status is OutboxStatus.PENDING:
                return payload, Attempt(error=f"waiting for {message.thread_of}")
            payload["thread_ts"] = parent.ts
        keys = _link_keys(payload)
        if keys:
            links, wait = self._links(uow, keys)
            if wait is not None:
                return payload, wait
            payload = _map_strings(payload, lambda s: _fill_links(s, links))
        for ref_key, purpose in ((message.update_of, "update"), (message.permalink_of, "link")):
            if ref_key is None:
                continue
            ref = uow.outbox.by_key(ref_key)
            if ref is None or ref.status is OutboxStatus.FAILED:
                if purpose == "update":
                    return payload, Attempt(failed=f"the message to edit ({ref_key}) was not sent")
                payload = _fill_permalink(payload, "")
                continue
            if ref.status is OutboxStatus.PENDING:
                return payload, Attempt(error=f"waiting for {ref_key}")
            if purpose == "update":
                payload["channel"], payload["ts"] = ref.channel, ref.ts
            else:
                link = self._permalink(ref.channel, ref.ts)
                if link is None:
                    return payload, Attempt(error="permalink unavailable")
                payload = _fill_permalink(payload, link)
        return payload, None

    def _links(self, uow: Any, keys: list[str]) -> tuple[dict[str, str], Attempt | None]:
        """The URL each link token stands for, or why the message must wait."""
        refs = uow.outbox.by_keys([k for k in keys if k not in self._permalinks])
        links: dict[str, str] = {}
        for key in keys:
            if key in self._permalinks:
                links[key] = self._permalinks[key]
                continue
            ref = refs.get(key)
            if ref is None or ref.status is OutboxStatus.FAILED:
                links[key] = CHANNEL_REDIRECT.format(channel=ref.channel if ref else "")
                continue
            if ref.status is OutboxStatus.PENDING:
                return links, Attempt(error=f"waiting for {key}")
            link = self._permalink(ref.channel, ref.ts)
            if link is None:
                return links, Attempt(error="permalink unavailable", retry_after=LINK_RETRY)
            if len(self._permalinks) >= PERMALINK_CACHE:
                self._permalinks.clear()  # a long-running process must not grow without bound
            self._permalinks[key] = links[key] = link
        return links, None

    def _permalink(self, channel: str, ts: str | None) -> str | None:
        try:
            response = self._client.chat_getPermalink(channel=channel, message_ts=ts or "")
        except (SlackApiError, URLError, OSError, HTTPException):
            return None
        link = response.get("permalink")
        return link if isinstance(link, str) else None

    def _call(self, method: str, payload: dict[str, Any]) -> Attempt:
        try:
            response = self._client.api_call(method, json=payload)
        except SlackApiError as exc:
            status = exc.response.status_code
            error = str(exc.response.get("error") or f"http_{status}")
            if status == 429:
                retry_after = _retry_after(exc.response.headers)
                return Attempt(error="ratelimited", retry_after=retry_after)
            if status >= 500 or status in (401, 403, 407) or error in TRANSIENT_ERRORS:
                return Attempt(error=error[:200])
            if not isinstance(exc.response.data, dict) or " " in error:
                # Not Slack's JSON (a proxy's HTML page, a truncated body): not Slack's verdict.
                return Attempt(error=f"unexpected response (HTTP {status})")
            return Attempt(failed=error[:200])
        except (URLError, OSError, HTTPException) as exc:  # refused, reset, timed out, cut short
            return Attempt(error=f"connection: {type(exc).__name__}")
        ts = response.get("ts")
        return Attempt(ts=ts if isinstance(ts, str) else None)


def _retry_after(headers: Any) -> timedelta:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return timedelta(seconds=max(1, int(str(raw).strip())))
            except ValueError:
                break
    return timedelta(seconds=30)


def _link_keys(payload: dict[str, Any]) -> list[str]:
    """The keys named by link tokens anywhere in the payload, each once, in order."""
    return list(dict.fromkeys(LINK_TOKEN.findall(json.dumps(payload))))


def _fill_links(text: str, links: dict[str, str]) -> str:
    return LINK_TOKEN.sub(lambda m: links.get(m.group(1), m.group(0)), text)


def _map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """`value` with `change` applied to every string inside it (dicts and lists walked)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {k: _map_strings(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_strings(v, change) for v in value]
    return value


def _fill_permalink(payload: dict[str, Any], link: str) -> dict[str, Any]:
    placeholder = "{permalink}"
    replacement = f"<{link}|see it here>" if link else "in its channel"
    return dict(json.loads(json.dumps(payload).replace(placeholder, replacement)))


class OutboxWorker:
    """A background thread that delivers the outbox, woken early after each commit."""

    def __init__(self, delivery: OutboxDelivery, idle_seconds: float = 1.0) -> None:
        self._delivery = delivery
        self._idle = idle_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)

    def wake(self) -> None:
        """Deliver soon: something was just committed."""
        self._wake.set()

    def start(self) -> None:
        """Start delivering in the background."""
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Finish the message in hand and stop; undelivered messages stay queued."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            tried = 0
            try:
                tried = self._delivery.deliver_due(stop=self._stop).tried
            except SQLAlchemyError:
                log.warning("outbox.database_unavailable")
            except Exception:  # keep delivering whatever one message did
                log.exception("outbox.pass_failed")
            if tried == 0:
                self._wake.wait(self._idle)
                self._wake.clear()
