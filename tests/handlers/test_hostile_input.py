"""Property-based: any submission of any modal gets 200 with field errors or one whole record.

Random strings, unicode, very long text, missing blocks, unknown options, wrong types and junk
`private_metadata`: never a 500 or a traceback, and nothing half-written in the database. Every
`app.view(...)` callback in `handlers/` has an entry in `MODALS` (`test_every_modal_is_covered`
fails when one is missing). A new modal costs one `Modal(...)`: its blocks, built with the
strategies in `hostile_forms.py`, a valid state, its metadata keys, and what a success saves.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

import handlers
from core.config import Settings
from core.vocabulary import (
    EVENT_TYPES,
    FUNDING_STREAMS,
    PILLARS,
    POLICY_KINDS,
    REGION_OF_COUNTY,
    REGIONS,
    STAGE_LABELS,
    TA_COSTS,
    TA_FORMATS,
    TA_LANGUAGES,
    TA_OFFER_FORMATS,
    TA_TOPICS,
)
from demokit import simulate
from demokit.fake_slack import FakeSlack, block_kit_problems
from handlers import forms
from handlers.digest import ids as digest_ids
from handlers.events import ids as event_ids
from handlers.events.service import announcement_key
from handlers.policy import ids as policy_ids
from handlers.policy.service import post_key as policy_post_key
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from handlers.ta import ids as ta_ids
from handlers.ta_offerings import ids as offering_ids
from storage.models import (
    Base,
    DigestSubscription,
    Event,
    EventStatus,
    OutboxStatus,
    PolicyStatus,
    PolicyUpdate,
    Practice,
    PracticeStatus,
    TaOffering,
    TaOfferingStatus,
    TaRequest,
    TaStatus,
)
from tests.conftest import COORDINATORS, MEMBER, make_settings
from tests.handlers.events.helpers import EVENTS_CHANNEL, STARTS
from tests.handlers.hostile_forms import (
    AWKWARD_IDS,
    INT_OR_NONE_CRASHES,
    TRICKY,
    Block,
    an_id,
    date_input,
    datetime_input,
    form_state,
    junk,
    metadata,
    multi_select,
    single_select,
    text_input,
    users_select,
)
from tests.handlers.policy.helpers import POLICY_CHANNEL
from tests.handlers.ta.conftest import TA_SETTINGS
from tests.handlers.ta.support import NETWORK_PROVIDER, STRANGER, TA_CHANNEL, ask, ta_values
from tests.harness import Bot, body_json

pytestmark = pytest.mark.reliability

_view_ids = itertools.count(1)


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    """Every feature switched on, so every modal can save."""
    return make_settings(
        slack,
        schema,
        ccsn_events_channel=EVENTS_CHANNEL,
        ccsn_digest_channel="CDIGEST01",
        ccsn_policy_channel=POLICY_CHANNEL,
        **TA_SETTINGS,
    )


# --- Reading the database back -----------------------------------------------------------------

Snapshot = dict[str, dict[tuple[Any, ...], str]]


def database_snapshot(bot: Bot) -> Snapshot:
    """Every row of every table by primary key, as text: equal snapshots mean nothing changed."""
    snapshot: Snapshot = {}
    with bot.runtime.deps.uow() as uow:
        for table in Base.metadata.sorted_tables:
            key = list(table.primary_key.columns)
            snapshot[table.name] = {
                tuple(row._mapping[c] for c in key): repr(tuple(row))
                for row in uow.session.execute(select(table))
            }
    return snapshot


@dataclass(frozen=True)
class Submitted:
    """One submission, what was prepared for it, and the database before and after."""

    bot: Bot
    user: str
    state: Any
    prepared: dict[str, Any]
    before: Snapshot
    after: Snapshot

    def text(self, block_id: str, action_id: str) -> str:
        """A text input as the form sent it (and as every handler reads it)."""
        return forms.text_value(self.state, block_id, action_id)

    def changed(self, model: type[Any]) -> list[Any]:
        """The rows of `model` this submission added or changed."""
        table = model.__table__
        before, after = self.before[table.name], self.after[table.name]
        ids = [key[0] for key, row in after.items() if before.get(key) != row]
        with self.bot.runtime.deps.uow() as uow:
            return list(uow.session.scalars(select(model).where(model.id.in_(ids))))

    def added(self, table: str) -> int:
        """How many rows of `table` this submission added."""
        return len(self.after[table]) - len(self.before[table])


# --- The modals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Modal:
    """How to fill in one modal, and what a successful submission must have saved.

    `prepare` makes what the form is about (a claimed TA request, an approved event); `good`,
    `users`, `metadata` (a strategy per key) and `real_metadata` (what the bot's own form
    carries) may use what it returns. `saved` asserts that what a success left is whole.
    """

    callback_id: str
    blocks: Mapping[str, Block]
    good: Callable[[dict[str, Any]], dict[str, Any]]
    saved: Callable[[Submitted], None]
    users: Callable[[dict[str, Any]], Sequence[str]] = lambda _: (MEMBER,)
    metadata: Callable[[dict[str, Any]], Mapping[str, st.SearchStrategy[Any]]] = lambda _: {}
    real_metadata: Callable[[dict[str, Any]], dict[str, Any]] = lambda _: {}
    prepare: Callable[[Bot], dict[str, Any]] = lambda _: {}
    examples: int = 60
    # A search form (Find TA): it answers with a new view (`update`) and writes nothing.
    searches: bool = False


def practice_saved(sub: Submitted) -> None:
    [new] = sub.changed(Practice)
    assert new.status is PracticeStatus.PENDING
    assert new.submitter_id == sub.user
    assert new.title and new.summary and new.organisation and new.pillars
    assert new.region == REGION_OF_COUNTY[new.county]


def reason_saved(sub: Submitted) -> None:
    [decided] = sub.changed(Practice)
    assert sub.user in COORDINATORS
    assert decided.status is not PracticeStatus.PENDING
    assert decided.decided_by == sub.user
    assert decided.decision_reason == sub.text(review_ids.REASON_BLOCK, review_ids.REASON_INPUT)


def ta_request_saved(sub: Submitted) -> None:
    [new] = sub.changed(TaRequest)
    assert new.status is TaStatus.OPEN
    assert new.requester_id == sub.user
    assert new.topic in TA_TOPICS and new.format in TA_FORMATS
    assert new.need and new.organisation and new.region == REGION_OF_COUNTY[new.county]


def offering_saved(sub: Submitted) -> None:
    [new] = sub.changed(TaOffering)
    assert new.status is TaOfferingStatus.PENDING
    assert new.submitter_id == sub.user and new.contact_ids
    assert new.organisation and len(new.description) >= 10
    assert new.topics and set(new.topics) <= set(TA_TOPICS)
    assert new.regions and set(new.regions) <= {"statewide", *REGIONS}
    assert new.formats and set(new.formats) <= set(TA_OFFER_FORMATS)
    assert new.cost in TA_COSTS and set(new.languages) <= set(TA_LANGUAGES)
    assert new.contact_link.startswith(("https://", "mailto:", "MAILTO:", "Mailto:"))


def resolution_saved(sub: Submitted) -> None:
    [resolved] = sub.changed(TaRequest)
    assert resolved.status is TaStatus.RESOLVED
    assert resolved.claimed_by == sub.user
    assert resolved.resolution == sub.text(ta_ids.NOTE_BLOCK, ta_ids.NOTE_INPUT)


def event_saved(sub: Submitted) -> None:
    [event] = sub.changed(Event)
    assert event.title and event.host_organisation and event.description
    assert event.event_type in EVENT_TYPES
    assert event.starts_at < event.ends_at <= event.starts_at + timedelta(days=31)
    assert event.location or event.virtual_link


def cancellation_saved(sub: Submitted) -> None:
    [event] = sub.changed(Event)
    assert event.status is EventStatus.CANCELLED
    assert event.cancelled_by == sub.user
    reason = sub.text(event_ids.CANCEL_REASON_BLOCK, event_ids.CANCEL_REASON_INPUT)
    assert (event.cancel_reason or "") == reason


def nothing_saved(sub: Submitted) -> None:
    assert sub.after == sub.before, "a search wrote to the database"


def subscription_saved(sub: Submitted) -> None:
    assert len(sub.changed(DigestSubscription)) <= 1  # the same filters again change nothing
    with sub.bot.runtime.deps.uow() as uow:
        [mine] = uow.session.scalars(
            select(DigestSubscription).where(DigestSubscription.user_id == sub.user)
        )
    assert set(mine.regions) <= set(REGIONS)
    assert set(mine.pillars) <= set(PILLARS)
    assert set(mine.ta_topics) <= set(TA_TOPICS)
    assert set(mine.funding_streams) <= set(FUNDING_STREAMS)


def policy_saved(sub: Submitted) -> None:
    [new] = sub.changed(PolicyUpdate)
    assert new.status is PolicyStatus.PENDING
    assert new.submitter_id == sub.user
    assert new.title and new.summary and new.pillars
    assert new.update_kind in POLICY_KINDS and new.stage in STAGE_LABELS
    assert new.source_link.startswith("https://")
    assert len(new.key_dates) <= 3


def stage_saved(sub: Submitted) -> None:
    [changed] = sub.changed(PolicyUpdate)
    assert changed.status is PolicyStatus.APPROVED
    assert changed.history and changed.history[-1]["by"] == sub.user
    assert changed.stage in STAGE_LABELS


def dates_saved(sub: Submitted) -> None:
    [changed] = sub.changed(PolicyUpdate)
    assert changed.status is PolicyStatus.APPROVED
    assert changed.history and changed.history[-1]["by"] == sub.user
    assert changed.key_dates != [{"label": "Hearing", "on": "2026-12-10"}]


DATE_BLOCKS = {block for fields in policy_ids.DATE_FIELDS for block in (fields[0], fields[2])}


def moved_dates(_: dict[str, Any]) -> dict[str, Any]:
    """Change key dates filled in: the hearing moved, two dates added, a note."""
    values = simulate.policy_values(
        key_dates=[
            ("Hearing", "2026-12-17"),
            ("Floor vote", "2027-01-15"),
            ("Signing deadline", "2027-02-01"),
        ]
    )
    return {
        **{block: state for block, state in values.items() if block in DATE_BLOCKS},
        policy_ids.NOTE_BLOCK: simulate.text_state(policy_ids.NOTE_INPUT, "Hearing postponed"),
    }


def approved_policy_update(bot: Bot) -> dict[str, Any]:
    """An approved bill of MEMBER's, posted; written straight to the database (quick)."""
    now = bot.clock()
    with bot.runtime.deps.uow() as uow:
        update = uow.policy_updates.add(
            PolicyUpdate(
                status=PolicyStatus.APPROVED,
                submitter_id=MEMBER,
                title="Coordinator bill",
                update_kind="bill",
                jurisdiction="state",
                region=None,
                district=None,
                identifier="AB 2117",
                stage="in_committee",
                key_dates=[{"label": "Hearing", "on": "2026-12-10"}],
                source_link="https://leginfo.legislature.ca.gov/",
                summary="Funds a coordinator at every community school.",
                pillars=["leadership"],
                funding_streams=[],
                how_to_act=None,
                history=[],
                revision=1,
                sequence=0,
                created_at=now,
                submitted_at=now,
                updated_at=now,
                decided_at=now,
                decided_by=COORDINATORS[0],
            )
        )
        post = uow.outbox.enqueue(
            method="chat.postMessage",
            channel=POLICY_CHANNEL,
            payload={"text": update.title},
            at=now,
            key=policy_post_key(update.id),
        )
        post.status, post.ts, post.sent_at = OutboxStatus.SENT, f"1690000001.{update.id:06d}", now
        uow.commit()
        return {"update": update.id, "sequence": update.sequence}


