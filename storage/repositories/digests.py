"""Digests: claiming a channel's period, and finding where the last digest left off."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Digest


class DigestRepository:
    """Inserts `digests` rows inside the transaction that queues the digest's messages."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(
        self,
        *,
        channel: str,
        period_key: str,
        covered_from: datetime,
        covered_until: datetime,
        messages: int,
        at: datetime,
    ) -> Digest | None:
        """Record the digest of `channel` for `period_key`; None if one was already recorded.

        The unique constraint decides, so two processes racing for the same period get one
        row between them on either database. Call it in the unit of work that enqueues the
        digest: if that work rolls back, the claim goes with it and the digest can be retried.
        """
        digest = Digest(
            channel=channel,
            period_key=period_key,
            covered_from=covered_from,
            covered_until=covered_until,
            messages=messages,
            created_at=at,
        )
        try:
            with self._session.begin_nested():
                self._session.add(digest)
        except IntegrityError:
            return None
        return digest

    def get(self, channel: str, period_key: str) -> Digest | None:
        """The digest of `channel` for `period_key`, if it was sent."""
        query = select(Digest).where(Digest.channel == channel, Digest.period_key == period_key)
        return self._session.scalars(query).first()

    def latest(self, channel: str) -> Digest | None:
        """The most recent digest of `channel`: the next one starts where it ended."""
        query = (
            select(Digest)
            .where(Digest.channel == channel)
            .order_by(Digest.covered_until.desc(), Digest.id.desc())
            .limit(1)
        )
        return self._session.scalars(query).first()
