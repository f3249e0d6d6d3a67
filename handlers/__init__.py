"""Bolt listeners, one package per feature; `register_all` is the only thing the app calls."""

from __future__ import annotations

from slack_bolt import App

from core.schedule import PeriodicJob
from handlers import (
    ccsn,
    digest,
    events,
    exports,
    home,
    library,
    network,
    practices,
    review,
    search,
    ta,
)
from handlers.deps import Deps

FEATURES = (practices, review, ta, events, digest, search, exports, home, library, network)


def register_all(app: App, deps: Deps) -> None:
    """Attach every feature's listeners to the app, and `/ccsn` with their subcommands."""
    for feature in FEATURES:
        feature.register(app, deps)
    ccsn.register(app, all_subcommands(deps))


def all_subcommands(deps: Deps) -> list[ccsn.Subcommand]:
    """Every feature's `/ccsn` subcommands (a feature offers them with `subcommands(deps)`)."""
    found: list[ccsn.Subcommand] = []
    for feature in FEATURES:
        make_subcommands = getattr(feature, "subcommands", None)
        if make_subcommands is not None:
            found.extend(make_subcommands(deps))
    return found


def all_jobs(deps: Deps) -> list[PeriodicJob]:
    """Every feature's scheduled jobs (a feature offers them with a `jobs(deps)` function)."""
    jobs: list[PeriodicJob] = []
    for feature in FEATURES:
        make_jobs = getattr(feature, "jobs", None)
        if make_jobs is not None:
            jobs.extend(make_jobs(deps))
    return jobs