def pending_practice(bot: Bot) -> dict[str, Any]:
    bot.share(MEMBER, view_id=f"VSEED{next(_view_ids):06d}")
    with bot.runtime.deps.uow() as uow:
        practice_id = uow.session.scalar(select(Practice.id).order_by(Practice.id.desc()))
    return {"practice": practice_id}


def practice_in_review(bot: Bot) -> dict[str, Any]:
    """A pending practice a coordinator clicked Reject on, and the form that click opened."""
    practice = pending_practice(bot)
    bot.deliver()
    bot.click_review(
        review_ids.REJECT_ACTION, COORDINATORS[0], kind="practice", item_id=practice["practice"]
    )
    return {**practice, "form": json.loads(bot.reason_modal()["private_metadata"])}


def claimed_request(bot: Bot) -> dict[str, Any]:
    ask(bot, MEMBER, view_id=f"VSEED{next(_view_ids):06d}")
    with bot.runtime.deps.uow() as uow:
        request_id = uow.session.scalar(select(TaRequest.id).order_by(TaRequest.id.desc()))
    bot.click(ta_ids.CLAIM_ACTION, str(request_id), NETWORK_PROVIDER, TA_CHANNEL)
    return {"request": request_id}


def approved_event(bot: Bot) -> dict[str, Any]:
    """An approved event of MEMBER's, announced; written straight to the database (quick)."""
    now = bot.clock()
    with bot.runtime.deps.uow() as uow:
        event = uow.events.add(
            Event(
                status=EventStatus.APPROVED,
                submitter_id=MEMBER,
                title="Family engagement community of practice",
                event_type="community_of_practice",
                starts_at=STARTS,
                ends_at=STARTS + timedelta(hours=1),
                virtual_link="https://example.org/zoom/123",
                location=None,
                registration_link=None,
                host_organisation="Learning Policy Institute",
                region="statewide",
                description="Coordinators share how they run family resource nights.",
                revision=1,
                sequence=0,
                created_at=now,
                submitted_at=now,
                updated_at=now,
                decided_at=now,
                decided_by=COORDINATORS[0],
            )
        )
        post = uow.outbox.enqueue(
            method="chat.postMessage",
            channel=EVENTS_CHANNEL,
            payload={"text": event.title},
            at=now,
            key=announcement_key(event.id),
        )
        post.status, post.ts, post.sent_at = OutboxStatus.SENT, f"1690000000.{event.id:06d}", now
        uow.commit()
        return {"event": event.id, "revision": event.revision, "sequence": event.sequence}


