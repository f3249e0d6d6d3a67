"""TA requests: asking, claiming, releasing, resolving, cancelling and feedback.

Every rule lives here: who may act (from settings and the user Slack vouches for, never from a
button's value), which moves each status allows, and which Slack messages each move owes. A
move, its audit row and those messages are committed together, so a crash can delay a message
but never lose it, and of two providers claiming at once exactly one wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.deps import Deps
from handlers.ta import notices, routing, views
from handlers.ta.schemas import TaOutcome, TaRequestForm
from storage import outbox_links
from storage.models import TaFeedback, TaOfferingStatus, TaRequest, TaStatus
from storage.uow import UnitOfWork

NOT_SET_UP = (
    "TA requests are not set up yet (CCSN_TA_CHANNEL is not set). "
    "Please tell a network coordinator."
)
NOT_PROVIDER = "Only TA providers and coordinators can claim TA requests."
NOT_REQUESTER = "Only the member who asked for this help can do that."
GONE = "That TA request no longer exists."
# Covering offerings read to find the contacts to mention (of whom at most five are).
COVERING_MAX = 20

# The only moves a request's status may make; anything else is refused with a message.
ALLOWED_MOVES: dict[TaStatus, frozenset[TaStatus]] = {
    TaStatus.OPEN: frozenset({TaStatus.CLAIMED, TaStatus.CANCELLED}),
    TaStatus.CLAIMED: frozenset({TaStatus.RESOLVED, TaStatus.OPEN, TaStatus.CANCELLED}),
    TaStatus.RESOLVED: frozenset(),
    TaStatus.CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class SubmitResult:
    """A saved request id (None for a repeated view), or why nothing was saved."""

    request_id: int | None = None
    error: str | None = None


def post_key(request_id: int) -> str:
    """Outbox key of the request's post in the TA channel, which later moves edit in place."""
    return outbox_links.ta_post_key(request_id)


def refusal(request: TaRequest, to: TaStatus) -> str | None:
    """Why `request` cannot move to `to` from where it stands, or None when it can."""
    if to in ALLOWED_MOVES[request.status]:
        return None
    holder = f" by <@{request.claimed_by}>" if request.claimed_by else ""
    ref = views.reference(request.id)
    if request.status is TaStatus.CLAIMED:
        return f"{ref} is already claimed{holder}."
    if request.status is TaStatus.OPEN:
        return f"{ref} is open: nobody has claimed it yet."
    if request.status is TaStatus.RESOLVED:
        return f"{ref} was already resolved{holder}."
    return f"{ref} was cancelled by the member who asked."


def _changed(request: TaRequest) -> str:
    """The answer when a compare-and-set lost to a change this check did not explain."""
    return f"{views.reference(request.id)} changed just now; please look at it again."


def _channel_post(deps: Deps, request: TaRequest) -> dict[str, object]:
    route = routing.route(deps.settings, request.region)
    return views.channel_post(
        request,
        recipients=route.recipients,
        regional=route.regional,
        tz=deps.settings.timezone,
        offering_contacts=request.offering_people,
    )


def _directory_match(
    uow: UnitOfWork, form: TaRequestForm, offering_id: int | None
) -> tuple[int | None, list[str], int]:
    """What the TA directory has for a request: the offering asked of, contacts, matches.

    The offering asked of counts only while it is listed; the contacts are those to mention;
    the count is of the listed offerings covering the request.
    """
    asked = uow.ta_offerings.get(offering_id) if offering_id else None
    if asked is not None and asked.status is not TaOfferingStatus.APPROVED:
        asked = None
    covering = uow.ta_offerings.covering(form.topic, form.region, limit=COVERING_MAX)
    contacts = routing.offering_contacts(
        asked.contact_ids if asked else [], (o.contact_ids for o in covering)
    )
    matched = {o.id for o in covering} | ({asked.id} if asked else set())
    return (asked.id if asked else None), contacts, len(matched)


def _update_post(uow: UnitOfWork, deps: Deps, request: TaRequest, now: datetime) -> None:
    """Queue the edit that shows the request's new status on its TA channel post."""
    uow.outbox.enqueue(
        method="chat.update",
        channel=deps.settings.ccsn_ta_channel or "",  # the outbox edits where the post went
        payload=_channel_post(deps, request),
        at=now,
        update_of=post_key(request.id),
    )


