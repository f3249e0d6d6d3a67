"""New rows written by one Core INSERT each are stored exactly as the ORM's flush stored them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError

from storage.models import AuditEntry, OutboxMessage, OutboxStatus, Practice, PracticeStatus
from storage.repositories.outbox import NewMessage
from storage.uow import UnitOfWork

AT = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def _practice(title: str) -> Practice:
    """A practice with only what a form gives: status and revision left to their defaults."""
    return Practice(
        submitter_id="UMEMBER01",
        title=title,
        summary="Families read with us.",
        pillars=["family_engagement"],
        county="Alameda",
        region="Bay Area",
        organisation="A school",
        funding_streams=[],
        link=None,
        credit_submitter=True,
        created_at=AT,
        submitted_at=AT,
    )


def test_an_added_submission_has_its_id_and_defaults_and_later_changes_are_saved(
    uows: Callable[[], UnitOfWork],
) -> None:
    """The row comes back whole, stays in the session, and an edit before commit is kept."""
    with uows() as uow:
        practice = uow.practices.add(_practice("Reading nights"))
        assert practice.id is not None
        assert (practice.status, practice.revision) == (PracticeStatus.PENDING, 1)
        assert uow.practices.get(practice.id) is practice
        practice.title = "Family reading nights"
        uow.commit()
        practice_id = practice.id

    with uows() as uow:
        stored = uow.practices.get(practice_id)
        assert stored is not None
        assert (stored.title, stored.status, stored.revision) == (
            "Family reading nights",
            PracticeStatus.PENDING,
            1,
        )
        assert stored.pillars == ["family_engagement"] and stored.link is None


def test_messages_enqueued_together_follow_those_staged_before_in_order(
    uows: Callable[[], UnitOfWork],
) -> None:
    """A staged message, then a batch, keep their order in ids; the audit row is saved too."""
    with uows() as uow:
        uow.outbox.enqueue(method="chat.postMessage", channel="C1", payload={"n": 1}, at=AT)
        uow.outbox.enqueue_all(
            [
                NewMessage("chat.postMessage", "C1", {"n": 2}),
                NewMessage("chat.postMessage", "C2", {"n": 3}, key="review:1"),
            ],
            AT,
        )
        uow.audit.record(
            entity_type="practice", entity_id=1, action="submitted", actor_id="U1", at=AT
        )
        uow.commit()

    with uows() as uow:
        messages = uow.outbox.list()
        assert [m.payload["n"] for m in messages] == [1, 2, 3]
        assert [m.key for m in messages] == [None, None, "review:1"]
        assert all(
            (m.status, m.attempts, m.maybe_sent, m.links, m.created_at)
            == (OutboxStatus.PENDING, 0, False, None, AT)
            for m in messages
        )
        entries = uow.session.scalars(select(AuditEntry)).all()
        assert [(e.action, e.reason, e.at) for e in entries] == [("submitted", None, AT)]


def test_nothing_enqueued_or_audited_is_kept_without_commit(uows: Callable[[], UnitOfWork]) -> None:
    """The Core inserts are in the unit's transaction: leaving without commit keeps none."""
    with uows() as uow:
        uow.practices.add(_practice("Never saved"))
        uow.outbox.enqueue_all([NewMessage("chat.postMessage", "C1", {"n": 1})], AT)
        uow.audit.record(
            entity_type="practice", entity_id=1, action="submitted", actor_id="U", at=AT
        )

    with uows() as uow:
        assert uow.outbox.list() == []
        assert uow.session.scalars(select(Practice)).all() == []
        assert uow.session.scalars(select(AuditEntry)).all() == []
        assert uow.session.scalars(select(OutboxMessage)).all() == []


def test_a_submission_already_in_the_session_is_saved_once(uows: Callable[[], UnitOfWork]) -> None:
    """Adding what the session already holds is the ORM's flush, not a second row."""
    with uows() as uow:
        practice = _practice("Added twice")
        uow.session.add(practice)
        uow.practices.add(practice)
        uow.commit()

    with uows() as uow:
        assert [p.title for p in uow.session.scalars(select(Practice))] == ["Added twice"]


