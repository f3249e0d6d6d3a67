"""TA offerings as a kind of submission: what they declare to go through the review pipeline.

Reviewed exactly like practices; once approved an offering is posted to the TA channel and
listed in the directory, and its provider (its member, its contacts) may still edit it live
(coordinators are told) or retire it. Those rules are in `handlers.ta_offerings.service`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.config import Settings
from handlers.deps import Deps
from handlers.review import views as review_views
from handlers.review.kinds import FormValues, Publication, SubmissionKind
from handlers.review.schemas import EditRef, SubmissionRef
from handlers.ta_offerings import ids, service, views
from handlers.ta_offerings.schemas import OfferingForm, parse_offering_form
from storage.models import SearchDocument, TaOffering, TaOfferingStatus
from storage.repositories.ta_offerings import TaOfferingRepository
from storage.uow import UnitOfWork


class TaOfferingKind(SubmissionKind[TaOffering, OfferingForm]):
    """Offerings of technical assistance: offered by providers, reviewed, then listed."""

    name = views.KIND_NAME
    noun = "TA offering"
    verb = "offered"
    modal_id = ids.OFFER_MODAL
    edit_action = ids.EDIT_ACTION
    error_block = ids.ORGANISATION_BLOCK
    commands = (ids.OFFER_COMMAND,)
    shortcuts = (ids.OFFER_SHORTCUT,)

    def repository(self, uow: UnitOfWork) -> TaOfferingRepository:
        """`uow.ta_offerings`."""
        return uow.ta_offerings

    def new(self, form: OfferingForm, *, submitter_id: str, now: datetime) -> TaOffering:
        """A pending offering, revision 1; with nobody named, its member answers for it."""
        fields = self.fields(form)
        fields["contacts"] = list(form.contacts) or [submitter_id]
        return TaOffering(
            status=TaOfferingStatus.PENDING,
            submitter_id=submitter_id,
            revision=1,
            sequence=0,
            created_at=now,
            submitted_at=now,
            updated_at=now,
            **fields,
        )

    def parse(self, values: FormValues, now: datetime) -> OfferingForm | dict[str, str]:
        """Each field checked (`parse_offering_form`)."""
        return parse_offering_form(values, now)

    def form_view(
        self,
        settings: Settings,
        item: TaOffering | None = None,
        edit: Mapping[str, object] | None = None,
    ) -> dict[str, Any]:
        """The offer-TA form; until the TA channel is set, a note saying so."""
        if item is None and not service.directory_enabled(settings):
            return views.unavailable_modal()
        return views.offering_modal(item, dict(edit) if edit else None)

    def edit_metadata(self, item: TaOffering) -> dict[str, object]:
        """Also which listed version the form shows, and whether it edits it live."""
        ref = SubmissionRef(self.name, item.id)
        return EditRef(
            ref, item.revision, live=self.is_live(item), sequence=item.sequence
        ).metadata()

    def is_live(self, item: TaOffering) -> bool:
        """A listed offering's edit changes its post and entry rather than going to review."""
        return item.status is TaOfferingStatus.APPROVED

    def live_edit_problem(
        self, item: TaOffering, user_id: str, settings: Settings, now: datetime
    ) -> str | None:
        """Its member, its contacts or a coordinator may change a listed offering."""
        return service.provider_problem(item, user_id, settings)

    def edit_live(
        self,
        uow: UnitOfWork,
        deps: Deps,
        item: TaOffering,
        form: OfferingForm,
        *,
        user_id: str,
        edit: EditRef,
        now: datetime,
    ) -> str | None:
        """Rewrite the post and the directory entry; coordinators are told."""
        return service.edit_live(
            uow, deps, item, self.fields(form), user_id=user_id, sequence=edit.sequence, now=now
        )

    def thanks_message(self, form: OfferingForm, item_id: int) -> dict[str, Any]:
        """The receipt, with the offering's number."""
        return views.thanks_message(form, item_id)

    def resubmitted_message(self, form: OfferingForm, item_id: int) -> dict[str, Any]:
        """The receipt for an edit sent back to the coordinators."""
        return views.resubmitted_message(form, item_id)

    def review_post(
        self,
        item: TaOffering,
        settings: Settings,
        decision: review_views.DecisionView | None = None,
    ) -> dict[str, Any]:
        """The coordinators' post for this revision."""
        return views.review_post(
            item, title=item.title, revision=item.revision, tz=settings.timezone, decision=decision
        )

    def publication(self, item: TaOffering, settings: Settings) -> Publication:
        """The offering, posted to `CCSN_TA_CHANNEL` with Contact and Request from them."""
        return Publication(
            channel=settings.ccsn_ta_channel or "", message=views.published_post(item)
        )

    def approved_message(self, item: TaOffering, settings: Settings, link: str) -> dict[str, Any]:
        """The provider's DM with a link to the post, and the yearly question explained."""
        return views.approved_message(item.title, link)

    def search_document(self, item: TaOffering, *, post_key: str, at: datetime) -> SearchDocument:
        """Organisation and description are searched, as kind `ta_offering`."""
        return service.search_document(item, at=at)


TA_OFFERINGS = TaOfferingKind()
