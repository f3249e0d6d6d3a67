"""Members' personal digest subscriptions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import DigestSubscription


class DigestSubscriptionRepository:
    """Saves, finds and removes subscriptions; one per member."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, user_id: str) -> DigestSubscription | None:
        """The member's subscription, if they have one."""
        query = select(DigestSubscription).where(DigestSubscription.user_id == user_id)
        return self._session.scalars(query).first()

    def save(
        self,
        user_id: str,
        *,
        regions: list[str],
        pillars: list[str],
        ta_topics: list[str],
        funding_streams: list[str] | None = None,
        at: datetime,
    ) -> tuple[DigestSubscription, bool]:
        """Create or replace the member's filters; True when the subscription is new.

        Two submissions racing to create the same member's row meet the unique constraint;
        the loser updates the winner's row instead.
        """
        filters = {
            "regions": regions,
            "pillars": pillars,
            "ta_topics": ta_topics,
            "funding_streams": funding_streams or [],
        }
        existing = self.get(user_id)
        if existing is None:
            subscription = DigestSubscription(
                user_id=user_id, created_at=at, updated_at=at, **filters
            )
            try:
                with self._session.begin_nested():
                    self._session.add(subscription)
                return subscription, True
            except IntegrityError:
                existing = self.get(user_id)
                assert existing is not None, "the row that beat us is visible once committed"
        for name, value in filters.items():
            setattr(existing, name, value)
        existing.updated_at = at
        self._session.flush()
        return existing, False

    def remove(self, user_id: str) -> int | None:
        """Delete the member's subscription; its id, or None if there was none."""
        subscription = self.get(user_id)
        if subscription is None:
            return None
        result = self._session.execute(
            delete(DigestSubscription)
            .where(DigestSubscription.id == subscription.id)
            .execution_options(synchronize_session=False)
        )
        self._session.expunge(subscription)
        return subscription.id if result.rowcount else None  # type: ignore[attr-defined]

    def all(self) -> Sequence[DigestSubscription]:
        """Every subscription, oldest first, so a run always meets members in the same order."""
        return self._session.scalars(
            select(DigestSubscription).order_by(DigestSubscription.id)
        ).all()
