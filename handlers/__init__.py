"""Bolt listeners, one package per feature; `register_all` is the only thing the app calls."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.scheduler import PeriodicJob
from handlers import events, practices, review

FEATURES = (practices, review, events)


def register_all(app: App, deps: Deps) -> None:
    """Attach every feature's listeners to the app."""
    for feature in FEATURES:
        feature.register(app, deps)


def all_jobs(deps: Deps) -> list[PeriodicJob]:
    """Every feature's scheduled jobs (a feature offers them with a `jobs(deps)` function)."""
    jobs: list[PeriodicJob] = []
    for feature in FEATURES:
        make_jobs = getattr(feature, "jobs", None)
        if make_jobs is not None:
            jobs.extend(make_jobs(deps))
    return jobs
