"""Delivering the outbox to Slack: retries with back-off, `Retry-After`, ordering per channel.

Messages are claimed with a lease in one short transaction, sent with no transaction open,
and their outcome recorded in another. A post whose outcome is unknown (the answer timed out
or was cut off, or the process died before recording its `ts`) is looked for in its channel by
its `metadata` before it is posted again: when Slack lets the bot read the channel, no
duplicate; when it does not, at most one duplicate per unknown outcome, never a loss.
"""

from __future__ import annotations

import logging
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.client import HTTPException
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.slack_client import KeepAliveWebClient
from core.clock import Clock
from storage import outbox_links
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox_links import LinkSpot
from storage.repositories.outbox import Delivered
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

# Called in the unit of work that marks a message failed, so a notice about it is enqueued
# atomically with the failure.
FailureHook = Callable[[UnitOfWork, OutboxMessage, str, datetime], None]

# Long enough for a lookup and a post at the delivery client's timeout each (bot/slack_client).
LEASE = timedelta(minutes=2)
CHANNEL_INTERVAL = timedelta(seconds=1)
LINK_RETRY = timedelta(seconds=30)
PERMALINK_CACHE = 10_000  # links remembered per process; more than a busy week's digest needs
MAX_BACKOFF_SECONDS = 300
# Least time between the starts of two passes unless the last one claimed a full batch.
PASS_GAP = 0.05
SENDERS = 4  # messages (to different channels) in flight at once per process
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


# The `metadata.event_type` of every post, so a retry can find an earlier attempt's post.
METADATA_EVENT = "ccsn_outbox_message"


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
class Sent:
    """A message Slack accepted, for the pass to record with the others it sent."""

    message_id: int
    channel: str
    ts: str | None
    at: datetime
    posting: bool