def text_state(block_id: str, action_id: str, value: str) -> Callable[[Any], dict[str, Any]]:
    return lambda _: {block_id: simulate.text_state(action_id, value)}


COUNTIES = sorted(REGION_OF_COUNTY)

MODALS = [
    Modal(
        practice_ids.PRACTICE_MODAL,
        {
            practice_ids.TITLE_BLOCK: text_input(practice_ids.TITLE_INPUT),
            practice_ids.SUMMARY_BLOCK: text_input(practice_ids.SUMMARY_INPUT),
            practice_ids.ORGANISATION_BLOCK: text_input(practice_ids.ORGANISATION_INPUT),
            practice_ids.LINK_BLOCK: text_input(practice_ids.LINK_INPUT),
            practice_ids.PILLARS_BLOCK: multi_select(practice_ids.PILLARS_INPUT, list(PILLARS)),
            practice_ids.COUNTY_BLOCK: single_select(practice_ids.COUNTY_INPUT, COUNTIES),
            practice_ids.FUNDING_BLOCK: multi_select(
                practice_ids.FUNDING_INPUT, list(FUNDING_STREAMS)
            ),
            practice_ids.CREDIT_BLOCK: single_select(
                practice_ids.CREDIT_INPUT, ["named", "anonymous"]
            ),
        },
        good=lambda _: simulate.practice_values(),
        saved=practice_saved,
        metadata=lambda _: {
            "ref": st.one_of(st.just("practice:1"), st.just("event:1"), an_id(1), junk),
            "revision": an_id(1),
            "live": st.one_of(st.booleans(), junk),
            "sequence": an_id(0),
        },
    ),
    Modal(
        review_ids.REASON_MODAL,
        {review_ids.REASON_BLOCK: text_input(review_ids.REASON_INPUT)},
        good=text_state(review_ids.REASON_BLOCK, review_ids.REASON_INPUT, "Add what it cost."),
        saved=reason_saved,
        users=lambda _: (COORDINATORS[0], MEMBER),
        metadata=lambda p: {
            "ref": st.one_of(
                st.sampled_from([f"practice:{p['practice']}", f"event:{p['practice']}"]),
                st.sampled_from(["practice:²", "practice:0", "Practice:1", ":1", "x:1:2"]),
                an_id(p["practice"]),
            ),
            "revision": an_id(1),
            "practice_id": an_id(p["practice"]),
            "decision": st.one_of(st.sampled_from(["reject", "request_changes", "approve"]), junk),
        },
        real_metadata=lambda p: p["form"],
        prepare=practice_in_review,
    ),
    Modal(
        ta_ids.REQUEST_MODAL,
        {
            ta_ids.TOPIC_BLOCK: single_select(ta_ids.TOPIC_INPUT, list(TA_TOPICS)),
            ta_ids.NEED_BLOCK: text_input(ta_ids.NEED_INPUT),
            ta_ids.COUNTY_BLOCK: single_select(ta_ids.COUNTY_INPUT, COUNTIES),
            ta_ids.ORGANISATION_BLOCK: text_input(ta_ids.ORGANISATION_INPUT),
            ta_ids.NEEDED_BY_BLOCK: date_input(ta_ids.NEEDED_BY_INPUT),
            ta_ids.FORMAT_BLOCK: single_select(ta_ids.FORMAT_INPUT, list(TA_FORMATS)),
            ta_ids.DIGEST_BLOCK: single_select(ta_ids.DIGEST_INPUT, ["yes", "no"]),
        },
        good=lambda _: ta_values(),
        saved=ta_request_saved,
        metadata=lambda _: {"offering_id": an_id(1)},
    ),
    Modal(
        offering_ids.OFFER_MODAL,
        {
            offering_ids.ORGANISATION_BLOCK: text_input(offering_ids.ORGANISATION_INPUT),
            offering_ids.DESCRIPTION_BLOCK: text_input(offering_ids.DESCRIPTION_INPUT),
            offering_ids.TOPICS_BLOCK: multi_select(offering_ids.TOPICS_INPUT, list(TA_TOPICS)),
            offering_ids.REGIONS_BLOCK: multi_select(
                offering_ids.REGIONS_INPUT, ["statewide", *REGIONS]
            ),
            offering_ids.FORMATS_BLOCK: multi_select(
                offering_ids.FORMATS_INPUT, list(TA_OFFER_FORMATS)
            ),
            offering_ids.COST_BLOCK: single_select(offering_ids.COST_INPUT, list(TA_COSTS)),
            offering_ids.LANGUAGES_BLOCK: multi_select(
                offering_ids.LANGUAGES_INPUT, list(TA_LANGUAGES)
            ),
            offering_ids.CONTACT_LINK_BLOCK: text_input(offering_ids.CONTACT_LINK_INPUT),
            offering_ids.CONTACTS_BLOCK: users_select(offering_ids.CONTACTS_INPUT),
        },
        good=lambda _: simulate.ta_offering_values(),
        saved=offering_saved,
        metadata=lambda _: {
            "ref": st.one_of(st.just("ta_offering:1"), st.just("practice:1"), an_id(1), junk),
            "revision": an_id(1),
            "live": st.one_of(st.booleans(), junk),
            "sequence": an_id(0),
        },
    ),
    Modal(
        ta_ids.RESOLVE_MODAL,
        {ta_ids.NOTE_BLOCK: text_input(ta_ids.NOTE_INPUT)},
        good=text_state(ta_ids.NOTE_BLOCK, ta_ids.NOTE_INPUT, "We met and shared a plan."),
        saved=resolution_saved,
        users=lambda _: (NETWORK_PROVIDER, MEMBER, STRANGER),
        metadata=lambda p: {"request_id": an_id(p["request"])},
        real_metadata=lambda p: {"request_id": p["request"]},
        prepare=claimed_request,
    ),
    Modal(
        event_ids.EVENT_MODAL,
        {
            event_ids.TITLE_BLOCK: text_input(event_ids.TITLE_INPUT),
            event_ids.TYPE_BLOCK: single_select(event_ids.TYPE_INPUT, list(EVENT_TYPES)),
            event_ids.START_BLOCK: datetime_input(event_ids.START_INPUT),
            event_ids.END_BLOCK: datetime_input(event_ids.END_INPUT),
            event_ids.VIRTUAL_LINK_BLOCK: text_input(event_ids.VIRTUAL_LINK_INPUT),
            event_ids.LOCATION_BLOCK: text_input(event_ids.LOCATION_INPUT),
            event_ids.REGISTRATION_BLOCK: text_input(event_ids.REGISTRATION_INPUT),
            event_ids.HOST_BLOCK: text_input(event_ids.HOST_INPUT),
            event_ids.REGION_BLOCK: single_select(event_ids.REGION_INPUT, ["statewide", *REGIONS]),
            event_ids.DESCRIPTION_BLOCK: text_input(event_ids.DESCRIPTION_INPUT),
        },
        good=lambda _: simulate.event_values(STARTS, STARTS + timedelta(hours=1)),
        saved=event_saved,
        users=lambda _: (MEMBER, COORDINATORS[0], STRANGER),
        metadata=lambda p: {
            "ref": st.one_of(st.just(f"event:{p['event']}"), an_id(p["event"]), junk),
            "revision": st.one_of(st.just(p["revision"]), an_id(p["revision"])),
            "sequence": st.one_of(st.just(p["sequence"]), an_id(p["sequence"])),
            "live": st.one_of(st.booleans(), junk),
        },
        real_metadata=lambda p: {
            "ref": f"event:{p['event']}",
            "revision": p["revision"],
            "sequence": p["sequence"],
            "live": True,
        },
        prepare=approved_event,
    ),
    Modal(
        event_ids.CANCEL_MODAL,
        {event_ids.CANCEL_REASON_BLOCK: text_input(event_ids.CANCEL_REASON_INPUT)},
        good=text_state(
            event_ids.CANCEL_REASON_BLOCK, event_ids.CANCEL_REASON_INPUT, "The speaker is ill."
        ),
        saved=cancellation_saved,
        users=lambda _: (MEMBER, COORDINATORS[0], STRANGER),
        metadata=lambda p: {"event_id": an_id(p["event"])},
        real_metadata=lambda p: {"event_id": p["event"]},
        prepare=approved_event,
    ),
    Modal(
        digest_ids.SUBSCRIBE_MODAL,
        {
            digest_ids.REGIONS_BLOCK: multi_select(digest_ids.REGIONS_INPUT, list(REGIONS)),
            digest_ids.PILLARS_BLOCK: multi_select(digest_ids.PILLARS_INPUT, list(PILLARS)),
            digest_ids.TOPICS_BLOCK: multi_select(digest_ids.TOPICS_INPUT, list(TA_TOPICS)),
            digest_ids.FUNDING_BLOCK: multi_select(digest_ids.FUNDING_INPUT, list(FUNDING_STREAMS)),
        },
        good=lambda _: {
            digest_ids.REGIONS_BLOCK: simulate.multi_state(digest_ids.REGIONS_INPUT, ["Bay Area"]),
            digest_ids.PILLARS_BLOCK: simulate.multi_state(digest_ids.PILLARS_INPUT, []),
            digest_ids.TOPICS_BLOCK: simulate.multi_state(digest_ids.TOPICS_INPUT, []),
            digest_ids.FUNDING_BLOCK: simulate.multi_state(digest_ids.FUNDING_INPUT, ["elop"]),
        },
        saved=subscription_saved,
    ),
    Modal(
        offering_ids.FIND_MODAL,
        {
            offering_ids.FIND_WORDS_BLOCK: text_input(offering_ids.FIND_WORDS_INPUT),
            offering_ids.FIND_TOPIC_BLOCK: single_select(
                offering_ids.FIND_TOPIC_INPUT, list(TA_TOPICS)
            ),
            offering_ids.FIND_REGION_BLOCK: single_select(
                offering_ids.FIND_REGION_INPUT, list(REGIONS)
            ),
            offering_ids.FIND_FORMAT_BLOCK: single_select(
                offering_ids.FIND_FORMAT_INPUT, list(TA_OFFER_FORMATS)
            ),
            offering_ids.FIND_COST_BLOCK: multi_select(offering_ids.FIND_COST_INPUT, ["free"]),
        },
        good=lambda _: {
            offering_ids.FIND_WORDS_BLOCK: simulate.text_state(
                offering_ids.FIND_WORDS_INPUT, "coaching"
            ),
        },
        saved=nothing_saved,
        searches=True,
    ),
    Modal(
        offering_ids.FIND_RESULTS_MODAL,
        {},
        good=lambda _: {},
        saved=nothing_saved,
        metadata=lambda _: {
            "words": st.one_of(st.text(max_size=300), junk),
            "topic": st.one_of(st.sampled_from(list(TA_TOPICS)), junk),
            "region": st.one_of(st.sampled_from(list(REGIONS)), junk),
            "format": st.one_of(st.sampled_from(list(TA_OFFER_FORMATS)), junk),
            "free": st.one_of(st.booleans(), junk),
        },
        searches=True,
    ),
    Modal(
        policy_ids.POLICY_MODAL,
        {
            policy_ids.TITLE_BLOCK: text_input(policy_ids.TITLE_INPUT),
            policy_ids.KIND_BLOCK: single_select(policy_ids.KIND_INPUT, list(POLICY_KINDS)),
            policy_ids.JURISDICTION_BLOCK: single_select(
                policy_ids.JURISDICTION_INPUT, ["state", *COUNTIES]
            ),
            policy_ids.DISTRICT_BLOCK: text_input(policy_ids.DISTRICT_INPUT),
            policy_ids.IDENTIFIER_BLOCK: text_input(policy_ids.IDENTIFIER_INPUT),
            policy_ids.STAGE_BLOCK: single_select(policy_ids.STAGE_INPUT, list(STAGE_LABELS)),
            policy_ids.DATE_1_LABEL_BLOCK: text_input(policy_ids.DATE_1_LABEL_INPUT),
            policy_ids.DATE_1_BLOCK: date_input(policy_ids.DATE_1_INPUT),
            policy_ids.DATE_2_LABEL_BLOCK: text_input(policy_ids.DATE_2_LABEL_INPUT),
            policy_ids.DATE_2_BLOCK: date_input(policy_ids.DATE_2_INPUT),
            policy_ids.DATE_3_LABEL_BLOCK: text_input(policy_ids.DATE_3_LABEL_INPUT),
            policy_ids.DATE_3_BLOCK: date_input(policy_ids.DATE_3_INPUT),
            policy_ids.SOURCE_BLOCK: text_input(policy_ids.SOURCE_INPUT),
            policy_ids.SUMMARY_BLOCK: text_input(policy_ids.SUMMARY_INPUT),
            policy_ids.PILLARS_BLOCK: multi_select(policy_ids.PILLARS_INPUT, list(PILLARS)),
            policy_ids.FUNDING_BLOCK: multi_select(policy_ids.FUNDING_INPUT, list(FUNDING_STREAMS)),
            policy_ids.ACT_BLOCK: text_input(policy_ids.ACT_INPUT),
        },
        # Every text field filled (the sweeps lace each one), so a district with its county and
        # all three key dates.
        good=lambda _: simulate.policy_values(
            jurisdiction="Fresno",
            district="Fresno Unified",
            key_dates=[
                ("Hearing", "2026-12-10"),
                ("Floor vote", "2027-01-15"),
                ("Signing deadline", "2027-02-01"),
            ],
        ),
        saved=policy_saved,
        metadata=lambda _: {
            "ref": st.one_of(st.just("policy:1"), st.just("practice:1"), an_id(1), junk),
            "revision": an_id(1),
            "live": st.one_of(st.booleans(), junk),
        },
    ),
    Modal(
        policy_ids.STAGE_MODAL,
        {
            policy_ids.NEW_STAGE_BLOCK: single_select(
                policy_ids.NEW_STAGE_INPUT, list(STAGE_LABELS)
            ),
            policy_ids.NOTE_BLOCK: text_input(policy_ids.NOTE_INPUT),
        },
        good=lambda _: {
            policy_ids.NEW_STAGE_BLOCK: simulate.select_state(
                policy_ids.NEW_STAGE_INPUT, "passed_one_house"
            ),
            policy_ids.NOTE_BLOCK: simulate.text_state(
                policy_ids.NOTE_INPUT, "Passed the Assembly"
            ),
        },
        saved=stage_saved,
        users=lambda _: (MEMBER, COORDINATORS[0], STRANGER),
        metadata=lambda p: {
            "update_id": an_id(p["update"]),
            "sequence": st.one_of(st.just(p["sequence"]), an_id(p["sequence"]), junk),
        },
        real_metadata=lambda p: {"update_id": p["update"], "sequence": p["sequence"]},
        prepare=approved_policy_update,
    ),
    Modal(
        policy_ids.DATES_MODAL,
        {
            policy_ids.DATE_1_LABEL_BLOCK: text_input(policy_ids.DATE_1_LABEL_INPUT),
            policy_ids.DATE_1_BLOCK: date_input(policy_ids.DATE_1_INPUT),
            policy_ids.DATE_2_LABEL_BLOCK: text_input(policy_ids.DATE_2_LABEL_INPUT),
            policy_ids.DATE_2_BLOCK: date_input(policy_ids.DATE_2_INPUT),
            policy_ids.DATE_3_LABEL_BLOCK: text_input(policy_ids.DATE_3_LABEL_INPUT),
            policy_ids.DATE_3_BLOCK: date_input(policy_ids.DATE_3_INPUT),
            policy_ids.NOTE_BLOCK: text_input(policy_ids.NOTE_INPUT),
        },
        good=moved_dates,
        saved=dates_saved,
        users=lambda _: (MEMBER, COORDINATORS[0], STRANGER),
        metadata=lambda p: {
            "update_id": an_id(p["update"]),
            "sequence": st.one_of(st.just(p["sequence"]), an_id(p["sequence"]), junk),
        },
        real_metadata=lambda p: {"update_id": p["update"], "sequence": p["sequence"]},
        prepare=approved_policy_update,
    ),
]


