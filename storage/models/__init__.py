"""Mapped models, one per file; importing this package registers them all on `Base.metadata`."""

from storage.models.audit import AuditEntry
from storage.models.base import Base
from storage.models.event import Event, EventStatus
from storage.models.handled_view import HandledView
from storage.models.job_run import JobRun
from storage.models.outbox import OutboxMessage, OutboxStatus
from storage.models.practice import Practice, PracticeStatus
from storage.models.rsvp import Rsvp

__all__ = [
    "AuditEntry",
    "Base",
    "Event",
    "EventStatus",
    "HandledView",
    "JobRun",
    "OutboxMessage",
    "OutboxStatus",
    "Practice",
    "PracticeStatus",
    "Rsvp",
]
