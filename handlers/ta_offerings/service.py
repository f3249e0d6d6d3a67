"""Changing a listed offering: live edits, retiring, and the yearly "still offered?".

Submitting and reviewing an offering are the review pipeline's (declared by
`handlers.ta_offerings.kind.TA_OFFERINGS`). Each change here is one unit of work: the
compare-and-set UPDATE, its audit row, the TA channel post's `chat.update`, the search index
and every message it owes, committed together.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from core.config import Settings
from handlers import blocks
from handlers.deps import Deps
from handlers.review.submissions import OUT_OF_DATE
from handlers.ta_offerings import views
from handlers.ta_offerings.views import KIND_NAME
from storage import outbox_links
from storage.models import SearchDocument, TaOffering, TaOfferingStatus
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

RECONFIRM_JOB = "ta_offerings.reconfirm"
RECONFIRM_AFTER = timedelta(days=365)
UNCONFIRMED_AFTER = timedelta(days=30)
GONE = "That TA offering no longer exists."

# What coordinators are told changed, by field.
_LABELS = {
    "organisation": "organisation",
    "description": "description",
    "topics": "topics",
    "regions": "regions",
    "formats": "formats",
    "cost": "cost",
    "languages": "languages",
    "contact_link": "contact link",
    "contacts": "contacts",
}


def post_key(offering_id: int) -> str:
    """Outbox key of the offering's post in the TA channel (its publication)."""
    return outbox_links.published_key(KIND_NAME, offering_id)


def directory_enabled(settings: Settings) -> bool:
    """Offerings are published in the TA channel; until it is set, the form explains that."""
    return settings.ccsn_ta_channel is not None


def search_document(offering: TaOffering, *, at: datetime) -> SearchDocument:
    """The searchable copy of a listed offering (kind `ta_offering`), rebuilt on each edit.

    Organisation and description are searched; a single served region filters `/ccsn search`
    by region (the directory's own search reads every region served).
    """
    regions = list(offering.regions)
    return SearchDocument(
        kind=KIND_NAME,
        ref_id=offering.id,
        title=offering.title,
        body=offering.description,
        organisation=offering.organisation,
        county=None,
        region=regions[0] if len(regions) == 1 else None,
        pillars=[],
        funding_streams=[],
        post_key=post_key(offering.id),
        published_at=at,
    )


def provider_problem(offering: TaOffering | None, user_id: str, settings: Settings) -> str | None:
    """Why `user_id` may not change this listed offering, or None when they may.

    Its member, the people who answer for it, and coordinators may; decided from the user
    Slack vouched for, never from a button's value.
    """
    if offering is None:
        return GONE
    if (
        user_id != offering.submitter_id
        and user_id not in offering.contact_ids
        and not settings.is_coordinator(user_id)
    ):
        return "Only the provider who offered this TA, its contacts or a coordinator can change it."
    if offering.status is TaOfferingStatus.RETIRED:
        return "This TA offering has been retired."
    if offering.status is not TaOfferingStatus.APPROVED:
        return "This TA offering is not listed, so there is nothing to change yet."
    return None


def update_post(uow: UnitOfWork, deps: Deps, offering: TaOffering, now: datetime) -> None:
    """Queue the TA channel post rewritten from the offering as it now stands."""
    key = post_key(offering.id)
    if offering.status is TaOfferingStatus.RETIRED:
        at = blocks.when(offering.retired_at or now, deps.settings.timezone)
        payload = views.retired_post(
            offering, by=offering.retired_by or offering.submitter_id, at_text=at
        )
    else:
        payload = views.published_post(offering)
    uow.outbox.discard_superseded_updates(key, now)
    uow.outbox.enqueue(
        method="chat.update",
        channel=deps.settings.ccsn_ta_channel or "",
        payload=payload,
        at=now,
        update_of=key,
    )


def changed_labels(offering: TaOffering, fields: Mapping[str, object]) -> list[str]:
    """What an edit changes, as coordinators read it."""
    return [_LABELS[f] for f, value in fields.items() if getattr(offering, f) != value]


def edit_live(
    uow: UnitOfWork,
    deps: Deps,
    offering: TaOffering,
    fields: Mapping[str, object],
    *,
    user_id: str,
    sequence: int,
    now: datetime,
) -> str | None:
    """Apply a provider's edit to a listed offering in `uow`; a refusal for the form, or None.

    The TA channel post and the search copy change at once; coordinators are told what
    changed unless a coordinator made the edit.
    """
    if offering.sequence != sequence:
        return OUT_OF_DATE
    # Nobody named means the member who offered it, as when it was first offered.
    named = fields.get("contacts")
    contacts = list(named) if isinstance(named, list) and named else [offering.submitter_id]
    fields = {**fields, "contacts": contacts}
    changes = changed_labels(offering, fields)
    if not changes:
        return None
    if not uow.ta_offerings.edit_published(offering.id, sequence=sequence, changes=fields, at=now):
        return OUT_OF_DATE
    uow.audit.record(
        entity_type=KIND_NAME,
        entity_id=offering.id,
        action="edited",
        actor_id=user_id,
        at=now,
        reason=", ".join(changes),
    )
    update_post(uow, deps, offering, now)
    uow.search.index(search_document(offering, at=now))
    if not deps.settings.is_coordinator(user_id):
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=deps.settings.ccsn_coordinator_channel or "",
            payload=views.edited_notice(
                offering.title, offering_id=offering.id, editor_id=user_id, changes=changes
            ),
            at=now,
        )
    return None


