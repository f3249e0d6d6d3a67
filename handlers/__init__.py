"""Bolt listeners, one package per feature; `register_all` is the only thing the app calls.

A feature package that is a kind of submission exposes `KIND` (its `SubmissionKind`); the
review pipeline then serves its form, review and edits. Adding a kind is writing its package
and listing it in `FEATURES`.
"""

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
    policy,
    practices,
    review,
    search,
    ta,
    ta_offerings,
)
from handlers.deps import Deps

# Each is a package with `register(app, deps)`, and optionally `KIND` (a kind of submission),
# `subcommands(deps)` (of `/ccsn`) and `jobs(deps)` (scheduled). Review and Home serve every
# kind, so they are registered with the kinds as well.
FEATURES = (
    practices,
    ta,
    events,
    digest,
    search,
    exports,
    library,
    network,
    ta_offerings,
    policy,
)


def submission_kinds() -> review.SubmissionKinds:
    """Every kind of submission coordinators review, from the features that declare one."""
    return review.SubmissionKinds(
        tuple(feature.KIND for feature in FEATURES if hasattr(feature, "KIND"))
    )


def register_all(app: App, deps: Deps) -> None:
    """Attach every feature's listeners to the app, and `/ccsn` with their subcommands."""
    kinds = submission_kinds()
    review.register(app, deps, kinds)
    home.register(app, deps, kinds)
    for feature in FEATURES:
        feature.register(app, deps)
    ccsn.register(app, all_subcommands(deps))


def all_subcommands(deps: Deps) -> list[ccsn.Subcommand]:
    """Every feature's `/ccsn` subcommands (a feature offers them with `subcommands(deps)`)."""
    found: list[ccsn.Subcommand] = []
    for feature in (*FEATURES, review, home):
        make_subcommands = getattr(feature, "subcommands", None)
        if make_subcommands is not None:
            found.extend(make_subcommands(deps))
    return found


def all_jobs(deps: Deps) -> list[PeriodicJob]:
    """Every feature's scheduled jobs (a feature offers them with a `jobs(deps)` function)."""
    jobs: list[PeriodicJob] = []
    for feature in (*FEATURES, review, home):
        make_jobs = getattr(feature, "jobs", None)
        if make_jobs is not None:
            jobs.extend(make_jobs(deps))
    return jobs