def _dm(uow: UnitOfWork, user_id: str, payload: dict[str, object], now: datetime) -> None:
    uow.outbox.enqueue(method="chat.postMessage", channel=user_id, payload=payload, at=now)


def _audit(
    uow: UnitOfWork, request_id: int, action: str, actor_id: str, now: datetime, reason: str = ""
) -> None:
    uow.audit.record(
        entity_type="ta_request",
        entity_id=request_id,
        action=action,
        actor_id=actor_id,
        at=now,
        reason=reason or None,
    )


def submit_request(
    deps: Deps,
    *,
    requester_id: str,
    form: TaRequestForm,
    view_id: str,
    offering_id: int | None = None,
) -> SubmitResult:
    """Save a new open request, post it for the region's providers, and DM the reference.

    The post mentions the contacts of matching TA directory offerings first, those of
    `offering_id` (Request from them) before any other. A view submitted twice (the member
    retried after a slow answer) saves one request.
    """
    channel = deps.settings.ccsn_ta_channel
    if not channel:
        return SubmitResult(error=NOT_SET_UP)
    with deps.uow() as uow:
        now = deps.clock()
        if not uow.handled_views.claim(view_id, now):
            return SubmitResult()
        asked, contacts, matched = _directory_match(uow, form, offering_id)
        request = uow.ta_requests.add(
            TaRequest(
                status=TaStatus.OPEN,
                requester_id=requester_id,
                topic=form.topic,
                need=form.need,
                county=form.county,
                region=form.region,
                organisation=form.organisation,
                needed_by=form.needed_by,
                format=form.format,
                share_in_digest=form.share_in_digest,
                created_at=now,
                opened_at=now,
                claims=0,
                offering_id=asked,
                offering_contacts=contacts,
                matched_offerings=matched,
            )
        )
        _audit(uow, request.id, "submitted", requester_id, now)
        uow.outbox.enqueue(
            method="chat.postMessage",
            channel=channel,
            payload=_channel_post(deps, request),
            at=now,
            key=post_key(request.id),
        )
        _dm(uow, requester_id, notices.receipt_message(request), now)
        uow.commit()
        return SubmitResult(request_id=request.id)


def claim(deps: Deps, *, actor_id: str, request_id: int) -> TaOutcome:
    """A provider or coordinator takes an open request; of racing claims exactly one wins."""
    with deps.uow() as uow:
        now = deps.clock()
        request = uow.ta_requests.get(request_id)
        if not routing.may_claim(
            deps.settings, actor_id, request.offering_people if request else ()
        ):
            return TaOutcome(False, NOT_PROVIDER)
        if request is None:
            return TaOutcome(False, GONE)
        problem = refusal(request, TaStatus.CLAIMED)
        if problem:
            return TaOutcome(False, problem)
        if not uow.ta_requests.claim(request_id, provider_id=actor_id, at=now):
            return TaOutcome(False, refusal(request, TaStatus.CLAIMED) or _changed(request))
        _audit(uow, request_id, "claimed", actor_id, now)
        _update_post(uow, deps, request, now)
        _dm(uow, request.requester_id, notices.claimed_message(request, actor_id), now)
        uow.commit()
    return TaOutcome(True)


def _holder_problem(deps: Deps, request: TaRequest, actor_id: str, to: TaStatus) -> str | None:
    """Why `actor_id` may not resolve or release this request, or None when they may.

    Only the claimer resolves; the claimer or a coordinator (to free a request held by someone
    who has gone quiet) may release.
    """
    problem = refusal(request, to)
    if problem:
        return problem
    if request.claimed_by == actor_id:
        return None
    if to is TaStatus.OPEN and deps.settings.is_coordinator(actor_id):
        return None
    verb = "mark it resolved" if to is TaStatus.RESOLVED else "release it"
    return (
        f"{views.reference(request.id)} is held by <@{request.claimed_by}>; only they can {verb}."
    )


