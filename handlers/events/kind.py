"""Events as a kind of submission: what they declare to go through the review pipeline.

Unlike a practice, an approved event can still change: its member or a coordinator may edit it
live (the announcement is rewritten and everyone who RSVP'd is told) or cancel it, until it
starts. Those rules and messages are in `handlers.events.service`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.config import Settings
from handlers.deps import Deps
from handlers.events import ids, messages, service, views
from handlers.events.schemas import EventForm, parse_event_form
from handlers.review import views as review_views
from handlers.review.kinds import FormValues, Publication, SubmissionKind
from handlers.review.schemas import EditRef, SubmissionRef
from storage.models import Event, EventStatus, SearchDocument
from storage.repositories.events import EventRepository
from storage.uow import UnitOfWork


class EventKind(SubmissionKind[Event, EventForm]):
    """Events: announced by members, reviewed, then posted to the events channel with RSVP."""

    name = "event"
    noun = "event"
    verb = "announced"
    modal_id = ids.EVENT_MODAL
    edit_action = ids.EDIT_ACTION
    error_block = ids.TITLE_BLOCK
    commands = (ids.ANNOUNCE_COMMAND,)
    shortcuts = (ids.ANNOUNCE_SHORTCUT,)

    def repository(self, uow: UnitOfWork) -> EventRepository:
        """`uow.events`."""
        return uow.events

    def new(self, form: EventForm, *, submitter_id: str, now: datetime) -> Event:
        """A pending event, revision 1, never edited live (sequence 0)."""
        return Event(
            status=EventStatus.PENDING,
            submitter_id=submitter_id,
            revision=1,
            sequence=0,
            created_at=now,
            submitted_at=now,
            updated_at=now,
            **self.fields(form),
        )

    def parse(self, values: FormValues, now: datetime) -> EventForm | dict[str, str]:
        """Each field checked (`parse_event_form`); the start must be after `now`."""
        return parse_event_form(values, now)

    def form_view(
        self,
        settings: Settings,
        item: Event | None = None,
        edit: Mapping[str, object] | None = None,
    ) -> dict[str, Any]:
        """The announce-an-event form; until events have a channel, a note saying so."""
        if item is None and not service.events_enabled(settings):
            return views.unavailable_modal()
        live = item is not None and self.is_live(item)
        return views.event_modal(item, dict(edit) if edit else None, live=live)

    def edit_metadata(self, item: Event) -> dict[str, object]:
        """Also which published version the form shows, and whether it edits it live."""
        ref = SubmissionRef(self.name, item.id)
        return EditRef(
            ref, item.revision, live=self.is_live(item), sequence=item.sequence
        ).metadata()

    def is_live(self, item: Event) -> bool:
        """An approved event's edit changes the announcement rather than going to review."""
        return item.status is EventStatus.APPROVED

    def live_edit_problem(
        self, item: Event, user_id: str, settings: Settings, now: datetime
    ) -> str | None:
        """Its member or a coordinator may change an announced event until it starts."""
        return service.manage_problem(item, user_id, settings, now)

    def edit_live(
        self,
        uow: UnitOfWork,
        deps: Deps,
        item: Event,
        form: EventForm,
        *,
        user_id: str,
        edit: EditRef,
        now: datetime,
    ) -> str | None:
        """Rewrite the announcement and tell everyone; a member's new links wait for review."""
        return service.edit_live(
            uow, deps, item, self.fields(form), user_id=user_id, sequence=edit.sequence, now=now
        )

    def thanks_message(self, form: EventForm, item_id: int) -> dict[str, Any]:
        """The receipt, with the event's number."""
        return messages.thanks_message(form, item_id)

    def resubmitted_message(self, form: EventForm, item_id: int) -> dict[str, Any]:
        """The receipt for an edit sent back to the coordinators."""
        return messages.resubmitted_message(form, item_id)

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

    def search_document(self, item: Event, *, post_key: str, at: datetime) -> SearchDocument:
        """Title, description and host are searched; the region (or statewide) filters."""
        return service.search_document(item, post_key=post_key, at=at)


EVENTS = EventKind()
