"""Claiming scheduled runs, so each happens once however many processes try."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import JobRun


class JobRunRepository:
    """Inserts `job_runs` rows inside the transaction that does the job's work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, job: str, period: str, at: datetime) -> bool:
        """Take the run of `job` for `period`; False if another run (anywhere) has it.

        Call it in the same unit of work as the job's effects: if that work rolls back, so does
        the claim, and the run can be tried again.
        """
        try:
            with self._session.begin_nested():
                self._session.add(JobRun(job=job, period=period, ran_at=at))
        except IntegrityError:
            return False
        return True

    def has_run(self, job: str, period: str) -> bool:
        """Whether `job` already ran for `period`."""
        query = select(JobRun.job).where(JobRun.job == job, JobRun.period == period)
        return self._session.scalar(query) is not None