@dataclass(frozen=True)
class Attempt:
    """The outcome of one delivery attempt."""

    ts: str | None = None
    retry_after: timedelta | None = None
    failed: str | None = None
    error: str | None = None
    uncertain: bool = False  # the call may have been carried out although no answer came


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
        senders: int = SENDERS,
    ) -> None:
        self._uow = uow
        self._batch = max(10, 4 * senders)
        self._senders = (
            ThreadPoolExecutor(max_workers=senders, thread_name_prefix="outbox-send")
            if senders > 1
            else None
        )
        self._client = client
        self._clock = clock
        self._on_failure = on_failure
        self._channel_interval = channel_interval
        # Permalinks never change, so each is fetched once per process, even across retries.
        self._permalinks: dict[str, str] = {}

    def deliver_due(
        self,
        limit: int | None = None,
        stop: threading.Event | None = None,
        *,
        one_by_one: bool = False,
    ) -> Pass:
        """Make one pass over due messages: how many were tried, and how many Slack accepted.

        The pass holds its leases under one token; a message is sent only while more than half
        of its lease is left or once it is renewed, so a pass slowed past its lease skips what
        another worker has taken instead of sending it twice. When `stop` is set mid-pass, the
        messages not yet tried are released at once, so a restarted process need not wait for
        their lease to run out.

        A claim takes only the first pending message of each channel, so the messages of one
        pass are all in different channels and are sent side by side (`senders` at a time):
        each channel still hears its messages in order, each at its own pace and `Retry-After`,
        while a fan-out to thousands of channels goes at Slack's speed, not one call at a time.
        `one_by_one` sends them in id order instead, so what Slack sees is deterministic.
        A message that refers to an earlier one of the same pass (a thread reply, an edit, a
        link) is sent after the others, so it finds it sent, as a one-by-one pass would.

        What Slack accepted side by side is recorded in one transaction once they are all
        sent, before the messages that refer to them go: one commit per pass instead of one
        per message. A crash before it leaves their leases behind, so the next claim looks
        for those posts in Slack instead of posting them again.
        """
        token = uuid.uuid4().hex
        with self._uow() as uow:
            messages = uow.outbox.claim_due(self._clock(), LEASE, limit or self._batch, token)
            uow.commit()
        # Sent one by one, a message found sent only what came before it in the pass.
        earlier = {m.key: m.id for m in messages if m.key}
        alone = [m for m in messages if any(earlier.get(key, m.id) < m.id for key in _refers_to(m))]
        side_by_side = [m for m in messages if m not in alone]
        outcomes: list[int | None] = []
        sent: list[Sent] | None = None if one_by_one else []
        try:
            if self._senders is not None and len(side_by_side) > 1 and sent is not None:
                futures = [
                    self._senders.submit(self._attempt, m, token, stop, sent) for m in side_by_side
                ]
                wait(futures)
                errors = [error for f in futures if (error := f.exception()) is not None]
                if errors:
                    raise errors[0]  # the database is the problem: the worker backs off
                outcomes += [f.result() for f in futures]
            else:
                outcomes += [self._attempt(m, token, stop, sent) for m in side_by_side]
        finally:
            if sent:
                self._record_sent(sent, token)
        outcomes += [self._attempt(m, token, stop) for m in alone]
        skipped = [
            m.id for m, o in zip([*side_by_side, *alone], outcomes, strict=True) if o is None
        ]
        if skipped:
            with self._uow() as uow:
                uow.outbox.release(skipped, token)
                uow.commit()
        return Pass(tried=len(messages), delivered=sum(o or 0 for o in outcomes))

    @property
    def batch(self) -> int:
        """The most messages one pass claims."""
        return self._batch

    def close(self) -> None:
        """Let the sending threads go and close their connections to Slack.

        Any later pass sends one message at a time, on a new connection.
        """
        senders, self._senders = self._senders, None
        if senders is not None:
            senders.shutdown(wait=True)
        if isinstance(self._client, KeepAliveWebClient):
            self._client.close()

    def _attempt(
        self,
        message: OutboxMessage,
        token: str,
        stop: threading.Event | None,
        sent: list[Sent] | None = None,
    ) -> int | None:
        """Deliver one message: 1 if Slack accepted it, 0 if not (yet), None if stopping.

        With `sent`, an accepted message is added to it for the caller to record.
        """
        if stop is not None and stop.is_set():
            return None
        try:
            return self._deliver(message, token, sent)
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
            return 0

    def drain(self, max_passes: int = 100) -> int:
        """Deliver until nothing is due now; returns how many Slack accepted.

        Tests and the demo call this directly instead of running the background worker;
        messages go one at a time in id order, so the demo's transcript never varies.
        """
        total = 0
        for _ in range(max_passes):
            result = self.deliver_due(one_by_one=True)
            total += result.delivered
            if result.tried == 0:
                break
        return total

    def _record_sent(self, sent: list[Sent], token: str) -> None:
        """Record what Slack accepted, and pace each channel posted to, in one transaction.

        Two statements for the whole pass on PostgreSQL (`mark_all_sent`, `pace_channels`):
        one UPDATE per message and per channel cost more than the claim and the sends.
        """
        delivered = [Delivered(item.message_id, item.ts, item.at) for item in sent]
        # Slack allows about one post per second per channel: space the next ones.
        paced = {item.channel: item.at + self._channel_interval for item in sent if item.posting}
        with self._uow() as uow:
            for message_id in uow.outbox.mark_all_sent(delivered, token):
                log.warning("outbox.sent_after_lease_lost id=%s", message_id)
            uow.outbox.pace_channels(paced)
            uow.commit()

    def _deliver(self, message: OutboxMessage, token: str, sent: list[Sent] | None = None) -> int:
        now = self._clock()
        posting = message.method == "chat.postMessage"
        with self._uow() as uow:
            prepared = self._prepare(uow, message)
            ready = prepared.wait is None and not prepared.lookups
            if ready and not self._hold_lease(uow, message, token, now):
                return 0
        payload, wait = prepared.payload, prepared.wait
        if wait is None and prepared.lookups:
            # Slack is asked for the links with no transaction open (on SQLite every one holds
            # the write lock); only then is the lease checked again, just before the send.
            payload, wait = self._look_up_links(prepared)
            if wait is None:
                with self._uow() as uow:
                    if not self._hold_lease(uow, message, token, self._clock()):
                        return 0
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
        attempt = self._send(message, payload)
        if attempt.error is None and attempt.failed is None:
            accepted = Sent(message.id, message.channel, attempt.ts, self._clock(), posting)
            if sent is not None:
                sent.append(accepted)
            else:
                self._record_sent([accepted], token)
            return 1
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
                    message.id,
                    error=attempt.error,
                    retry_at=now + delay,
                    token=token,
                    maybe_sent=posting and attempt.uncertain,
                )
                log.info(
                    "outbox.retry id=%s error=%s in_seconds=%.1f",
                    message.id,
                    attempt.error,
                    delay.total_seconds(),
                )
            uow.commit()
        return 0

    def _hold_lease(
        self, uow: UnitOfWork, message: OutboxMessage, token: str, now: datetime
    ) -> bool:
        """Whether this pass may still send `message`: its lease is renewed once half spent.

        A lease with more than half of it left cannot have run out, so nobody else can hold
        the message and nothing is written: one transaction less per message. Past that the
        lease is renewed, and a worker slowed past its lease learns that another took the
        message and skips it. A crash after the send needs no mark made before it: the lease
        it leaves behind makes the next claim treat the post as maybe sent.
        """
        left = message.locked_until - now if message.locked_until is not None else None
        if left is not None and left > LEASE / 2:
            return True
        if not uow.outbox.renew(message.id, token, now + LEASE):
            log.info("outbox.lease_lost id=%s", message.id)
            return False
        uow.commit()
        return True

    def _prepare(self, uow: Any, message: OutboxMessage) -> _Prepared:
        """Resolve the row's references to earlier messages: the `ts` to edit, the links to share.

        A thread reply waits until its parent has a `ts` (and fails with it); a message with
        links waits until the messages they name are sent. Only the row's own fields are
        read for this: nothing in the payload's text refers to another message. Links not
        remembered from earlier are returned as `lookups`, for Slack to be asked once the
        transaction is over.
        """
        payload: dict[str, Any] = dict(message.payload)
        payload["channel"] = message.channel
        if message.thread_of is not None:
            parent = uow.outbox.by_key(message.thread_of)
            if parent is None or parent.status is OutboxStatus.FAILED:
                failed = f"the thread's first message ({message.thread_of}) was not sent"
                return _Prepared(payload, Attempt(failed=failed))
            if parent.status is OutboxStatus.PENDING:
                return _Prepared(payload, Attempt(error=f"waiting for {message.thread_of}"))
            payload["thread_ts"] = parent.ts
        if message.update_of is not None:
            ref = uow.outbox.by_key(message.update_of)
            if ref is None or ref.status is OutboxStatus.FAILED:
                failed = f"the message to edit ({message.update_of}) was not sent"
                return _Prepared(payload, Attempt(failed=failed))
            if ref.status is OutboxStatus.PENDING:
                return _Prepared(payload, Attempt(error=f"waiting for {message.update_of}"))
            payload["channel"], payload["ts"] = ref.channel, ref.ts
        spots = [LinkSpot.from_json(spot) for spot in message.links or ()]
        if not spots:
            return _Prepared(payload)
        links, lookups, wait = self._links(uow, message, outbox_links.spot_keys(spots))
        if wait is not None:
            return _Prepared(payload, wait)
        if lookups:
            return _Prepared(payload, spots=spots, links=links, lookups=lookups)
        return _Prepared(outbox_links.fill(payload, spots, links))

    def _links(
        self, uow: Any, message: OutboxMessage, keys: list[str]
    ) -> tuple[dict[str, str | None], dict[str, tuple[str, str]], Attempt | None]:
        """The links known now, the `(channel, ts)` of those to ask Slack for, or why to wait.

        A link waits only for a message still queued; one that was never sent or has no `ts`
        is known to be None (left out), so one lost post never holds back every later message
        to the same channel.
        """
        refs = uow.outbox.by_keys([k for k in keys if k not in self._permalinks])
        links: dict[str, str | None] = {}
        lookups: dict[str, tuple[str, str]] = {}
        for key in keys:
            if key in self._permalinks:
                links[key] = self._permalinks[key]
                continue
            ref = refs.get(key)
            if ref is None or ref.id == message.id or ref.status is OutboxStatus.FAILED:
                links[key] = None
                continue
            if ref.status is OutboxStatus.PENDING:
                return links, {}, Attempt(error=f"waiting for {key}")
            if not ref.ts:
                links[key] = None
                continue
            lookups[key] = (ref.channel, ref.ts)
        return links, lookups, None

    def _look_up_links(self, prepared: _Prepared) -> tuple[dict[str, Any], Attempt | None]:
        """Ask Slack for the permalinks `_prepare` could not fill in, then fill the payload."""
        links = dict(prepared.links)
        for key, (channel, ts) in prepared.lookups.items():
            found = self._permalink(channel, ts)
            if found.error is not None:
                return prepared.payload, Attempt(error=found.error, retry_after=LINK_RETRY)
            links[key] = found.link
            if found.link is not None:
                if len(self._permalinks) >= PERMALINK_CACHE:
                    self._permalinks.clear()  # a long-running process must not grow unbounded
                self._permalinks[key] = found.link
        return outbox_links.fill(prepared.payload, prepared.spots, links), None

    def _permalink(self, channel: str, ts: str) -> _Permalink:
        """The message's permalink; no link when Slack refuses for good; an error for later."""
        try:
            response = self._client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as exc:
            verdict = _verdict(exc)
            if verdict.failed is not None:
                log.warning("outbox.no_permalink channel=%s error=%s", channel, verdict.failed)
                return _Permalink(link=None)
            return _Permalink(error=f"permalink unavailable: {verdict.error}")
        except (URLError, OSError, HTTPException) as exc:
            return _Permalink(error=f"permalink unavailable: {type(exc).__name__}")
        link = response.get("permalink")
        return _Permalink(link=link if isinstance(link, str) and link else None)

    def _send(self, message: OutboxMessage, payload: dict[str, Any]) -> Attempt:
        """Make the message's call; a post that may already be in Slack is looked for first."""
        if message.method != "chat.postMessage":
            return self._call(message.method, payload)
        stamp = _stamp(message)
        if message.maybe_sent:
            found = self._find_posted(payload, stamp)
            if found is not None:
                log.info("outbox.found_posted id=%s", message.id)
                return found
        return self._call(message.method, {**payload, "metadata": stamp})

    def _find_posted(self, payload: dict[str, Any], stamp: dict[str, Any]) -> Attempt | None:
        """The earlier attempt's post, found in Slack by its metadata; None to post again.

        Asked after an attempt whose outcome is unknown. When Slack cannot say now (down,
        rate-limited) the message waits; when it cannot say at all (a scope the workspace did
        not grant), the message is posted again: at most one duplicate per unknown outcome.
        """
        channel = str(payload["channel"])
        thread_ts = payload.get("thread_ts")
        try:
            if channel.startswith(("U", "W")):  # a DM is addressed to the member
                opened = self._client.conversations_open(users=channel)
                channel = str((opened.get("channel") or {}).get("id") or channel)
            if thread_ts:
                response = self._client.conversations_replies(
                    channel=channel, ts=str(thread_ts), include_all_metadata=True, limit=200
                )
            else:
                response = self._client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=100
                )
        except SlackApiError as exc:
            verdict = _verdict(exc)
            if verdict.failed is not None:
                log.info("outbox.lookup_refused error=%s", verdict.failed)
                return None
            return Attempt(error=f"looking for an earlier post: {verdict.error}", uncertain=True)
        except (URLError, OSError, HTTPException) as exc:
            error = f"looking for an earlier post: {type(exc).__name__}"
            return Attempt(error=error, uncertain=True)
        for posted in response.get("messages") or ():
            if isinstance(posted, dict) and posted.get("metadata") == stamp:
                ts = posted.get("ts")
                return Attempt(ts=ts if isinstance(ts, str) else None)
        return None

    def _call(self, method: str, payload: dict[str, Any]) -> Attempt:
        try:
            response = self._client.api_call(method, json=payload)
        except SlackApiError as exc:
            return _verdict(exc)
        except (URLError, OSError, HTTPException) as exc:  # refused, reset, timed out, cut short
            return Attempt(error=f"connection: {type(exc).__name__}", uncertain=_uncertain(exc))
        ts = response.get("ts")
        return Attempt(ts=ts if isinstance(ts, str) else None)


