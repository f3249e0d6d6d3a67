"""Scheduled work already done: the database's guarantee of "once per due time"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UtcDateTime


class JobRun(Base):
    """One run of a job for one period (or one item).

    Whichever process inserts the row first has the run; the primary key makes every later
    claim fail, on SQLite and PostgreSQL alike, across restarts and replicas.
    """

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(128), primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime())
