"""A pass's outcomes recorded together keep each message's lease and each channel's order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.models import OutboxMessage, OutboxStatus
from storage.repositories.outbox import Delivered, NewMessage
from storage.uow import UnitOfWork

AT = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def _queue(uows: Callable[[], UnitOfWork], *channels: str) -> None:
    with uows() as uow:
        messages = [
            NewMessage("chat.postMessage", channel, {"text": f"{channel} {i}"})
            for i, channel in enumerate(channels)
        ]
        uow.outbox.enqueue_all(messages, AT)
        uow.commit()


def _rows(uows: Callable[[], UnitOfWork]) -> list[tuple[str, str, str | None, int, datetime]]:
    with uows() as uow:
        return [
            (m.channel, str(m.status), m.ts, m.attempts, m.next_attempt_at)
            for m in uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def test_deliveries_are_recorded_only_where_the_pass_still_holds_the_lease(
    uows: Callable[[], UnitOfWork],
) -> None:
    """A message another worker took meanwhile keeps its lease; the pass is told which it lost."""
    _queue(uows, "CONE", "CTWO")
    with uows() as uow:
        first, second = uow.outbox.claim_due(AT, LEASE, 10, "pass-a")
        uow.commit()
    later = AT + 2 * LEASE  # both leases ran out, and another pass took the first message
    with uows() as uow:
        taken = [m.id for m in uow.outbox.claim_due(later, LEASE, 1, "pass-b")]
        uow.commit()
    assert taken == [first.id]  # the oldest due head goes first

    with uows() as uow:
        lost = uow.outbox.mark_all_sent(
            [Delivered(first.id, "111.1", AT), Delivered(second.id, "222.2", AT)], "pass-a"
        )
        uow.commit()

    assert lost == [first.id]
    rows = _rows(uows)
    assert [(channel, status, ts, attempts) for channel, status, ts, attempts, _ in rows] == [
        ("CONE", "pending", None, 0),
        ("CTWO", "sent", "222.2", 1),
    ]


def test_pacing_holds_each_channels_next_message_and_never_brings_one_forward(
    uows: Callable[[], UnitOfWork],
) -> None:
    """Only the new head of each paced channel waits; a head already due later keeps its time."""
    _queue(uows, "CONE", "CONE", "CONE", "CTWO", "CTWO")
    with uows() as uow:
        ids = [m.id for m in uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
        held = uow.session.get(OutboxMessage, ids[4])
        assert held is not None
        held.next_attempt_at = AT + timedelta(hours=1)
        heads = uow.outbox.claim_due(AT, LEASE, 10, "pass")
        uow.outbox.mark_all_sent([Delivered(m.id, f"{m.id}.0", AT) for m in heads], "pass")
        uow.outbox.pace_channels({"CONE": AT + timedelta(seconds=1), "CTWO": AT})
        uow.commit()

    rows = _rows(uows)
    assert [(channel, status) for channel, status, *_ in rows] == [
        ("CONE", "sent"),
        ("CONE", "pending"),
        ("CONE", "pending"),
        ("CTWO", "sent"),
        ("CTWO", "pending"),
    ]
    due = [at for *_, at in rows]
    assert due[1] == AT + timedelta(seconds=1)  # CONE's next message waits a second
    assert due[2] == AT  # the one behind it is held by its head, not rewritten
    assert due[4] == AT + timedelta(hours=1)  # CTWO's head was due later already


def test_a_message_sent_is_no_longer_counted_as_pending(uows: Callable[[], UnitOfWork]) -> None:
    """The pending count and the claim read the same rows the partial indexes hold."""
    _queue(uows, "CONE", "CTWO")
    with uows() as uow:
        [first, _] = uow.outbox.claim_due(AT, LEASE, 10, "pass")
        uow.outbox.mark_all_sent([Delivered(first.id, "1.0", AT)], "pass")
        uow.commit()
    with uows() as uow:
        assert uow.outbox.count_pending() == 1
        assert [str(m.status) for m in uow.outbox.list(OutboxStatus.PENDING)] == ["pending"]