# --- Submitting and judging the answer ---------------------------------------------------------


class ModalDriver:
    """Submits one modal again and again, and judges each answer.

    What the form is about is prepared again only when a success used it up (a resolved
    request cannot be resolved again), so a long run stays quick.
    """

    def __init__(self, bot: Bot, modal: Modal) -> None:
        self.bot = bot
        self.modal = modal
        self._prepared: dict[str, Any] | None = None
        # The database as the last submission left it: nothing else writes between two.
        self._snapshot: Snapshot | None = None

    @property
    def prepared(self) -> dict[str, Any]:
        """What the form is about now."""
        if self._prepared is None:
            self._prepared = self.modal.prepare(self.bot)
            self._snapshot = None
        return self._prepared

    def submit(self, user: str, state: Any, private_metadata: str) -> bool:
        """Submit and check the answer; True when it saved.

        The answer is 200 with errors on the modal's own blocks and nothing written, or empty
        with a whole record, its audit row and its messages.
        """
        modal, bot = self.modal, self.bot
        prepared = self.prepared
        before = self._snapshot or database_snapshot(bot)
        body = simulate.view_submission(
            modal.callback_id,
            user,
            state,
            view_id=f"VPROP{next(_view_ids):06d}",
            private_metadata=private_metadata,
        )

        response = bot.send(body)

        assert response.status == 200, (modal.callback_id, state, private_metadata)
        answer = body_json(response)
        sub = Submitted(bot, user, state, prepared, before, database_snapshot(bot))
        self._snapshot = sub.after
        if modal.searches and answer.get("response_action") == "update":
            assert block_kit_problems(view=answer["view"]) == [], "Slack would refuse the view"
            modal.saved(sub)
            return True
        if answer:
            assert answer["response_action"] == "errors"
            assert answer["errors"] and set(answer["errors"]) <= set(modal.blocks)
            assert all(isinstance(m, str) and 0 < len(m) <= 2000 for m in answer["errors"].values())
            assert sub.after == before, "an error answer left something in the database"
            return False
        modal.saved(sub)
        assert sub.added("audit_entries") >= 1, "a state change without an audit row"
        assert sub.added("outbox_messages") >= 1, "a state change that tells nobody"
        self._prepared = None
        return True