def retire(deps: Deps, *, user_id: str, offering_id: int) -> str:
    """Take an offering out of the directory; what to tell whoever clicked.

    The TA channel post says so (without buttons), search forgets it, and the coordinators
    are told unless a coordinator retired it.
    """
    with deps.uow() as uow:
        now = deps.clock()
        offering = uow.ta_offerings.get(offering_id)
        problem = provider_problem(offering, user_id, deps.settings)
        if problem is not None or offering is None:
            return problem or GONE
        if not uow.ta_offerings.retire(offering_id, actor_id=user_id, at=now):
            return provider_problem(offering, user_id, deps.settings) or OUT_OF_DATE
        uow.audit.record(
            entity_type=KIND_NAME, entity_id=offering_id, action="retired", actor_id=user_id, at=now
        )
        update_post(uow, deps, offering, now)
        uow.search.remove(KIND_NAME, offering_id)
        if not deps.settings.is_coordinator(user_id):
            uow.outbox.enqueue(
                method="chat.postMessage",
                channel=deps.settings.ccsn_coordinator_channel or "",
                payload=views.retired_notice(offering.title, offering_id=offering_id, by=user_id),
                at=now,
            )
        uow.commit()
        return f"Done: *{blocks.escape(offering.title)}* is retired and no longer listed."


def still_offered(deps: Deps, *, user_id: str, offering_id: int) -> str:
    """Still offered: the offering counts as confirmed today; what to tell whoever clicked."""
    with deps.uow() as uow:
        now = deps.clock()
        offering = uow.ta_offerings.get(offering_id)
        problem = provider_problem(offering, user_id, deps.settings)
        if problem is not None or offering is None:
            return problem or GONE
        if not uow.ta_offerings.confirm(offering_id, at=now):
            return "Thanks, this offering is already confirmed for the year."
        uow.audit.record(
            entity_type=KIND_NAME,
            entity_id=offering_id,
            action="confirmed",
            actor_id=user_id,
            at=now,
        )
        update_post(uow, deps, offering, now)  # drops an "unconfirmed" label, if it had one
        uow.commit()
        return (
            f"Thank you: *{blocks.escape(offering.title)}* stays in the directory, confirmed. "
            "I'll ask again in a year."
        )


def send_reconfirmations(deps: Deps) -> int:
    """DM the contacts of every offering confirmed a year ago; returns how many were asked.

    Each question is claimed in `job_runs` (offering and the confirmation it asks about) in the
    same unit of work as its DMs, so it goes out once however many processes run the job.
    """
    now = deps.clock()
    with deps.uow() as uow:
        due = [o.id for o in uow.ta_offerings.due_for_reconfirmation(now - RECONFIRM_AFTER)]
    asked = 0
    for offering_id in due:
        try:
            asked += _ask(deps, offering_id, now)
        except Exception:  # the others are still owed their question
            log.exception("ta_offering.reconfirm_failed offering=%s", offering_id)
    return asked


def _ask(deps: Deps, offering_id: int, now: datetime) -> bool:
    with deps.uow() as uow:
        offering = uow.ta_offerings.get(offering_id)
        if offering is None or offering.status is not TaOfferingStatus.APPROVED:
            return False
        confirmed = offering.confirmed_at
        if confirmed is None or confirmed > now - RECONFIRM_AFTER:
            return False
        period = f"{offering_id}:{int(confirmed.timestamp())}"
        if not uow.job_runs.claim(RECONFIRM_JOB, period, now):
            return False  # another process asked
        if not uow.ta_offerings.mark_asked(offering_id, confirmed_at=confirmed, at=now):
            return False
        message = views.reconfirm_message(offering, offering.title)
        for user_id in offering.contact_ids:
            uow.outbox.enqueue(
                method="chat.postMessage", channel=user_id, payload=dict(message), at=now
            )
        uow.commit()
    log.info("ta_offering.reconfirm_asked offering=%s", offering_id)
    return True


def mark_unconfirmed(deps: Deps) -> int:
    """Label every offering whose yearly question went unanswered for 30 days; how many.

    It stays listed; its post and directory entry say it is unconfirmed until someone answers
    Still offered.
    """
    now = deps.clock()
    with deps.uow() as uow:
        due = [o.id for o in uow.ta_offerings.unanswered_since(now - UNCONFIRMED_AFTER)]
    marked = 0
    for offering_id in due:
        with deps.uow() as uow:
            offering = uow.ta_offerings.get(offering_id)
            asked = offering.reconfirm_asked_at if offering is not None else None
            if offering is None or asked is None or asked > now - UNCONFIRMED_AFTER:
                continue
            if not uow.ta_offerings.mark_unconfirmed(offering_id, asked_at=asked, at=now):
                continue
            uow.audit.record(
                entity_type=KIND_NAME,
                entity_id=offering_id,
                action="unconfirmed",
                actor_id="scheduler",
                at=now,
            )
            update_post(uow, deps, offering, now)
            uow.commit()
            marked += 1
    return marked