def _refers_to(message: OutboxMessage) -> set[str]:
    """The keys of the messages this one needs sent first: its thread, its original, its links."""
    spots = [LinkSpot.from_json(spot) for spot in message.links or ()]
    keys = set(outbox_links.spot_keys(spots))
    return keys | {key for key in (message.thread_of, message.update_of) if key}


@dataclass(frozen=True)
class _Prepared:
    """A message made ready to send, or why it must wait, and the links still to look up."""

    payload: dict[str, Any]
    wait: Attempt | None = None
    spots: list[LinkSpot] = field(default_factory=list)
    links: dict[str, str | None] = field(default_factory=dict)
    lookups: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Permalink:
    link: str | None = None
    error: str | None = None


def _stamp(message: OutboxMessage) -> dict[str, Any]:
    """The `metadata` a post carries, by which a retry recognises it in the channel.

    The row's id with its creation time, so a post from another database (a reset, a
    restored backup reusing ids) is never taken for this one.
    """
    created = message.created_at.isoformat() if message.created_at else ""
    return {
        "event_type": METADATA_EVENT,
        "event_payload": {"outbox_id": message.id, "created": created},
    }


def _verdict(exc: SlackApiError) -> Attempt:
    """What an error answer means: try again later (`error`) or never (`failed`)."""
    status = exc.response.status_code
    error = str(exc.response.get("error") or f"http_{status}")
    if status == 429:
        return Attempt(error="ratelimited", retry_after=_retry_after(exc.response.headers))
    if status >= 500 or status in (401, 403, 407) or error in TRANSIENT_ERRORS:
        return Attempt(error=error[:200])
    if not isinstance(exc.response.data, dict) or " " in error:
        # Not Slack's JSON (a proxy's HTML page, a truncated body): not Slack's verdict.
        return Attempt(error=f"unexpected response (HTTP {status})")
    return Attempt(failed=error[:200])