@pytest.mark.parametrize("modal", MODALS, ids=[m.callback_id for m in MODALS])
def test_any_submission_is_answered_cleanly(bot: Bot, modal: Modal) -> None:
    """200 with errors on the form's own blocks and nothing written, or one whole record."""
    driver = ModalDriver(bot, modal)

    @hypothesis_settings(
        max_examples=modal.examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def submit_anything(data: st.DataObject) -> None:
        prepared = driver.prepared
        state = data.draw(form_state(modal.good(prepared), modal.blocks), label="state")
        meta = data.draw(
            metadata(modal.metadata(prepared), modal.real_metadata(prepared)),
            label="private_metadata",
        )
        user = data.draw(st.sampled_from(list(modal.users(prepared))), label="user")
        event("saved" if driver.submit(user, state, meta) else "field errors")

    submit_anything()


def test_every_modal_is_covered() -> None:
    """Each `app.view(...)` callback, and each kind's form, in handlers/ has an entry in MODALS."""
    registered = set()
    pattern = r"app\.view\(\s*ids\.([A-Z_]+)\)|modal_id = ids\.([A-Z_]+)"
    for path in Path(handlers.__file__).parent.rglob("*.py"):
        for name in (a or b for a, b in re.findall(pattern, path.read_text())):
            module = __import__(f"handlers.{path.parent.name}.ids", fromlist=[name])
            registered.add(getattr(module, name))

    assert registered == {modal.callback_id for modal in MODALS}


@pytest.mark.parametrize("modal", MODALS, ids=[m.callback_id for m in MODALS])
def test_every_awkward_value_in_every_field_is_answered_cleanly(bot: Bot, modal: Modal) -> None:
    """Each TRICKY string in each text field, each AWKWARD_IDS value in each metadata key.

    The rest of the form is valid, and is first shown to save, so the sweep meets both answers.
    """
    driver = ModalDriver(bot, modal)
    prepared = driver.prepared
    valid = driver.submit(
        modal.users(prepared)[0], modal.good(prepared), json.dumps(modal.real_metadata(prepared))
    )
    assert valid, "the valid form was refused, so the sweeps would see only errors"

    for block_id, block in modal.blocks.items():
        for value in TRICKY if block.is_text else ():
            prepared = driver.prepared
            state = {**modal.good(prepared), block_id: simulate.text_state(block.action_id, value)}
            meta = json.dumps(modal.real_metadata(prepared))
            driver.submit(modal.users(prepared)[0], state, meta)
    for key in modal.metadata(driver.prepared):
        for value in AWKWARD_IDS:
            prepared = driver.prepared
            meta = json.dumps({**modal.real_metadata(prepared), key: value})
            driver.submit(modal.users(prepared)[0], modal.good(prepared), meta)


@pytest.mark.parametrize("value", INT_OR_NONE_CRASHES, ids=["superscript", "circled", "2**70"])
def test_crafted_ids_in_metadata_are_refused_not_crashed(bot: Bot, value: Any) -> None:
    """A request id of unicode digits, or past 64 bits, gets a field error rather than a 500."""
    prepared = claimed_request(bot)
    note = {ta_ids.NOTE_BLOCK: simulate.text_state(ta_ids.NOTE_INPUT, "We met and shared a plan.")}

    response = bot.submit(
        ta_ids.RESOLVE_MODAL, NETWORK_PROVIDER, note, {"request_id": value}, "VCRAFTED1"
    )

    assert response.status == 200
    assert set(body_json(response)["errors"]) == {ta_ids.NOTE_BLOCK}
    with bot.runtime.deps.uow() as uow:
        [stored] = uow.session.scalars(select(TaRequest))
        assert (stored.id, stored.status) == (prepared["request"], TaStatus.CLAIMED)


def test_a_nul_character_is_dropped_so_both_databases_save_the_same(bot: Bot) -> None:
    """PostgreSQL cannot store NUL in text: it is dropped, rather than the form being refused."""
    response = bot.share(MEMBER, title="Family\u0000 nights", summary="\u0000" + "x" * 30)

    assert body_json(response) == {}
    [practice] = bot.practices()
    assert (practice.title, practice.summary) == ("Family nights", "x" * 30)


# C0 but tab, LF and CR; DEL; C1 (NEL among them). (U+2028/U+2029 become LF, which a link
# field then refuses, so the calendar test covers those.)
CONTROLS = "".join(chr(c) for c in [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
CONTROLS += "".join(chr(c) for c in range(0x7F, 0xA0))


def stored_strings(bot: Bot) -> list[str]:
    """Every string in every row of every table, JSON columns opened up."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    with bot.runtime.deps.uow() as uow:
        for table in Base.metadata.sorted_tables:
            for row in uow.session.execute(select(table)):
                walk(tuple(row))
    return found


@pytest.mark.parametrize(
    "modal",
    [m for m in MODALS if any(b.is_text for b in m.blocks.values())],
    ids=lambda m: m.callback_id,
)
def test_control_characters_in_every_text_field_are_dropped_before_storing(
    bot: Bot, modal: Modal
) -> None:
    """Every text field of every form, laced with control characters, saves without them."""
    driver = ModalDriver(bot, modal)
    prepared = driver.prepared
    state = dict(modal.good(prepared))
    for block_id, block in modal.blocks.items():
        if block.is_text:
            value = state[block_id][block.action_id]["value"] or "Room 4"
            state[block_id] = simulate.text_state(block.action_id, value[:1] + CONTROLS + value[1:])

    saved = driver.submit(
        modal.users(prepared)[0], state, json.dumps(modal.real_metadata(prepared))
    )

    assert saved, "a form laced with control characters was refused instead of cleaned"
    leaked = {c for text in stored_strings(bot) for c in text if c in CONTROLS + "\u2028\u2029"}
    assert not leaked, (modal.callback_id, sorted(map(hex, map(ord, leaked))))
