"""The data generator: seeded, deterministic, and quick to fill a database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bench import generate
from bench import rows as rows_module
from handlers.review.schemas import SubmissionRef
from handlers.review.service import published_key
from handlers.ta.service import post_key as ta_post_key
from storage.db import make_engine, make_session_factory
from storage.models import (
    Event,
    OutboxMessage,
    OutboxStatus,
    Practice,
    PracticeStatus,
    TaRequest,
    TaStatus,
)
from storage.uow import UnitOfWork


def test_the_same_seed_gives_the_same_practices() -> None:
    """Two runs with one seed produce identical rows; another seed produces different ones."""
    first = list(generate.practice_rows(50, seed=3, recent=5))
    again = list(generate.practice_rows(50, seed=3, recent=5))
    other = list(generate.practice_rows(50, seed=4, recent=5))

    assert first == again
    assert first != other


def test_practices_are_stored_with_the_recent_ones_in_the_last_week(schema: str) -> None:
    """Bulk inserts store every row, and exactly `recent` fall in the week before `now`."""
    engine = make_engine(schema)
    try:
        stored = generate.practices(engine, 120, recent=12)
        week_ago = generate.DEFAULT_NOW - timedelta(days=7)
        with engine.connect() as connection:
            total = connection.scalar(select(func.count()).select_from(Practice))
            recent = connection.scalar(
                select(func.count()).where(Practice.submitted_at >= week_ago)
            )
    finally:
        engine.dispose()

    assert (stored, total, recent) == (120, 120, 12)


def test_an_archive_of_approved_practices_only() -> None:
    """Status weights let the search benchmark ask for approved practices alone."""
    rows = generate.practice_rows(40, status_weights={PracticeStatus.APPROVED: 1})

    assert {row["status"] for row in rows} == {PracticeStatus.APPROVED}


def test_outbox_messages_are_dealt_over_the_channels(schema: str) -> None:
    """Queued messages are spread round-robin over the named channels."""
    engine = make_engine(schema)
    try:
        channels = generate.outbox_messages(
            engine, 10, channels=3, now=generate.DEFAULT_NOW, prefix="CTEST"
        )
        with engine.connect() as connection:
            per_channel = dict(
                connection.execute(
                    select(OutboxMessage.channel, func.count()).group_by(OutboxMessage.channel)
                ).all()
            )
    finally:
        engine.dispose()

    assert channels == ["CTEST0000", "CTEST0001", "CTEST0002"]
    assert per_channel == {"CTEST0000": 4, "CTEST0001": 3, "CTEST0002": 3}


def test_delivered_history_is_stored_as_sent(schema: str) -> None:
    """History rows are `sent` with a `ts`, so they sit behind the queue, not in it."""
    engine = make_engine(schema)
    try:
        generate.outbox_messages(engine, 5, channels=2, now=generate.DEFAULT_NOW, delivered=True)
        with engine.connect() as connection:
            rows = connection.execute(select(OutboxMessage.status, OutboxMessage.ts)).all()
    finally:
        engine.dispose()

    assert {status for status, _ts in rows} == {OutboxStatus.SENT}
    assert all(ts for _status, ts in rows)


def test_the_week_is_the_same_whatever_the_history() -> None:
    """A bigger history only adds older rows: the week's rows are identical."""
    for rows in (generate.practice_rows, rows_module.ta_request_rows, rows_module.event_rows):
        small = list(rows(30, recent=10))
        large = list(rows(300, recent=10))

        assert small[-10:] == large[-10:]
        assert small[:20] == large[:20]


def test_history_ends_before_the_week_and_the_week_before_now() -> None:
    """Nothing older than the week was decided, resolved or held in it; nothing is in the future."""
    now = generate.DEFAULT_NOW
    week_ago = now - timedelta(days=7)
    practices = list(generate.practice_rows(400, recent=100))
    requests = list(rows_module.ta_request_rows(400, recent=100))
    events = list(rows_module.event_rows(400, recent=100))

    for old in practices[:300]:
        assert old["decided_at"] is None or old["decided_at"] < week_ago
    assert all(week_ago < p["submitted_at"] <= now for p in practices[300:])
    assert all(p["decided_at"] is None or p["decided_at"] <= now for p in practices[300:])
    assert {r["status"] for r in requests[:300]} <= {TaStatus.RESOLVED, TaStatus.CANCELLED}
    assert all((r["resolved_at"] or r["cancelled_at"]) < week_ago for r in requests[:300])
    assert TaStatus.OPEN in {r["status"] for r in requests[300:]}
    assert all(e["ends_at"] < week_ago for e in events[:300])
    assert all(e["starts_at"] > now for e in events[300:])


def test_submissions_are_shared_out_and_published_items_have_their_posts(schema: str) -> None:
    """Each kind gets its share; every approved practice has its post under the feature's key."""
    engine = make_engine(schema)
    try:
        stored = generate.submissions(engine, 200, recent=50)
        with engine.connect() as connection:
            approved = connection.scalars(
                select(Practice.id).where(Practice.status == PracticeStatus.APPROVED)
            ).all()
            posts = connection.execute(select(OutboxMessage.key, OutboxMessage.status)).all()
            requests = connection.scalars(select(TaRequest.id)).all()
            counts = [
                connection.scalar(select(func.count()).select_from(model))
                for model in (Practice, TaRequest, Event)
            ]
    finally:
        engine.dispose()

    assert counts == [140, 40, 20]
    assert stored["practices"] == 140
    keys = {key for key, _status in posts}
    assert {published_key(SubmissionRef("practice", i)) for i in approved} <= keys
    assert {ta_post_key(i) for i in requests} <= keys
    assert {status for _key, status in posts} == {OutboxStatus.SENT}


def test_search_documents_are_found_by_the_search_repository(schema: str) -> None:
    """Every approved practice is indexed and found by a word from its title, on both databases."""
    engine = make_engine(schema)
    try:
        generate.practices(engine, 60, status_weights={PracticeStatus.APPROVED: 1})
        generate.published_posts(engine)
        indexed = generate.search_documents(engine)
        with engine.connect() as connection:
            title = connection.scalar(select(Practice.title).order_by(Practice.id).limit(1))
        assert title is not None
        with UnitOfWork(make_session_factory(engine)) as uow:
            hits = uow.search.search(title, limit=60)
    finally:
        engine.dispose()

    assert indexed == 60
    assert hits[0].document.title == title
    assert all(hit.channel == generate.PRACTICES_CHANNEL and hit.ts for hit in hits)
