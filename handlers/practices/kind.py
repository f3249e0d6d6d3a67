"""Practices as a kind of submission: what they declare to go through the review pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.config import Settings
from handlers.practices import ids, views
from handlers.practices.schemas import PracticeForm, parse_practice_form
from handlers.review import views as review_views
from handlers.review.kinds import FormValues, Publication, SubmissionKind
from storage.models import Practice, PracticeStatus, SearchDocument
from storage.repositories.practices import PracticeRepository
from storage.uow import UnitOfWork


class PracticeKind(SubmissionKind[Practice, PracticeForm]):
    """Practices: shared by members, reviewed, then posted to the practices channel.

    Once decided a practice is final: only a pending one, or one sent back for changes, can be
    edited, and the edit goes back to the coordinators.
    """

    name = "practice"
    noun = "practice"
    verb = "shared"
    modal_id = ids.PRACTICE_MODAL
    edit_action = ids.EDIT_ACTION
    error_block = ids.TITLE_BLOCK
    commands = (ids.SHARE_COMMAND,)
    shortcuts = (ids.SHARE_SHORTCUT,)

    def repository(self, uow: UnitOfWork) -> PracticeRepository:
        """`uow.practices`."""
        return uow.practices

    def new(self, form: PracticeForm, *, submitter_id: str, now: datetime) -> Practice:
        """A pending practice, revision 1."""
        return Practice(
            status=PracticeStatus.PENDING,
            submitter_id=submitter_id,
            revision=1,
            created_at=now,
            submitted_at=now,
            **self.fields(form),
        )

    def fields(self, form: PracticeForm) -> dict[str, object]:
        """The form's fields, and the region its county is in."""
        return {**form.model_dump(), "region": form.region}

    def parse(self, values: FormValues, now: datetime) -> PracticeForm | dict[str, str]:
        """Each field checked (`parse_practice_form`)."""
        return parse_practice_form(values)

    def form_view(
        self,
        settings: Settings,
        item: Practice | None = None,
        edit: Mapping[str, object] | None = None,
    ) -> dict[str, Any]:
        """The share-a-practice form."""
        return views.practice_modal(item, dict(edit) if edit else None)

    def thanks_message(self, form: PracticeForm, item_id: int) -> dict[str, Any]:
        """The receipt, with the practice's number."""
        return views.thanks_message(form, item_id)

    def resubmitted_message(self, form: PracticeForm, item_id: int) -> dict[str, Any]:
        """The receipt for an edit sent back to the coordinators."""
        return views.resubmitted_message(form, item_id)

    def review_post(
        self,
        item: Practice,
        settings: Settings,
        decision: review_views.DecisionView | None = None,
    ) -> dict[str, Any]:
        """The coordinators' post for this revision."""
        return views.review_post(
            item,
            practice_id=item.id,
            submitter_id=item.submitter_id,
            revision=item.revision,
            tz=settings.timezone,
            decision=decision,
        )

    def publication(self, item: Practice, settings: Settings) -> Publication:
        """The practice, posted to `CCSN_PRACTICES_CHANNEL`."""
        return Publication(
            channel=settings.ccsn_practices_channel or "",
            message=views.published_post(
                item, submitter_id=item.submitter_id, web_url=web_url(item.id, settings)
            ),
        )

    def search_document(self, item: Practice, *, post_key: str, at: datetime) -> SearchDocument:
        """Title, summary and organisation are searched; the rest are filters."""
        return SearchDocument(
            kind=self.name,
            ref_id=item.id,
            title=item.title,
            body=item.summary,
            organisation=item.organisation,
            county=item.county,
            region=item.region,
            pillars=list(item.pillars),
            funding_streams=list(item.funding_streams),
            post_key=post_key,
            published_at=at,
        )


def web_url(practice_id: int, settings: Settings) -> str | None:
    """The practice's page in the public library, when the site is on and has an address."""
    if not (settings.ccsn_public_url and settings.ccsn_public_pages):
        return None
    return f"{settings.ccsn_public_url}/practices/{practice_id}"


PRACTICES = PracticeKind()
