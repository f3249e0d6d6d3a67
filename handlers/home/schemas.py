"""What the Home tab shows, as plain data: the service fills it, the views lay it out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.digest.views import SubscriptionView
from handlers.network.schemas import NetworkPanel

# What a member's own item offers on Home.
EDIT = "edit"
WITHDRAW = "withdraw"
CANCEL_EVENT = "cancel_event"
CANCEL_TA = "cancel_ta"
RETIRE_OFFERING = "retire_offering"
CONFIRM_OFFERING = "confirm_offering"
UPDATE_STATUS = "update_status"


@dataclass(frozen=True)
class MyItem:
    """One of the member's practices, events or TA requests, and what they may do with it."""

    kind: str  # practice, event or ta
    id: int
    title: str
    status: str
    created_at: datetime
    actions: tuple[str, ...] = ()
    starts_at: datetime | None = None
    needed_by: date | None = None
    holder: str | None = None


@dataclass(frozen=True)
class MyOffering:
    """A TA offering the member offered or answers for, where it stands, what they may do.

    `state` is its review status, or for a listed one `approved`, `asked` (the yearly
    question is waiting) or `unconfirmed` (that question went unanswered).
    """

    id: int
    title: str
    state: str
    created_at: datetime
    contact_only: bool  # listed as a contact, not the member who offered it
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class MyPolicyUpdate:
    """One of the member's policy updates: its review status, its stage, what they may do."""

    id: int
    title: str
    status: str
    update_kind: str
    stage: str
    created_at: datetime
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class UpcomingEvent:
    """An announced event that has not ended, and whether the member is going."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    region: str
    going: bool
    count: int


@dataclass(frozen=True)
class QueueLine:
    """One part of the coordinators' review queue: how many wait, and since when."""

    singular: str
    plural: str
    count: int
    oldest: datetime | None

    @property
    def label(self) -> str:
        """What is waiting, in the number the count needs."""
        return self.singular if self.count == 1 else self.plural


@dataclass(frozen=True)
class HomeData:
    """Everything one member's Home tab shows."""

    user_id: str
    now: datetime
    tz: ZoneInfo
    items: list[MyItem]
    total_items: int
    events: list[UpcomingEvent]
    total_events: int
    subscription: SubscriptionView | None
    queue: list[QueueLine] | None  # coordinators only
    review_channel: str | None
    network: NetworkPanel | None = None  # coordinators only
    offerings: list[MyOffering] = field(default_factory=list)
    total_offerings: int = 0
    policy_updates: list[MyPolicyUpdate] = field(default_factory=list)
    total_policy_updates: int = 0
