"""Seeded, deterministic data sets, written in bulk rather than through Slack.

`python -m bench.generate --database-url URL --submissions 1000000` fills a migrated database
with the digest benchmark's history: practices, TA requests and events (`SHARES`), the last
`--recent` of them in the week before `DEFAULT_NOW`, and the public posts the bot made for
them. `--practices N --approved-only --search` builds the search benchmark's archive instead.
The same seed always gives the same rows (see `bench.rows`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, select, true
from sqlalchemy.orm import Session

from bench.bulk import insert_rows
from bench.rows import (
    DEFAULT_NOW,
    DEFAULT_SEED,
    STATUS_WEIGHTS,
    event_rows,
    practice_rows,
    ta_request_rows,
)
from handlers.practices.kind import PRACTICES
from handlers.review.schemas import SubmissionRef
from handlers.review.service import published_key
from handlers.ta.service import post_key as ta_post_key
from storage.db import make_engine
from storage.models import (
    Event,
    EventStatus,
    OutboxMessage,
    OutboxStatus,
    Practice,
    PracticeStatus,
    SearchDocument,
    TaRequest,
)

# Of every 100 submissions: what a network of community schools sends in, roughly.
SHARES = {"practices": 70, "ta_requests": 20, "events": 10}
PRACTICES_CHANNEL = "CPRACTICES"
TA_CHANNEL = "CTAREQUESTS"
EVENTS_CHANNEL = "CEVENTS"
PAGE = 10_000


def split(total: int) -> dict[str, int]:
    """`total` submissions shared out by `SHARES`; rounding goes to practices."""
    counts = {kind: total * share // 100 for kind, share in SHARES.items()}
    counts["practices"] += total - sum(counts.values())
    return counts


def practices(
    engine: Engine,
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    now: datetime = DEFAULT_NOW,
    recent: int = 0,
    status_weights: Mapping[PracticeStatus, int] = STATUS_WEIGHTS,
) -> int:
    """Store `count` generated practices (see `bench.rows.practice_rows`); returns how many."""
    rows = practice_rows(count, seed=seed, now=now, recent=recent, status_weights=status_weights)
    return insert_rows(engine, _table(Practice), rows)


def submissions(
    engine: Engine,
    total: int,
    *,
    recent: int = 1000,
    seed: int = DEFAULT_SEED,
    now: datetime = DEFAULT_NOW,
) -> dict[str, int]:
    """Store `total` submissions of every kind, `recent` of them in the week before `now`.

    Both numbers are shared out by `SHARES`. Every published item also gets its public post
    (`published_posts`), so the digest can link to it. Returns how many rows of each kind.
    """
    stored = {}
    for (kind, count), week in zip(split(total).items(), split(recent).values(), strict=True):
        generator, model = GENERATORS[kind]
        stored[kind] = insert_rows(
            engine, _table(model), generator(count, seed=seed, now=now, recent=week)
        )
    stored["posts"] = published_posts(engine)
    return stored


def published_posts(engine: Engine) -> int:
    """Store, as delivered, the post the bot made for each published item; returns how many.

    Approved practices and events (cancelled ones too: their post was made) have their post in
    the public channel, and every TA request its post in the TA channel, under the outbox keys
    the features use, so `linked_posts` and search find them as they would in production.
    """
    practice = Practice.status == PracticeStatus.APPROVED
    event = Event.status.in_([EventStatus.APPROVED, EventStatus.CANCELLED])
    sources: list[tuple[Any, Any, Any, Callable[[int], str], str]] = [
        (Practice, Practice.decided_at, practice, _practice_key, PRACTICES_CHANNEL),
        (TaRequest, TaRequest.created_at, true(), ta_post_key, TA_CHANNEL),
        (Event, Event.decided_at, event, _event_key, EVENTS_CHANNEL),
    ]
    total = 0
    for model, when, where, key, channel in sources:
        for page in _pages(engine, select(model.id, when).where(where), model.id):
            total += insert_rows(
                engine, _table(OutboxMessage), (_post(key(i), channel, i, at) for i, at in page)
            )
    return total


def search_documents(engine: Engine) -> int:
    """Index every approved practice for search, as approval does; returns how many.

    Each document is built by the practices feature's own `search_document`, so the benchmark
    searches exactly what members would. On SQLite the triggers fill `search_fts` as rows go
    in; on PostgreSQL the generated `tsvector` column and its GIN index are filled by COPY.
    """
    columns = [c.key for c in _table(SearchDocument).columns if c.key != "id"]
    approved = select(Practice).where(Practice.status == PracticeStatus.APPROVED)
    total = 0
    with Session(engine) as session:
        last = 0
        while page := session.scalars(
            approved.where(Practice.id > last).order_by(Practice.id).limit(PAGE)
        ).all():
            documents = [
                PRACTICES.search_document(p, post_key=_practice_key(p.id), at=p.decided_at)
                for p in page
                if p.decided_at is not None
            ]
            rows = [{c: getattr(d, c) for c in columns} for d in documents]
            last = page[-1].id
            session.rollback()  # end the read before writing: SQLite has one writer at a time
            session.expunge_all()
            total += insert_rows(engine, _table(SearchDocument), rows)
    return total


def outbox_messages(
    engine: Engine,
    count: int,
    *,
    channels: int,
    now: datetime,
    prefix: str = "CBENCH",
    delivered: bool = False,
) -> list[str]:
    """Queue `count` posts due at `now`, dealt round-robin over `channels` channels.

    With `delivered`, they are stored as already sent at `now` instead: the history that
    accumulates behind the queue. Returns the channel IDs, in the order they were dealt.
    """
    names = [f"{prefix}{c:04d}" for c in range(channels)]
    rows = (
        {
            "method": "chat.postMessage",
            "channel": names[i % channels],
            "payload": {"text": f"Benchmark message {i}"},
            "status": OutboxStatus.SENT if delivered else OutboxStatus.PENDING,
            "attempts": 1 if delivered else 0,
            "next_attempt_at": now,
            "created_at": now,
            "sent_at": now if delivered else None,
            "ts": f"1600000000.{i:06d}" if delivered else None,
        }
        for i in range(count)
    )
    insert_rows(engine, _table(OutboxMessage), rows)
    return names


GENERATORS: dict[str, tuple[Callable[..., Iterator[dict[str, Any]]], Any]] = {
    "practices": (practice_rows, Practice),
    "ta_requests": (ta_request_rows, TaRequest),
    "events": (event_rows, Event),
}


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _practice_key(practice_id: int) -> str:
    return published_key(SubmissionRef("practice", practice_id))


def _event_key(event_id: int) -> str:
    return published_key(SubmissionRef("event", event_id))


def _post(key: str, channel: str, item_id: int, at: datetime) -> dict[str, Any]:
    return {
        "key": key,
        "method": "chat.postMessage",
        "channel": channel,
        "payload": {"text": "A published post"},
        "status": OutboxStatus.SENT,
        "attempts": 1,
        "next_attempt_at": at,
        "created_at": at,
        "sent_at": at,
        "ts": f"{int(at.timestamp())}.{item_id % 1_000_000:06d}",
    }


def _pages(engine: Engine, query: Any, order: Any) -> Iterator[list[tuple[int, datetime]]]:
    """`(id, time)` rows of `query` a page at a time, each read finished before it is used."""
    last = 0
    while True:
        with engine.connect() as connection:
            page = [
                (row[0], row[1])
                for row in connection.execute(query.where(order > last).order_by(order).limit(PAGE))
            ]
        if not page:
            return
        yield page
        last = page[-1][0]


def main() -> None:
    """Fill a migrated database with generated submissions, or an archive for search."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True, help="a database at the latest schema")
    amount = parser.add_mutually_exclusive_group(required=True)
    amount.add_argument("--submissions", type=int, help="practices, TA requests and events")
    amount.add_argument("--practices", type=int, help="practices only")
    parser.add_argument("--recent", type=int, default=1000, help="how many in the last week")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--approved-only", action="store_true", help="no other review states")
    parser.add_argument("--search", action="store_true", help="index approved practices")
    args = parser.parse_args()
    from bench.databases import driver_url

    engine = make_engine(driver_url(args.database_url))
    try:
        if args.submissions is not None:
            stored = submissions(engine, args.submissions, recent=args.recent, seed=args.seed)
        else:
            weights = {PracticeStatus.APPROVED: 1} if args.approved_only else STATUS_WEIGHTS
            count = practices(
                engine, args.practices, seed=args.seed, recent=args.recent, status_weights=weights
            )
            stored = {"practices": count}
        if args.search:
            stored["search_documents"] = search_documents(engine)
    finally:
        engine.dispose()
    print(", ".join(f"{count} {kind}" for kind, count in stored.items()) + f" (seed {args.seed})")


if __name__ == "__main__":
    main()
