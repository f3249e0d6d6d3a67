"""The unit of work: one session, its repositories, and the single place that commits."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import cached_property
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from storage.repositories import inserts
from storage.repositories.audit import AuditRepository
from storage.repositories.digest_subscriptions import DigestSubscriptionRepository
from storage.repositories.digests import DigestRepository
from storage.repositories.events import EventRepository
from storage.repositories.handled_views import HandledViewRepository
from storage.repositories.home import HomeRepository
from storage.repositories.job_runs import JobRunRepository
from storage.repositories.library import LibraryRepository
from storage.repositories.network_settings import NetworkSettingsRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.policy_updates import PolicyFollowerRepository, PolicyUpdateRepository
from storage.repositories.practices import PracticeRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.rsvps import RsvpRepository
from storage.repositories.search import SearchRepository
from storage.repositories.ta_offerings import TaOfferingRepository
from storage.repositories.ta_requests import TaRequestRepository


class UnitOfWork:
    """A transaction around one listener call or job run.

    Leaving the block without `commit()` rolls back, so an exception never leaves a half-written
    row. `after_commit` runs once the data is durable (the app uses it to wake the outbox worker).
    """

    def __init__(
        self, session_factory: sessionmaker[Session], after_commit: Callable[[], None] | None = None
    ) -> None:
        self._session_factory = session_factory
        self._after_commit = after_commit

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    # Each repository is made when first used: a unit of work uses one or two of them, and
    # making all eighteen cost a submission more than its audit row did (issue 17).
    @cached_property
    def practices(self) -> PracticeRepository:
        """The practices repository, on this unit's session."""
        return PracticeRepository(self.session)

    @cached_property
    def audit(self) -> AuditRepository:
        """The audit repository, on this unit's session."""
        return AuditRepository(self.session)

    @cached_property
    def outbox(self) -> OutboxRepository:
        """The outbox repository, on this unit's session."""
        return OutboxRepository(self.session)

    @cached_property
    def handled_views(self) -> HandledViewRepository:
        """The handled views repository, on this unit's session."""
        return HandledViewRepository(self.session)

    @cached_property
    def job_runs(self) -> JobRunRepository:
        """The job runs repository, on this unit's session."""
        return JobRunRepository(self.session)

    @cached_property
    def search(self) -> SearchRepository:
        """The search repository, on this unit's session."""
        return SearchRepository(self.session)

    @cached_property
    def ta_requests(self) -> TaRequestRepository:
        """The ta requests repository, on this unit's session."""
        return TaRequestRepository(self.session)

    @cached_property
    def digests(self) -> DigestRepository:
        """The digests repository, on this unit's session."""
        return DigestRepository(self.session)

    @cached_property
    def digest_subscriptions(self) -> DigestSubscriptionRepository:
        """The digest subscriptions repository, on this unit's session."""
        return DigestSubscriptionRepository(self.session)

    @cached_property
    def events(self) -> EventRepository:
        """The events repository, on this unit's session."""
        return EventRepository(self.session)

    @cached_property
    def rsvps(self) -> RsvpRepository:
        """The rsvps repository, on this unit's session."""
        return RsvpRepository(self.session)

    @cached_property
    def reports(self) -> ReportRepository:
        """The reports repository, on this unit's session."""
        return ReportRepository(self.session)

    @cached_property
    def home(self) -> HomeRepository:
        """The home repository, on this unit's session."""
        return HomeRepository(self.session)

    @cached_property
    def library(self) -> LibraryRepository:
        """The library repository, on this unit's session."""
        return LibraryRepository(self.session)

    @cached_property
    def network_settings(self) -> NetworkSettingsRepository:
        """The network settings repository, on this unit's session."""
        return NetworkSettingsRepository(self.session)

    @cached_property
    def ta_offerings(self) -> TaOfferingRepository:
        """The ta offerings repository, on this unit's session."""
        return TaOfferingRepository(self.session)

    @cached_property
    def policy_updates(self) -> PolicyUpdateRepository:
        """The policy updates repository, on this unit's session."""
        return PolicyUpdateRepository(self.session)

    @cached_property
    def policy_followers(self) -> PolicyFollowerRepository:
        """The policy followers repository, on this unit's session."""
        return PolicyFollowerRepository(self.session)

    def batch(self) -> AbstractContextManager[None]:
        """A block whose new rows (audit entries, outbox messages) are written together at its end.

        On PostgreSQL they are one statement (`storage.repositories.inserts.batch`).
        """
        return inserts.batch(self.session)

    def commit(self) -> None:
        """Make everything done in this unit durable, then tell whoever is waiting for it."""
        self.session.commit()
        if self._after_commit is not None:
            self._after_commit()

    def rollback(self) -> None:
        """Discard everything done in this unit."""
        self.session.rollback()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches loaded objects without
        # expiring them, so a service can return what it read.
        self.session.close()


UnitOfWorkFactory = Callable[[], UnitOfWork]
