"""The unit of work: one session, its repositories, and the single place that commits."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

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
        self.practices = PracticeRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.handled_views = HandledViewRepository(self.session)
        self.job_runs = JobRunRepository(self.session)
        self.search = SearchRepository(self.session)
        self.ta_requests = TaRequestRepository(self.session)
        self.digests = DigestRepository(self.session)
        self.digest_subscriptions = DigestSubscriptionRepository(self.session)
        self.events = EventRepository(self.session)
        self.rsvps = RsvpRepository(self.session)
        self.reports = ReportRepository(self.session)
        self.home = HomeRepository(self.session)
        self.library = LibraryRepository(self.session)
        self.network_settings = NetworkSettingsRepository(self.session)
        self.ta_offerings = TaOfferingRepository(self.session)
        self.policy_updates = PolicyUpdateRepository(self.session)
        self.policy_followers = PolicyFollowerRepository(self.session)
        return self

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