def _uncertain(exc: BaseException) -> bool:
    """Whether Slack may have carried out a call that ended in `exc` (only a refusal is sure)."""
    reason = exc.reason if isinstance(exc, URLError) else exc
    return not isinstance(reason, ConnectionRefusedError | socket.gaierror)


def _retry_after(headers: Any) -> timedelta:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return timedelta(seconds=max(1, int(str(raw).strip())))
            except ValueError:
                break
    return timedelta(seconds=30)


class OutboxWorker:
    """A background thread that delivers the outbox, woken early after each commit."""

    def __init__(
        self, delivery: OutboxDelivery, idle_seconds: float = 1.0, gap_seconds: float = PASS_GAP
    ) -> None:
        self._delivery = delivery
        self._idle = idle_seconds
        self._gap = gap_seconds
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
        if not self._thread.is_alive():
            self._delivery.close()

    def _run(self) -> None:
        started, full = float("-inf"), False
        while not self._stop.is_set():
            tried = 0
            # Commits come faster than passes need to: gather them, so a busy minute's
            # listeners are not slowed by a claim query per commit.
            gap = 0.0 if full else started + self._gap - time.monotonic()
            if self._stop.wait(max(0.0, gap)):
                break
            started = time.monotonic()
            try:
                tried = self._delivery.deliver_due(stop=self._stop).tried
            except SQLAlchemyError:
                log.warning("outbox.database_unavailable")
            except Exception:  # keep delivering whatever one message did
                log.exception("outbox.pass_failed")
            full = tried >= self._delivery.batch
            if tried == 0:
                self._wake.wait(self._idle)
                self._wake.clear()
