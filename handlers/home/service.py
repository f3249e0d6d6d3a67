"""What a member's Home tab holds, and what its buttons may do for them.

Who may do what is decided by each kind's own rules (its `edit_problem`, events'
`manage_problem`, TA's `refusal`, review's `withdraw`), from the user Slack vouches for; a
button's value only names the item.
"""

from __future__ import annotations

from datetime import datetime

from handlers.deps import Deps
from handlers.digest import service as digest_service
from handlers.events import attendance
from handlers.events import service as events_service
from handlers.events.kind import EVENTS
from handlers.home.schemas import (
    CANCEL_EVENT,
    CANCEL_TA,
    CONFIRM_OFFERING,
    EDIT,
    RETIRE_OFFERING,
    UPDATE_STATUS,
    WITHDRAW,
    HomeData,
    MyItem,
    MyOffering,
    MyPolicyUpdate,
    QueueLine,
    UpcomingEvent,
)
from handlers.network import service as network_service
from handlers.policy import service as policy_service
from handlers.policy.kind import POLICY
from handlers.practices.kind import PRACTICES
from handlers.replies import int_or_none
from handlers.review import service as review_service
from handlers.review.kinds import SubmissionKinds
from handlers.ta import service as ta_service
from handlers.ta.views import reference
from handlers.ta_offerings import service as offerings_service
from handlers.ta_offerings.kind import TA_OFFERINGS
from storage.models import (
    Event,
    EventStatus,
    PolicyUpdate,
    Practice,
    PracticeStatus,
    TaOffering,
    TaOfferingStatus,
    TaRequest,
    TaStatus,
)
from storage.uow import UnitOfWork

MAX_ITEMS = 20  # the member's own submissions shown, most recent first; the rest are counted
MAX_EVENTS = 8  # upcoming events shown, soonest first
MAX_OFFERINGS = 5  # TA offerings the member offered or answers for, newest first
MAX_POLICY_UPDATES = 5  # the member's policy updates, newest first

UNSUBSCRIBED = "Done: no more personal digests."


def _practice(practice: Practice, user_id: str, deps: Deps, now: datetime) -> MyItem:
    actions: list[str] = []
    if PRACTICES.edit_problem(practice, user_id, deps.settings, now) is None:
        actions.append(EDIT)
    if str(practice.status) in review_service.WAITING:
        actions.append(WITHDRAW)
    return MyItem(
        kind="practice",
        id=practice.id,
        title=practice.title,
        status=str(practice.status),
        created_at=practice.created_at,
        actions=tuple(actions),
    )


def _event(event: Event, user_id: str, deps: Deps, now: datetime) -> MyItem:
    actions: list[str] = []
    if EVENTS.edit_problem(event, user_id, deps.settings, now) is None:
        actions.append(EDIT)
    if str(event.status) in review_service.WAITING:
        actions.append(WITHDRAW)
    elif events_service.manage_problem(event, user_id, deps.settings, now) is None:
        actions.append(CANCEL_EVENT)
    return MyItem(
        kind="event",
        id=event.id,
        title=event.title,
        status=str(event.status),
        created_at=event.created_at,
        actions=tuple(actions),
        starts_at=event.starts_at,
    )


def _offering(offering: TaOffering, user_id: str, deps: Deps, now: datetime) -> MyOffering:
    """Its state, and the buttons the existing rules allow it.

    Review's edit and withdraw while it waits; the directory's edit, Still offered and
    retire once listed (`provider_problem`, the same rule as the post's ⋯ menu).
    """
    settings = deps.settings
    actions: list[str] = []
    if TA_OFFERINGS.edit_problem(offering, user_id, settings, now) is None:
        actions.append(EDIT)
    waiting = str(offering.status) in review_service.WAITING
    if waiting and offering.submitter_id == user_id:
        actions.append(WITHDRAW)
    state = str(offering.status)
    if offerings_service.provider_problem(offering, user_id, settings) is None:
        if offering.reconfirm_asked_at is not None:  # what Still offered answers
            actions.append(CONFIRM_OFFERING)
        actions.append(RETIRE_OFFERING)
    if offering.status is TaOfferingStatus.APPROVED:
        if offering.unconfirmed:
            state = "unconfirmed"
        elif offering.reconfirm_asked_at is not None:
            state = "asked"
    return MyOffering(
        id=offering.id,
        title=offering.title,
        state=state,
        created_at=offering.created_at,
        contact_only=offering.submitter_id != user_id,
        actions=tuple(actions),
    )


def _policy_update(update: PolicyUpdate, user_id: str, deps: Deps, now: datetime) -> MyPolicyUpdate:
    settings = deps.settings
    actions: list[str] = []
    if POLICY.edit_problem(update, user_id, settings, now) is None:
        actions.append(EDIT)
    if str(update.status) in review_service.WAITING:
        actions.append(WITHDRAW)
    if policy_service.manage_problem(update, user_id, settings) is None:
        actions.append(UPDATE_STATUS)
    return MyPolicyUpdate(
        id=update.id,
        title=update.title,
        status=str(update.status),
        update_kind=update.update_kind,
        stage=update.stage,
        created_at=update.created_at,
        actions=tuple(actions),
    )


