"""Practices as a kind of submission for coordinator review (see `handlers.review.kinds`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.config import Settings
from handlers.practices import ids, views
from handlers.review import views as review_views
from handlers.review.kinds import Publication
from handlers.review.schemas import ReviewDecision
from storage.models import Practice, PracticeStatus, SearchDocument
from storage.uow import UnitOfWork


class PracticeReview:
    """Loads, moves and renders practices for review; approved ones go to the practices channel."""

    name = "practice"
    noun = "practice"

    def load(self, uow: UnitOfWork, item_id: int) -> Practice | None:
        """The practice, if it exists."""
        return uow.practices.get(item_id)

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
        return uow.practices.transition(
            item_id,
            expected=PracticeStatus.PENDING,
            revision=revision,
            to=PracticeStatus(decision.outcome),
            actor_id=actor_id,
            at=at,
            reason=reason,
        )

    def withdraw(self, uow: UnitOfWork, item_id: int, *, submitter_id: str, at: datetime) -> bool:
        """Take back a practice waiting for review or changes; False if it was decided."""
        return uow.practices.withdraw(item_id, submitter_id=submitter_id, at=at)

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

    def approved_message(self, item: Practice, settings: Settings, link: str) -> dict[str, Any]:
        """The member's DM with a link to the published practice."""
        return review_views.approved_message(item.title, link)

    def rejected_message(self, item: Practice, reason: str) -> dict[str, Any]:
        """The member's DM with the coordinator's reason."""
        return review_views.rejected_message(item.title, reason)

    def changes_message(self, item: Practice, reason: str) -> dict[str, Any]:
        """The member's DM with the reason and the Edit and resubmit button."""
        return review_views.changes_message(
            item.title, reason, submission_id=item.id, edit_action=ids.EDIT_ACTION
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


PRACTICES = PracticeReview()
