"""`ccsn-bot outbox`: see what is owed to Slack, why something failed, and send it again."""

from __future__ import annotations

from datetime import datetime

from core.clock import Clock
from storage.db import make_engine, make_session_factory
from storage.models import OutboxStatus
from storage.uow import UnitOfWork


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at else "-"


def outbox_report(database_url: str, status: OutboxStatus | None) -> str:
    """A table of outbox messages (all, or of one status), oldest first."""
    engine = make_engine(database_url)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            messages = uow.outbox.list(status)
            rows = [
                (
                    str(m.id),
                    m.status.value,
                    m.method,
                    m.channel,
                    str(m.attempts),
                    _when(m.created_at),
                    _when(m.next_attempt_at if m.status is OutboxStatus.PENDING else m.sent_at),
                    (m.last_error or "")[:60],
                )
                for m in messages
            ]
    finally:
        engine.dispose()
    header = ("id", "status", "method", "channel", "tries", "created (UTC)", "next/sent", "error")
    if not rows:
        return "no messages" + (f" with status {status.value}" if status else "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in [header, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)


def retry_failed(database_url: str, clock: Clock) -> int:
    """Queue every failed message again, due now; returns how many."""
    engine = make_engine(database_url)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            count = uow.outbox.retry_failed(clock())
            uow.commit()
    finally:
        engine.dispose()
    return count
