"""The data generator: seeded, deterministic, and quick to fill a database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bench import generate
from storage.db import make_engine
from storage.models import OutboxMessage, OutboxStatus, Practice, PracticeStatus


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