def release(deps: Deps, *, actor_id: str, request_id: int) -> TaOutcome:
    """The claimer (or a coordinator) gives a claimed request back: open for others again."""
    with deps.uow() as uow:
        now = deps.clock()
        request = uow.ta_requests.get(request_id)
        if request is None:
            return TaOutcome(False, GONE)
        problem = _holder_problem(deps, request, actor_id, TaStatus.OPEN)
        if problem:
            return TaOutcome(False, problem)
        holder = request.claimed_by or ""
        if not uow.ta_requests.release(request_id, holder_id=holder, at=now):
            problem = _holder_problem(deps, request, actor_id, TaStatus.OPEN)
            return TaOutcome(False, problem or _changed(request))
        _audit(uow, request_id, "released", actor_id, now)
        _update_post(uow, deps, request, now)
        _dm(uow, request.requester_id, notices.released_message(request, holder), now)
        if actor_id != holder:
            _dm(uow, holder, notices.released_by_coordinator_message(request, actor_id), now)
        uow.commit()
    return TaOutcome(True)


def check_can_resolve(deps: Deps, *, actor_id: str, request_id: int) -> TaRequest | str:
    """The request to show in the resolve form, or why `actor_id` cannot resolve it now."""
    with deps.uow() as uow:
        request = uow.ta_requests.get(request_id)
        if request is None:
            return GONE
        return _holder_problem(deps, request, actor_id, TaStatus.RESOLVED) or request


def resolve(deps: Deps, *, actor_id: str, request_id: int, note: str, view_id: str) -> TaOutcome:
    """The claimer closes the request with a note; the member gets it and a feedback button."""
    with deps.uow() as uow:
        now = deps.clock()
        request = uow.ta_requests.get(request_id)
        if request is None:
            return TaOutcome(False, GONE)
        if not uow.handled_views.claim(view_id, now):
            return TaOutcome(True)  # this form was already handled; nothing more to do
        problem = _holder_problem(deps, request, actor_id, TaStatus.RESOLVED)
        if problem:
            return TaOutcome(False, problem)
        if not uow.ta_requests.resolve(request_id, holder_id=actor_id, note=note, at=now):
            problem = _holder_problem(deps, request, actor_id, TaStatus.RESOLVED)
            return TaOutcome(False, problem or _changed(request))
        _audit(uow, request_id, "resolved", actor_id, now, reason=note)
        _update_post(uow, deps, request, now)
        _dm(uow, request.requester_id, notices.resolved_message(request, actor_id), now)
        uow.commit()
    return TaOutcome(True)


def cancel(deps: Deps, *, actor_id: str, request_id: int) -> TaOutcome:
    """The member withdraws an open or claimed request; whoever held it is told."""
    with deps.uow() as uow:
        now = deps.clock()
        request = uow.ta_requests.get(request_id)
        if request is None:
            return TaOutcome(False, GONE)
        if request.requester_id != actor_id:
            return TaOutcome(False, NOT_REQUESTER)
        problem = refusal(request, TaStatus.CANCELLED)
        if problem:
            return TaOutcome(False, problem)
        if not uow.ta_requests.cancel(request_id, requester_id=actor_id, at=now):
            return TaOutcome(False, refusal(request, TaStatus.CANCELLED) or _changed(request))
        _audit(uow, request_id, "cancelled", actor_id, now)
        _update_post(uow, deps, request, now)
        _dm(uow, actor_id, notices.cancelled_message(request), now)
        # Who held it comes from the row the UPDATE cancelled, not the one read above: a claim
        # may have landed in between, and that provider must hear. (Release clears it.)
        if request.claimed_by:
            _dm(uow, request.claimed_by, notices.cancelled_for_holder_message(request), now)
        uow.commit()
    return TaOutcome(True)


def record_feedback(deps: Deps, *, actor_id: str, request_id: int, helpful: bool) -> TaOutcome:
    """Keep the member's first answer to "Was this helpful?" with the request."""
    feedback = TaFeedback.HELPFUL if helpful else TaFeedback.NOT_HELPFUL
    with deps.uow() as uow:
        now = deps.clock()
        request = uow.ta_requests.get(request_id)
        if request is None:
            return TaOutcome(False, GONE)
        if request.requester_id != actor_id:
            return TaOutcome(False, NOT_REQUESTER)
        if request.status is not TaStatus.RESOLVED:
            return TaOutcome(False, f"{views.reference(request_id)} is not resolved yet.")
        if not uow.ta_requests.record_feedback(
            request_id, requester_id=actor_id, feedback=feedback, at=now
        ):
            return TaOutcome(False, "You already told us about this one. Thank you!")
        _audit(uow, request_id, f"feedback_{feedback.value}", actor_id, now)
        uow.commit()
    return TaOutcome(True, notices.feedback_thanks(helpful))