def test_rows_written_together_keep_the_order_they_were_given_in(
    uows: Callable[[], UnitOfWork],
) -> None:
    """A batch's rows, of two tables and several to one channel, get ids in the order given.

    On PostgreSQL they are one statement, whose rows must still reach one channel in order.
    """
    with uows() as uow:
        with uow.batch():
            uow.outbox.enqueue_all([NewMessage("chat.postMessage", "C1", {"n": 1})], AT)
            uow.audit.record(
                entity_type="practice", entity_id=7, action="submitted", actor_id="U1", at=AT
            )
            uow.outbox.enqueue_all(
                [NewMessage("chat.update", "C1", {"n": 2}, update_of="review:7@1")]
                + [NewMessage("chat.postMessage", "C1", {"n": n}) for n in (3, 4)],
                AT,
            )
        uow.commit()

    with uows() as uow:
        messages = uow.outbox.list()
        assert [(m.payload["n"], m.method) for m in messages] == [
            (1, "chat.postMessage"),
            (2, "chat.update"),
            (3, "chat.postMessage"),
            (4, "chat.postMessage"),
        ]
        assert [m.id for m in messages] == sorted(m.id for m in messages)
        assert [m.update_of for m in messages] == [None, "review:7@1", None, None]
        assert all((m.maybe_sent, m.attempts) == (False, 0) for m in messages)
        entries = uow.session.scalars(select(AuditEntry)).all()
        assert [(e.entity_id, e.action) for e in entries] == [(7, "submitted")]


def test_a_batch_left_by_an_error_writes_none_of_its_rows(uows: Callable[[], UnitOfWork]) -> None:
    """What the block collected is dropped with the error, even if the unit then commits."""
    with uows() as uow:
        with pytest.raises(RuntimeError), uow.batch():
            uow.outbox.enqueue_all([NewMessage("chat.postMessage", "C1", {"n": 1})], AT)
            raise RuntimeError("the Block Kit could not be built")
        uow.outbox.enqueue_all([NewMessage("chat.postMessage", "C1", {"n": 2})], AT)
        uow.commit()

    with uows() as uow:
        assert [m.payload["n"] for m in uow.outbox.list()] == [2]


def test_a_submission_is_saved_once_per_view(uows: Callable[[], UnitOfWork]) -> None:
    """The first save of a view returns the row whole; a repeat of it saves nothing."""
    with uows() as uow:
        first = uow.practices.add_once(_practice("Reading nights"), view_id="V1", at=AT)
        assert first is not None and first.id is not None
        assert (first.status, first.revision, first.title) == (
            PracticeStatus.PENDING,
            1,
            "Reading nights",
        )
        assert uow.practices.get(first.id) is first
        uow.commit()

    with uows() as uow:
        assert uow.practices.add_once(_practice("Reading nights"), view_id="V1", at=AT) is None
        other = uow.practices.add_once(_practice("Garden club"), view_id="V2", at=AT)
        assert other is not None
        uow.commit()

    with uows() as uow:
        titles = [p.title for p in uow.session.scalars(select(Practice).order_by(Practice.id))]
        assert titles == ["Reading nights", "Garden club"]


def test_a_value_too_long_for_its_column_is_refused_not_cut_short(
    uows: Callable[[], UnitOfWork],
) -> None:
    """Whether written by one statement or several, a 200-character title is an error.

    The forms keep titles to 150 characters; the database is the last line, and a title or a
    channel cut short without a word would be stored as if it were what was sent. (SQLite
    keeps whatever length it is given, so this is PostgreSQL's.)
    """
    with uows() as uow:
        if uow.session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite does not enforce VARCHAR lengths")
    with uows() as uow, pytest.raises(DataError):
        uow.practices.add_once(_practice("t" * 200), view_id="VLONG", at=AT)
    with uows() as uow, pytest.raises(DataError), uow.batch():
        uow.audit.record(
            entity_type="practice", entity_id=1, action="submitted", actor_id="U1", at=AT
        )
        uow.outbox.enqueue_all([NewMessage("chat.postMessage", "C" * 40, {"n": 1})], AT)

    with uows() as uow:
        assert uow.session.scalars(select(Practice)).all() == []
        assert uow.outbox.list() == []


def test_a_row_added_through_the_orm_inside_a_batch_is_refused(
    uows: Callable[[], UnitOfWork],
) -> None:
    """It would be written before the batch's rows, out of the order the messages were made."""
    with uows() as uow, pytest.raises(RuntimeError), uow.batch():
        uow.outbox.enqueue_all([NewMessage("chat.postMessage", "C1", {"n": 1})], AT)
        uow.outbox.enqueue(method="chat.postMessage", channel="C1", payload={"n": 2}, at=AT)
