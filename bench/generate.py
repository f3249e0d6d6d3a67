"""Seeded, deterministic data sets, written with bulk inserts rather than through Slack.

`python -m bench.generate --database-url URL --practices 100000` fills a migrated database
with practices for the digest and search benchmarks: the same seed always gives the same rows,
spread over the past years, with `--recent` of them submitted in the week before `--now`.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert

from handlers.vocabulary import FUNDING_STREAMS, PILLARS, REGION_OF_COUNTY
from storage.db import make_engine
from storage.models import OutboxMessage, OutboxStatus, Practice, PracticeStatus

BATCH = 5_000
DEFAULT_SEED = 8
DEFAULT_NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
COORDINATORS = ("UCOORD001", "UCOORD002")

# Status mix of a network's history: most practices were approved long ago.
STATUS_WEIGHTS = {
    PracticeStatus.APPROVED: 80,
    PracticeStatus.REJECTED: 8,
    PracticeStatus.PENDING: 7,
    PracticeStatus.CHANGES_REQUESTED: 5,
}
ACTIVITIES = (
    "family resource nights", "attendance mentoring", "restorative circles", "food pantry",
    "after-school tutoring", "mental health drop-in", "parent leadership academy",
    "home visits", "summer bridge", "college and career nights", "school-based clinic",
    "peer mediation", "coordination of services team", "community walk", "newcomer welcome",
    "dental screening day", "literacy for families", "youth advisory council",
)  # fmt: skip
QUALITIES = (
    "bilingual", "weekly", "student-led", "trauma-informed", "county-wide", "evening",
    "neighbourhood", "data-driven", "low-cost", "year-round", "partner-run", "family-centred",
)  # fmt: skip
WORDS = (
    "families", "students", "partners", "teachers", "coordinator", "attendance", "wellness",
    "clinic", "county", "district", "community", "meals", "referrals", "counselors", "survey",
    "volunteers", "library", "transport", "grant", "outcomes", "language", "enrollment",
    "mentors", "leadership", "council", "trust", "schedule", "budget", "evenings", "support",
)  # fmt: skip
ORGANISATION_KINDS = ("High School", "Elementary", "Middle School", "Unified", "Academy")
PLACES = (
    "Roosevelt", "Lincoln", "Washington", "Cesar Chavez", "Jefferson", "Oak Grove", "Riverside",
    "Valley View", "Mission", "Sierra Vista", "Bayview", "Hillcrest", "Pacific", "Del Mar",
)  # fmt: skip


def _summary(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        words = rng.sample(WORDS, rng.randint(6, 12))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def practice_rows(
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    now: datetime = DEFAULT_NOW,
    recent: int = 0,
    status_weights: Mapping[PracticeStatus, int] = STATUS_WEIGHTS,
) -> Iterator[dict[str, Any]]:
    """`count` practices as column values; the first `recent` were submitted in the last week.

    The rest are spread uniformly over the five years before that week, so a query for "this
    week" must find a few rows among many. `status_weights` sets the mix of review states
    (`{PracticeStatus.APPROVED: 1}` for an archive of approved practices only).
    """
    rng = random.Random(seed)
    counties = sorted(REGION_OF_COUNTY)
    statuses = list(status_weights)
    weights = list(status_weights.values())
    week = timedelta(days=7)
    history = timedelta(days=5 * 365)
    for i in range(count):
        back = rng.random() * week if i < recent else week + rng.random() * history
        submitted = now - back
        status = rng.choices(statuses, weights)[0]
        decided = status is not PracticeStatus.PENDING
        county = rng.choice(counties)
        yield {
            "status": status,
            "submitter_id": f"UMEMBER{rng.randrange(5000):04d}",
            "title": f"{rng.choice(QUALITIES).capitalize()} {rng.choice(ACTIVITIES)}",
            "summary": _summary(rng),
            "pillars": rng.sample(sorted(PILLARS), rng.randint(1, 2)),
            "county": county,
            "region": REGION_OF_COUNTY[county],
            "organisation": f"{rng.choice(PLACES)} {rng.choice(ORGANISATION_KINDS)}",
            "funding_streams": rng.sample(sorted(FUNDING_STREAMS), rng.randint(0, 3)),
            "link": f"https://example.org/practices/{i}" if rng.random() < 0.6 else None,
            "credit_submitter": rng.random() < 0.7,
            "revision": 1,
            "created_at": submitted,
            "submitted_at": submitted,
            "decided_at": submitted + timedelta(hours=rng.randint(1, 96)) if decided else None,
            "decided_by": rng.choice(COORDINATORS) if decided else None,
            "decision_reason": None,
        }


def _insert(engine: Engine, table: Any, rows: Iterator[dict[str, Any]]) -> int:
    """Insert in batches of `BATCH` (multi-row INSERTs), committing each batch."""
    total = 0
    batch: list[dict[str, Any]] = []
    with engine.connect() as connection:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                connection.execute(insert(table), batch)
                connection.commit()
                total, batch = total + len(batch), []
        if batch:
            connection.execute(insert(table), batch)
            connection.commit()
            total += len(batch)
    return total


def practices(
    engine: Engine,
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    now: datetime = DEFAULT_NOW,
    recent: int = 0,
    status_weights: Mapping[PracticeStatus, int] = STATUS_WEIGHTS,
) -> int:
    """Store `count` generated practices (see `practice_rows`); returns how many."""
    rows = practice_rows(count, seed=seed, now=now, recent=recent, status_weights=status_weights)
    return _insert(engine, Practice.__table__, rows)


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
    _insert(engine, OutboxMessage.__table__, rows)
    return names


def main() -> None:
    """Fill a migrated database with generated practices."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True, help="a database at the latest schema")
    parser.add_argument("--practices", type=int, required=True, help="how many practices")
    parser.add_argument("--recent", type=int, default=1000, help="how many in the last week")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--approved-only", action="store_true", help="no other review states")
    args = parser.parse_args()
    from bench.databases import driver_url

    engine = make_engine(driver_url(args.database_url))
    try:
        weights = {PracticeStatus.APPROVED: 1} if args.approved_only else STATUS_WEIGHTS
        stored = practices(
            engine, args.practices, seed=args.seed, recent=args.recent, status_weights=weights
        )
    finally:
        engine.dispose()
    print(f"stored {stored} practices (seed {args.seed})")


if __name__ == "__main__":
    main()
