"""The outbox table: enqueue with the state change, claim for delivery, record the outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    Table,
    Update,
    all_,
    and_,
    bindparam,
    delete,
    func,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased

from storage.models import OutboxMessage, OutboxStatus
from storage.outbox_links import Links, LinkSpot
from storage.repositories.inserts import insert_rows

_TABLE = cast(Table, OutboxMessage.__table__)


def _pending(status: Any) -> ColumnElement[bool]:
    """`status = 'pending'`, written out: the only form the pending rows' indexes answer.

    Both indexes are partial (`WHERE status = 'pending'`). Compared with a parameter instead,
    a prepared statement's generic plan cannot prove that predicate, and PostgreSQL planned
    every execution again (0.4 ms) or scanned the table: pacing a channel took 1.0 ms on
    average with 4,000 rows, and 3.9 ms when the generic plan was used, growing with every
    message ever sent. SQLite likewise uses a partial index only for a query that says so.
    """
    return cast(ColumnElement[bool], status == literal_column(f"'{OutboxStatus.PENDING.value}'"))


# Pending messages read at a time while looking for channel heads (`_due_heads`): built once,
# so a claim pays neither for building them nor for their cache keys.
_HEAD_READ = 200
_SEEN_PARAMS = 500  # well under SQLite's limit on a statement's parameters
# A message no lease holds, and one that is also due: the claim's tests, for the walk (one
# boolean per row instead of two timestamps to convert in Python, 400 a page) and the lock.
_FREE = or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < bindparam("now"))
_READY = and_(OutboxMessage.next_attempt_at <= bindparam("now"), _FREE)
_WALK = (
    select(_TABLE.c.id, _TABLE.c.channel, _READY.label("ready"))
    .where(_pending(_TABLE.c.status), _TABLE.c.id > bindparam("after"))
    .order_by(_TABLE.c.id)
    .limit(_HEAD_READ)
)
_WALK_PG = _WALK.where(_TABLE.c.channel != all_(bindparam("seen", type_=ARRAY(String))))
_WALK_SQLITE = _WALK.where(_TABLE.c.channel.not_in(bindparam("seen", expanding=True)))
# The heads found, locked and checked again in one statement: still pending, due, free and
# their channel's first (each a probe of the (channel, id) index, for these few rows only).
_earlier = aliased(OutboxMessage)
_LOCK_HEADS = (
    select(OutboxMessage.id)
    .where(
        OutboxMessage.id.in_(bindparam("found", expanding=True)),
        _pending(OutboxMessage.status),
        _READY,
        OutboxMessage.id
        == select(_earlier.id)
        .where(_earlier.channel == OutboxMessage.channel, _pending(_earlier.status))
        .order_by(_earlier.id)
        .limit(1)
        .correlate(OutboxMessage)
        .scalar_subquery(),
    )
    .order_by(OutboxMessage.id)
    .with_for_update(skip_locked=True)
)
# The updates of every delivery, built once (see `_WALK`).
_RENEW = (
    update(_TABLE)
    .where(
        _TABLE.c.id == bindparam("message_id"),
        _TABLE.c.lease_token == bindparam("token"),
        _pending(_TABLE.c.status),
    )
    .values(locked_until=bindparam("until", type_=_TABLE.c.locked_until.type))
)
_PACE = (
    update(_TABLE)
    .where(
        _TABLE.c.id
        == select(func.min(_TABLE.c.id))
        .where(_TABLE.c.channel == bindparam("paced"), _pending(_TABLE.c.status))
        .scalar_subquery(),
        _TABLE.c.next_attempt_at < bindparam("not_before", type_=_TABLE.c.next_attempt_at.type),
    )
    .values(next_attempt_at=bindparam("not_before"))
)
# PostgreSQL records a whole pass in two statements whatever its size: each array parameter
# is a column of the rows (`unnest`), so the statement is the same for 1 message or 16.
_SENT_ROWS = (
    func.unnest(
        bindparam("ids", type_=ARRAY(Integer)),
        bindparam("tss", type_=ARRAY(String)),
        bindparam("ats", type_=ARRAY(_TABLE.c.sent_at.type)),
    )
    .table_valued("id", "ts", "at")
    .render_derived(name="sent")
)
_MARK_ALL_SENT = (
    update(_TABLE)
    .where(_TABLE.c.id == _SENT_ROWS.c.id, _TABLE.c.lease_token == bindparam("token"))
    .values(
        status=OutboxStatus.SENT,
        ts=_SENT_ROWS.c.ts,
        sent_at=_SENT_ROWS.c.at,
        locked_until=None,
        last_error=None,
        maybe_sent=False,
        attempts=_TABLE.c.attempts + 1,
    )
    .returning(_TABLE.c.id)
)
_PACED = (
    func.unnest(
        bindparam("channels", type_=ARRAY(String)),
        bindparam("not_befores", type_=ARRAY(_TABLE.c.next_attempt_at.type)),
    )
    .table_valued("channel", "not_before")
    .render_derived(name="paced")
)
# Each paced channel's head, found by its own probe of the (channel, id) index.
_QUEUED = _TABLE.alias("queued")
_HEAD = (
    select(_QUEUED.c.id)
    .where(_QUEUED.c.channel == _PACED.c.channel, _pending(_QUEUED.c.status))
    .order_by(_QUEUED.c.id)
    .limit(1)
    .correlate(_PACED)
    .scalar_subquery()
)
_HEADS = select(_PACED.c.not_before, _HEAD.label("head")).subquery("heads")
_PACE_ALL = (
    update(_TABLE)
    .where(_TABLE.c.id == _HEADS.c.head, _TABLE.c.next_attempt_at < _HEADS.c.not_before)
    .values(next_attempt_at=_HEADS.c.not_before)
)
# A post whose lease ran out with no outcome recorded (`locked_until` still set: every
# outcome and every release clears it) may be in Slack already: its holder died or stalled
# after sending, so the next attempt looks for it first. Set here, by the claim, instead of by
# an UPDATE before every send.
_ABANDONED_POST = and_(
    OutboxMessage.locked_until.is_not(None), OutboxMessage.method == "chat.postMessage"
)
_LEASE = (
    update(OutboxMessage)
    .where(OutboxMessage.id.in_(bindparam("candidates", expanding=True)), _FREE)
    .values(
        locked_until=bindparam("until"),
        lease_token=bindparam("token"),
        maybe_sent=or_(OutboxMessage.maybe_sent, _ABANDONED_POST),
    )
    .returning(OutboxMessage)
    .execution_options(populate_existing=True)
)


@dataclass(frozen=True)
class Delivered:
    """A message Slack accepted: its id, the `ts` Slack gave it, and when."""

    message_id: int
    ts: str | None
    at: datetime


@dataclass(frozen=True)
class NewMessage:
    """A message to enqueue: the arguments of `OutboxRepository.enqueue` but its time."""

    method: str
    channel: str
    payload: dict[str, Any]
    key: str | None = None
    update_of: str | None = None
    thread_of: str | None = None
    links: Links | None = None


def _row(message: NewMessage, at: datetime) -> dict[str, Any]:
    """The columns of a new outbox row (every one `enqueue` has always set)."""
    payload, spots = message.payload, list[LinkSpot]()
    if message.links is not None:
        payload, spots = message.links.place(payload)
    return {
        "key": message.key,
        "method": message.method,
        "channel": message.channel,
        "payload": payload,
        "update_of": message.update_of,
        "thread_of": message.thread_of,
        "links": [spot.as_json() for spot in spots] or None,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": at,
        "created_at": at,
    }


class OutboxRepository:
    """Queue operations on `outbox_messages`."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def enqueue(
        self,
        *,
        method: str,
        channel: str,
        payload: dict[str, Any],
        at: datetime,
        key: str | None = None,
        update_of: str | None = None,
        thread_of: str | None = None,
        links: Links | None = None,
    ) -> OutboxMessage:
        """Stage a message; it is delivered only if the surrounding transaction commits.

        `links` is the `Links` the payload's links were made with: their places are recorded
        in the row, and the payload is stored without them. The row is written with the
        transaction's next flush (at the latest its commit), so the messages of one unit of
        work go to the database in one batched `INSERT`, in the order they were enqueued; its
        `id` is set from then on.
        """
        new = NewMessage(method, channel, payload, key, update_of, thread_of, links)
        message = OutboxMessage(**_row(new, at))
        self._session.add(message)
        return message

    def enqueue_all(self, messages: Sequence[NewMessage], at: datetime) -> None:
        """Write these messages now, in one `INSERT`, in this order, after anything staged.

        For a caller that needs none of the rows back (a submission's receipt and review
        post): the same rows as `enqueue`'s, without the ORM's flush, whose bookkeeping cost
        more CPU than the insert itself.
        """
        insert_rows(self._session, _TABLE, [_row(message, at) for message in messages])

    def claim_due(
        self, now: datetime, lease: timedelta, limit: int, token: str
    ) -> list[OutboxMessage]:
        """Lease up to `limit` due messages to `token`, each the oldest pending one of its channel.

        Only a channel's head is eligible, so messages reach each channel in order and a
        channel waiting on back-off holds its later messages back. On PostgreSQL the candidates
        are locked with `SKIP LOCKED`, so several workers never take the same row; the
        compare-and-set on `locked_until` gives the same guarantee on SQLite. A post taken back
        from a lease that ran out is marked `maybe_sent`: whoever held it may have sent it.
        """
        found = self._due_heads(now, limit)
        if not found:
            return []
        candidates = self._session.scalars(_LOCK_HEADS, {"found": found, "now": now}).all()
        if not candidates:
            return []
        claimed = self._session.scalars(
            _LEASE,
            {"candidates": candidates, "now": now, "until": now + lease, "token": token},
        ).all()
        return sorted(claimed, key=lambda message: message.id)

    def _due_heads(self, now: datetime, limit: int) -> list[int]:
        """Ids of up to `limit` channel heads that are due and free, oldest first.

        Pending messages are read in id order (the pending-id index), and the first seen of
        each channel is its head; each later read leaves out the channels already seen, so a
        channel's backlog is skipped by the database instead of read. Testing every due row
        for being its channel's first instead (a correlated probe per row) cost a claim one
        index probe per waiting message: 24 ms with 1,000 review posts queued behind Slack's
        pace, 63-90 ms with 5,000, and seconds when the statistics predated a fan-out, which no
        single-statement form we tried was safe from (`docs/benchmarks.md`).
        """
        found: list[int] = []
        seen: set[str] = set()
        after = 0
        # PostgreSQL takes the channels seen as one array: the same statement whatever the count.
        # SQLite takes one parameter each, so past `_SEEN_PARAMS` they are skipped here instead.
        postgresql = self._on_postgresql()
        unseen = _WALK_PG if postgresql else _WALK_SQLITE
        while len(found) < limit:
            leave_out = seen and (postgresql or len(seen) <= _SEEN_PARAMS)
            statement, params = (unseen, {"seen": sorted(seen)}) if leave_out else (_WALK, {})
            rows = self._session.execute(statement, {"after": after, "now": now, **params}).all()
            for message_id, channel, ready in rows:
                if channel in seen:
                    continue
                seen.add(channel)
                if ready:
                    found.append(message_id)
                    if len(found) == limit:
                        break
            if len(rows) < _HEAD_READ:
                break
            after = rows[-1][0]
        return found

    def renew(self, message_id: int, token: str, until: datetime) -> bool:
        """Extend the lease before sending; False if another worker has taken the message.

        A worker slowed down past its lease must not send a message someone else now holds.
        """
        result = self._connection().execute(
            _RENEW, {"message_id": message_id, "token": token, "until": until}
        )
        return bool(result.rowcount)

    def get(self, message_id: int) -> OutboxMessage | None:
        """One message by id."""
        return self._session.get(OutboxMessage, message_id)

    def by_key(self, key: str) -> OutboxMessage | None:
        """The message enqueued under `key`, if any."""
        return self._session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).first()

    def by_keys(self, keys: Sequence[str]) -> dict[str, OutboxMessage]:
        """The messages enqueued under any of `keys`, by key (missing keys are left out)."""
        found: dict[str, OutboxMessage] = {}
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), 500):  # stay well under any bind-parameter limit
            chunk = wanted[start : start + 500]
            query = select(OutboxMessage).where(OutboxMessage.key.in_(chunk))
            found.update({m.key: m for m in self._session.scalars(query) if m.key})
        return found

    def mark_sent(self, message_id: int, *, ts: str | None, at: datetime, token: str) -> bool:
        """Record a delivery and the message's `ts`, so later updates can find it."""
        return self._set(
            message_id,
            token,
            status=OutboxStatus.SENT,
            ts=ts,
            sent_at=at,
            locked_until=None,
            last_error=None,
            maybe_sent=False,
            count_attempt=True,
        )

    def mark_all_sent(self, delivered: Sequence[Delivered], token: str) -> list[int]:
        """Record these deliveries, as `mark_sent` each; the ids whose lease `token` had lost.

        On PostgreSQL one statement for them all: a pass's outcomes, recorded one UPDATE each,
        cost the worker and the database more than the claim that found them.
        """
        if not delivered:
            return []
        if not self._on_postgresql():
            return [
                d.message_id
                for d in delivered
                if not self.mark_sent(d.message_id, ts=d.ts, at=d.at, token=token)
            ]
        params = {
            "ids": [d.message_id for d in delivered],
            "tss": [d.ts for d in delivered],
            "ats": [d.at for d in delivered],
            "token": token,
        }
        marked = set(self._connection().execute(_MARK_ALL_SENT, params).scalars())
        return [d.message_id for d in delivered if d.message_id not in marked]

    def mark_retry(
        self,
        message_id: int,
        *,
        error: str,
        retry_at: datetime,
        token: str,
        maybe_sent: bool = False,
    ) -> bool:
        """Record a failed attempt that Slack may accept later.

        `maybe_sent` when the attempt's outcome is unknown (the answer timed out or was cut
        off): Slack may have posted the message, so the next attempt looks for it first.
        """
        return self._set(
            message_id,
            token,
            maybe_sent=maybe_sent,
            last_error=error,
            next_attempt_at=retry_at,
            locked_until=None,
            count_attempt=True,
        )

    def postpone(self, message_id: int, *, reason: str, retry_at: datetime, token: str) -> bool:
        """Wait without counting an attempt (e.g. for the message this one edits)."""
        return self._set(
            message_id, token, last_error=reason, next_attempt_at=retry_at, locked_until=None
        )

    def mark_failed(self, message_id: int, *, error: str, token: str) -> bool:
        """Give up on a message Slack refuses for good; it stays listed with its reason."""
        return self._set(
            message_id,
            token,
            status=OutboxStatus.FAILED,
            last_error=error,
            locked_until=None,
            maybe_sent=False,
            count_attempt=True,
        )

    def pace_channel(self, channel: str, not_before: datetime) -> None:
        """Hold the channel's next pending message until `not_before` (Slack's per-channel pace).

        Only a channel's oldest pending message can be claimed (`claim_due`), and each later
        one becomes the oldest only once the one before it has been sent, which paces it in
        turn: holding that one message is enough. Holding every queued message instead
        rewrote a channel's whole backlog with each post (5,000 review posts waiting made each
        post an UPDATE of 5,000 rows, which on SQLite held the write lock for the listeners).
        """
        self._connection().execute(_PACE, {"paced": channel, "not_before": not_before})

    def pace_channels(self, not_before: Mapping[str, datetime]) -> None:
        """`pace_channel` for each channel: on PostgreSQL one statement for them all."""
        if not not_before:
            return
        if not self._on_postgresql():
            for channel, at in not_before.items():
                self.pace_channel(channel, at)
            return
        params = {"channels": list(not_before), "not_befores": list(not_before.values())}
        self._connection().execute(_PACE_ALL, params)

    def release(self, message_ids: list[int], token: str) -> None:
        """Give back leases on messages this process will not try after all."""
        self._connection().execute(
            update(_TABLE)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.lease_token == token)
            .values(locked_until=None)
        )

    def retry_failed(self, now: datetime) -> int:
        """Put every failed message back in the queue; returns how many."""
        result = self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.FAILED)
            .values(status=OutboxStatus.PENDING, next_attempt_at=now, locked_until=None)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def discard_superseded_updates(self, update_of: str, now: datetime) -> int:
        """Drop queued edits of `update_of` that nobody is sending; returns how many.

        For a message that is always rewritten whole (an event post with its RSVP count), the
        newest edit carries everything, so older ones still waiting would only spend Slack's
        rate limit. An edit already leased to a sender is left alone; the newer one follows it.
        """
        result = self._session.execute(
            delete(OutboxMessage)
            .where(
                OutboxMessage.update_of == update_of,
                OutboxMessage.method == "chat.update",
                _pending(OutboxMessage.status),
                or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def list(self, status: OutboxStatus | None = None) -> Sequence[OutboxMessage]:
        """Messages, oldest first, optionally of one status."""
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if status is not None:
            query = query.where(OutboxMessage.status == status)
        return self._session.scalars(query).all()

    def count_pending(self) -> int:
        """How many messages are still owed to Slack."""
        query = select(func.count()).where(_pending(OutboxMessage.status))
        return int(self._session.scalar(query) or 0)

    def _on_postgresql(self) -> bool:
        """Whether this session's database is PostgreSQL, whose statements here differ."""
        return self._session.get_bind().dialect.name == "postgresql"

    def _connection(self) -> Connection:
        """The unit of work's connection, anything pending flushed first as the ORM would.

        The hot updates of delivery (a lease, an outcome, a channel's pace) go through Core on
        it: the ORM's bulk-update path cost more CPU than the statement.
        """
        self._session.flush()
        return self._session.connection()

    def _set(
        self, message_id: int, token: str, *, count_attempt: bool = False, **values: Any
    ) -> bool:
        """Record an outcome only while `token` still holds the message's lease."""
        statement = _outcome(tuple(sorted(values)), count_attempt)
        params = {f"new_{name}": value for name, value in values.items()}
        result = self._connection().execute(
            statement, {"message_id": message_id, "token": token, **params}
        )
        return bool(result.rowcount)


@cache
def _outcome(columns: tuple[str, ...], count_attempt: bool) -> Update:
    """The lease-guarded UPDATE setting `columns` (and counting an attempt), built once each."""
    values: dict[str, Any] = {
        name: bindparam(f"new_{name}", type_=_TABLE.c[name].type) for name in columns
    }
    if count_attempt:
        values["attempts"] = _TABLE.c.attempts + 1
    return (
        update(_TABLE)
        .where(_TABLE.c.id == bindparam("message_id"), _TABLE.c.lease_token == bindparam("token"))
        .values(**values)
    )
