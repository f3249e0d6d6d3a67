"""The app factory: builds the Bolt app and everything a running bot owns, from `Settings`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.delivery_alerts import notify_coordinators
from bot.envelope import EnvelopeCheck
from bot.events_dedupe import dedupe_events
from bot.guard import GuardedApp, error_handler
from bot.outbox import OutboxDelivery, OutboxWorker
from bot.scheduler import JobScheduler
from bot.slack_client import make_client
from core.clock import Clock, utc_now
from core.config import Settings
from handlers import all_jobs, register_all
from handlers.deps import Deps
from handlers.network import service as network_service
from handlers.network.provider import StoredSettings
from storage.db import make_engine, make_reader_engine, make_session_factory
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


def create_app(
    deps: Deps,
    client: WebClient,
    *,
    verify_token: bool = True,
    listener_executor: Executor | None = None,
) -> GuardedApp:
    """A Bolt app with every feature registered.

    Listeners run before the HTTP response (`process_before_response`): they only validate,
    write to the database and answer, so they finish well inside Slack's 3 seconds, and the
    slow part (talking to Slack) is left to the outbox. Work that must happen after the answer
    but cannot wait for the outbox (an export's upload) runs as a Bolt lazy listener on
    `listener_executor` (Bolt's thread pool unless given; tests pass one that runs inline).
    """
    secret = deps.settings.slack_signing_secret
    signing_secret = secret.get_secret_value() if secret else ""
    app = GuardedApp(
        client=client,
        signing_secret=signing_secret,
        process_before_response=True,
        token_verification_enabled=verify_token,
        logger=logging.getLogger("slack_bolt"),
        listener_executor=listener_executor,
        # before Bolt's own authorization, which already reads `event` as an object
        before_authorize=EnvelopeCheck(client),
    )
    app.middleware(dedupe_events(deps))
    app.error(error_handler(client, signing_secret))
    register_all(app, deps)
    return app


@dataclass
class Runtime:
    """A bot ready to serve: its app, database, Slack client and outbox worker."""

    settings: Settings
    engine: Engine
    reader_engine: Engine
    deps: Deps
    app: GuardedApp
    delivery: OutboxDelivery
    worker: OutboxWorker
    scheduler: JobScheduler
    _closed: bool = field(default=False, repr=False)

    def start_background(self) -> None:
        """Start delivering the outbox and running scheduled jobs (serving processes only)."""
        network_service.seed(self.deps)
        self.worker.start()
        self.scheduler.start()

    def close(self) -> None:
        """Stop delivering (queued messages stay queued) and release the database."""
        if self._closed:
            return
        self._closed = True
        self.scheduler.stop()
        self.worker.stop()
        self.engine.dispose()
        self.reader_engine.dispose()


def build_runtime(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    verify_token: bool = True,
    listener_executor: Executor | None = None,
    wake: Callable[[], None] | None = None,
) -> Runtime:
    """Wire settings, storage, the Slack client, the outbox and the Bolt app together.

    Each commit wakes this runtime's own outbox worker, or calls `wake` instead when the
    outbox runs in another process (`bot.supervisor`).
    """
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    client = make_client(settings)
    delivery = OutboxDelivery(
        lambda: UnitOfWork(sessions),
        make_client(settings, for_outbox=True),
        clock,
        on_failure=notify_coordinators(lambda: deps.settings),
    )
    worker = OutboxWorker(delivery)
    # Features read the effective settings (environment over Home's choices over defaults)
    # through `deps.settings`, re-read within a second of a change in any process.
    reader_engine = make_reader_engine(settings.database_url)
    readers = make_session_factory(reader_engine)
    source = StoredSettings(settings, lambda: UnitOfWork(readers), clock)
    deps = Deps(settings=source, uow=lambda: UnitOfWork(sessions, wake or worker.wake), clock=clock)
    app = create_app(deps, client, verify_token=verify_token, listener_executor=listener_executor)
    scheduler = JobScheduler(
        all_jobs(deps), settings.timezone, clock, refresh=lambda: all_jobs(deps)
    )
    return Runtime(
        settings=settings,
        engine=engine,
        reader_engine=reader_engine,
        deps=deps,
        app=app,
        delivery=delivery,
        worker=worker,
        scheduler=scheduler,
    )
