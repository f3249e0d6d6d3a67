"""Events as a kind of submission for coordinator review (see `handlers.review.kinds`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.config import Settings
from handlers.events import ids, messages
from handlers.review import views as review_views
from handlers.review.kinds import Publication
from handlers.review.schemas import ReviewDecision
from storage.models import Event, EventStatus, SearchDocument
from storage.uow import UnitOfWork


class EventReview:
    """Loads, moves and renders events for review; approved ones are announced with RSVP."""

    name = "event"
    noun = "event"

    def load(self, uow: UnitOfWork, item_id: int) -> Event | None:
        """The event, if it exists."""
        return uow.events.get(item_id)

    def transition(
        self,
        uow: UnitOfWork,
        item_id: int,
        decision: ReviewDecision,
        *,
        revision: int,
        actor_id: str,
        at: datetime,
        reason: str | None,
    ) -> bool:
        """Move this pending revision to the decision's state; False if decided or edited."""
        return uow.events.transition(
            item_id,
            expected=EventStatus.PENDING,
            revision=revision,
            to=EventStatus(decision.outcome),
            actor_id=actor_id,
            at=at,
            reason=reason,
        )

    def withdraw(self, uow: UnitOfWork, item_id: int, *, submitter_id: str, at: datetime) -> bool:
        """Take back an event waiting for review or changes; False if it was decided."""
        return uow.events.withdraw(item_id, submitter_id=submitter_id, at=at)

    def review_post(
        self, item: Event, settings: Settings, decision: review_views.DecisionView | None = None
    ) -> dict[str, Any]:
        """The coordinators' post for this revision."""
        return messages.review_post(
            item,
            event_id=item.id,
            submitter_id=item.submitter_id,
            revision=item.revision,
            tz=settings.timezone,
            decision=decision,
        )

    def publication(self, item: Event, settings: Settings) -> Publication:
        """The announcement in `CCSN_EVENTS_CHANNEL`; nobody can RSVP before it exists."""
        about = messages.Announcement(
            event_id=item.id,
            submitter_id=item.submitter_id,
            going=0,
            calendar_url=messages.calendar_url(settings.ccsn_public_url, item.id),
        )
        return Publication(
            channel=settings.ccsn_events_channel or "",
            message=messages.announcement(item, about, settings.timezone),
        )

    def approved_message(self, item: Event, settings: Settings, link: str) -> dict[str, Any]:
        """The member's DM with a link to the announcement."""
        return messages.approved_message(item.title, link, settings.ccsn_event_reminder_hours)

    def rejected_message(self, item: Event, reason: str) -> dict[str, Any]:
        """The member's DM with the coordinator's reason."""
        return review_views.rejected_message(item.title, reason)

    def changes_message(self, item: Event, reason: str) -> dict[str, Any]:
        """The member's DM with the reason and the Edit and resubmit button."""
        return review_views.changes_message(
            item.title, reason, submission_id=item.id, edit_action=ids.EDIT_ACTION
        )

    def search_document(self, item: Event, *, post_key: str, at: datetime) -> SearchDocument:
        """Title, description and host are searched; the region (or statewide) filters."""
        return event_search_document(item, post_key=post_key, at=at)


EVENTS = EventReview()


def event_search_document(event: Event, *, post_key: str, at: datetime) -> SearchDocument:
    """The searchable copy of an approved event, also rebuilt when it is edited."""
    return SearchDocument(
        kind="event",
        ref_id=event.id,
        title=event.title,
        body=event.description,
        organisation=event.host_organisation,
        county=None,
        region=event.region,
        pillars=[],
        funding_streams=[],
        post_key=post_key,
        published_at=at,
    )
