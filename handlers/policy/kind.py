"""Policy and funding updates as a kind of submission: what they declare to the review pipeline.

Once approved an update is not edited through the form again: it moves with Update status
(`handlers.policy.service.change_stage`), which rewrites the post in place and tells every
follower. Before a decision its member may edit it, and the edit goes back to review.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.config import Settings
from handlers.policy import ids, service, views
from handlers.policy.schemas import PolicyForm, parse_policy_form
from handlers.review import views as review_views
from handlers.review.kinds import FormValues, Publication, SubmissionKind
from storage.models import PolicyStatus, PolicyUpdate, SearchDocument
from storage.repositories.policy_updates import PolicyUpdateRepository
from storage.uow import UnitOfWork


class PolicyKind(SubmissionKind[PolicyUpdate, PolicyForm]):
    """Policy updates: shared by members, reviewed, then posted with Follow and Update status."""

    name = views.KIND_NAME
    noun = "policy update"
    verb = "shared"
    modal_id = ids.POLICY_MODAL
    edit_action = ids.EDIT_ACTION
    error_block = ids.TITLE_BLOCK
    commands = (ids.SHARE_COMMAND,)
    shortcuts = (ids.SHARE_SHORTCUT,)

    def repository(self, uow: UnitOfWork) -> PolicyUpdateRepository:
        """`uow.policy_updates`."""
        return uow.policy_updates

    def new(self, form: PolicyForm, *, submitter_id: str, now: datetime) -> PolicyUpdate:
        """A pending update, revision 1, with no status changes yet."""
        return PolicyUpdate(
            status=PolicyStatus.PENDING,
            submitter_id=submitter_id,
            revision=1,
            sequence=0,
            history=[],
            created_at=now,
            submitted_at=now,
            updated_at=now,
            **self.fields(form),
        )

    def fields(self, form: PolicyForm) -> dict[str, object]:
        """The form's fields, the region of its county, and its latest key date."""
        return {**form.model_dump(), "region": form.region, "last_key_date": form.last_key_date}

    def parse(self, values: FormValues, now: datetime) -> PolicyForm | dict[str, str]:
        """Each field checked (`parse_policy_form`); key dates may not have passed."""
        return parse_policy_form(values, now)

    def form_view(
        self,
        settings: Settings,
        item: PolicyUpdate | None = None,
        edit: Mapping[str, object] | None = None,
    ) -> dict[str, Any]:
        """The share-a-policy-update form; until there is a policy channel, a note saying so."""
        if item is None and not service.policy_enabled(settings):
            return views.unavailable_modal()
        return views.policy_modal(item, dict(edit) if edit else None)

    def thanks_message(self, form: PolicyForm, item_id: int) -> dict[str, Any]:
        """The receipt, with the update's number."""
        return views.thanks_message(form, item_id)

    def resubmitted_message(self, form: PolicyForm, item_id: int) -> dict[str, Any]:
        """The receipt for an edit sent back to the coordinators."""
        return views.resubmitted_message(form, item_id)

    def review_post(
        self,
        item: PolicyUpdate,
        settings: Settings,
        decision: review_views.DecisionView | None = None,
    ) -> dict[str, Any]:
        """The coordinators' post for this revision."""
        return views.review_post(
            item,
            update_id=item.id,
            submitter_id=item.submitter_id,
            revision=item.revision,
            tz=settings.timezone,
            decision=decision,
        )

    def publication(self, item: PolicyUpdate, settings: Settings) -> Publication:
        """The post in `CCSN_POLICY_CHANNEL`; nobody can follow it before it exists."""
        about = views.PostAbout(update_id=item.id, submitter_id=item.submitter_id, followers=0)
        return Publication(
            channel=settings.ccsn_policy_channel or "",
            message=views.published_post(item, about, settings.timezone),
        )

    def approved_message(self, item: PolicyUpdate, settings: Settings, link: str) -> dict[str, Any]:
        """The member's DM with a link to the post, and how to keep it current."""
        return views.approved_message(item.title, link)

    def search_document(self, item: PolicyUpdate, *, post_key: str, at: datetime) -> SearchDocument:
        """Filed as `policy_update`: title, summary and how to act are searched."""
        return service.search_document(item, post_key=post_key, at=at)


POLICY = PolicyKind()
