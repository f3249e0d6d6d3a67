"""Mapped models, one per file; importing this package registers them all on `Base.metadata`."""

from storage.models.audit import AuditEntry
from storage.models.base import Base
from storage.models.digest import Digest
from storage.models.digest_subscription import DigestSubscription
from storage.models.event import Event, EventStatus
from storage.models.handled_view import HandledView
from storage.models.job_run import JobRun
from storage.models.network_setting import NetworkSetting, NetworkSettingsVersion
from storage.models.outbox import OutboxMessage, OutboxStatus
from storage.models.policy_update import PolicyFollower, PolicyStatus, PolicyUpdate
from storage.models.practice import Practice, PracticeStatus
from storage.models.rsvp import Rsvp
from storage.models.search_document import SearchDocument
from storage.models.ta_offering import TaOffering, TaOfferingStatus
from storage.models.ta_request import TaFeedback, TaRequest, TaStatus

__all__ = [
    "AuditEntry",
    "Base",
    "Digest",
    "DigestSubscription",
    "Event",
    "EventStatus",
    "HandledView",
    "JobRun",
    "NetworkSetting",
    "NetworkSettingsVersion",
    "OutboxMessage",
    "OutboxStatus",
    "PolicyFollower",
    "PolicyStatus",
    "PolicyUpdate",
    "Practice",
    "PracticeStatus",
    "Rsvp",
    "SearchDocument",
    "TaFeedback",
    "TaOffering",
    "TaOfferingStatus",
    "TaRequest",
    "TaStatus",
]