def _ta_request(request: TaRequest) -> MyItem:
    cancellable = ta_service.refusal(request, TaStatus.CANCELLED) is None
    return MyItem(
        kind="ta",
        id=request.id,
        title=request.topic,
        status=str(request.status),
        created_at=request.created_at,
        actions=(CANCEL_TA,) if cancellable else (),
        needed_by=request.needed_by,
        holder=request.claimed_by if request.status is TaStatus.CLAIMED else None,
    )


def _review_queue(uow: UnitOfWork) -> list[QueueLine]:
    home = uow.home
    return [
        QueueLine(
            "practice waiting for review",
            "practices waiting for review",
            *home.waiting(Practice.status, PracticeStatus.PENDING, Practice.submitted_at),
        ),
        QueueLine(
            "event waiting for review",
            "events waiting for review",
            *home.waiting(Event.status, EventStatus.PENDING, Event.submitted_at),
        ),
        QueueLine(
            "TA request nobody has claimed",
            "TA requests nobody has claimed",
            *home.waiting(TaRequest.status, TaStatus.OPEN, TaRequest.opened_at),
        ),
    ]


def home_data(deps: Deps, user_id: str) -> HomeData:
    """Read everything `user_id`'s Home tab shows, in one unit of work."""
    settings = deps.settings
    with deps.uow() as uow:
        now = deps.clock()
        practices, practice_count = uow.home.practices_of(user_id, MAX_ITEMS)
        events, event_count = uow.home.events_of(user_id, MAX_ITEMS)
        requests, request_count = uow.home.ta_requests_of(user_id, MAX_ITEMS)
        items = [
            *(_practice(p, user_id, deps, now) for p in practices),
            *(_event(e, user_id, deps, now) for e in events),
            *(_ta_request(r) for r in requests),
        ]
        items.sort(key=lambda item: (item.created_at, item.kind, item.id), reverse=True)
        upcoming, upcoming_count = uow.home.upcoming_events(now, MAX_EVENTS)
        event_ids = [event.id for event in upcoming]
        counts = uow.home.rsvp_counts(event_ids)
        going = uow.home.going(user_id, event_ids)
        coordinator = settings.is_coordinator(user_id)
        offerings, offering_count = uow.ta_offerings.of_provider(user_id, MAX_OFFERINGS)
        updates, update_count = uow.home.policy_updates_of(user_id, MAX_POLICY_UPDATES)
        return HomeData(
            user_id=user_id,
            now=now,
            tz=settings.timezone,
            items=items[:MAX_ITEMS],
            total_items=practice_count + event_count + request_count,
            events=[
                UpcomingEvent(
                    id=event.id,
                    title=event.title,
                    starts_at=event.starts_at,
                    ends_at=event.ends_at,
                    region=event.region,
                    going=event.id in going,
                    count=counts.get(event.id, 0),
                )
                for event in upcoming
            ],
            total_events=upcoming_count,
            subscription=uow.digest_subscriptions.get(user_id),
            queue=_review_queue(uow) if coordinator else None,
            review_channel=settings.ccsn_coordinator_channel if coordinator else None,
            network=network_service.panel(deps) if coordinator else None,
            offerings=[_offering(o, user_id, deps, now) for o in offerings],
            total_offerings=offering_count,
            policy_updates=[_policy_update(u, user_id, deps, now) for u in updates],
            total_policy_updates=update_count,
        )


def retire_offering(deps: Deps, user_id: str, offering_id: int) -> str:
    """Retire the offering, by the directory's own rule; what to tell the member."""
    return offerings_service.retire(deps, user_id=user_id, offering_id=offering_id)


def confirm_offering(deps: Deps, user_id: str, offering_id: int) -> str:
    """Still offered, answered from Home rather than the yearly DM; what to tell the member."""
    return offerings_service.still_offered(deps, user_id=user_id, offering_id=offering_id)


def withdraw(deps: Deps, kinds: SubmissionKinds, user_id: str, value: object) -> str:
    """Withdraw the submission the button names; what to tell the member."""
    target = kinds.resolve(value)
    if target is None:
        return "That submission no longer exists."
    kind, item_id = target
    return review_service.withdraw(deps, actor_id=user_id, kind=kind, item_id=item_id).message


def cancel_ta_request(deps: Deps, user_id: str, request_id: int) -> str:
    """Cancel the member's TA request; what to tell them."""
    outcome = ta_service.cancel(deps, actor_id=user_id, request_id=request_id)
    if not outcome.accepted:
        return outcome.message
    return f"You cancelled TA request {reference(request_id)}."


def set_rsvp(deps: Deps, user_id: str, value: str) -> str:
    """RSVP to an event, or withdraw the RSVP, as the button says; what to tell the member.

    The value (`views.rsvp_value`) names the state wanted, so a repeated click changes
    nothing; a bare event id (a Home tab published before) means going.
    """
    wanted, _, number = value.rpartition(":")
    return attendance.set_rsvp(
        deps, user_id=user_id, event_id=int_or_none(number) or 0, going=wanted != "not_going"
    )


def unsubscribe(deps: Deps, user_id: str) -> str:
    """Stop the member's personal digest; what to tell them."""
    return digest_service.unsubscribe(deps, user_id=user_id) or UNSUBSCRIBED
