"""Property-based: any view submission gets 200 with field errors or one complete record.

Random strings, unicode, very long text, missing blocks, unknown options and wrong types: never
a 500 or a traceback, and nothing half-written in the database.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import simulate
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from storage.models import PracticeStatus
from tests.conftest import COORDINATORS, MEMBER
from tests.harness import Bot, body_json

pytestmark = pytest.mark.reliability

_view_ids = itertools.count(1)

junk = st.one_of(
    st.none(),
    st.integers(),
    st.booleans(),
    st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)
text_value = st.one_of(
    st.text(max_size=40),
    st.text(min_size=2900, max_size=3200),
    st.sampled_from(["<!channel>", "<@U123|x>", "&amp;<>", "\u202e\u0000", "🏫" * 60, " " * 10]),
)
option = st.one_of(
    st.fixed_dictionaries(
        {
            "value": st.one_of(
                st.text(max_size=30), st.sampled_from(["Fresno", "engagement", "named", "ccspp"])
            )
        }
    ),
    junk,
)


def text_block(action_id: str) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(lambda v: {action_id: {"type": "plain_text_input", "value": v}}, text_value),
        st.builds(lambda j: {action_id: j}, junk),
        junk,
    )


def select_block(action_id: str) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(lambda o: {action_id: {"selected_option": o}}, option),
        st.builds(lambda os: {action_id: {"selected_options": os}}, st.lists(option, max_size=5)),
        st.builds(lambda j: {action_id: {"selected_options": j}}, junk),
        junk,
    )


FIELDS = {
    practice_ids.TITLE_BLOCK: text_block(practice_ids.TITLE_INPUT),
    practice_ids.SUMMARY_BLOCK: text_block(practice_ids.SUMMARY_INPUT),
    practice_ids.ORGANISATION_BLOCK: text_block(practice_ids.ORGANISATION_INPUT),
    practice_ids.LINK_BLOCK: text_block(practice_ids.LINK_INPUT),
    practice_ids.PILLARS_BLOCK: select_block(practice_ids.PILLARS_INPUT),
    practice_ids.COUNTY_BLOCK: select_block(practice_ids.COUNTY_INPUT),
    practice_ids.FUNDING_BLOCK: select_block(practice_ids.FUNDING_INPUT),
    practice_ids.CREDIT_BLOCK: select_block(practice_ids.CREDIT_INPUT),
}


@st.composite
def practice_state(draw: st.DrawFn) -> dict[str, Any]:
    """A form where each block is valid, mangled, of the wrong type, or missing."""
    good = simulate.practice_values()
    state: dict[str, Any] = {}
    for block_id, strategy in FIELDS.items():
        choice = draw(st.sampled_from(["good", "random", "missing"]))
        if choice == "good":
            state[block_id] = good[block_id]
        elif choice == "random":
            state[block_id] = draw(strategy)
    return state


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(
    state=practice_state(),
    metadata=st.one_of(st.just(""), st.text(max_size=30), st.builds(json.dumps, junk)),
)
def test_any_practice_submission_is_answered_cleanly(
    bot: Bot, state: dict[str, Any], metadata: str
) -> None:
    """200 with errors on known blocks and nothing saved, or one complete pending practice."""
    before = (len(bot.practices()), len(bot.outbox()))
    body = simulate.view_submission(
        practice_ids.PRACTICE_MODAL,
        MEMBER,
        state,
        view_id=f"VPROP{next(_view_ids):06d}",
        private_metadata=metadata,
    )

    response = bot.send(body)

    assert response.status == 200
    answer = body_json(response)
    practices, outbox = bot.practices(), bot.outbox()
    if answer:
        assert answer["response_action"] == "errors"
        assert set(answer["errors"]) <= set(FIELDS)
        assert all(isinstance(m, str) and 0 < len(m) <= 2000 for m in answer["errors"].values())
        assert (len(practices), len(outbox)) == before
    else:
        new = practices[-1]
        assert len(practices) == before[0] + 1
        assert new.status is PracticeStatus.PENDING
        assert new.title and new.summary and new.county and new.pillars
        assert len(outbox) == before[1] + 2


@SETTINGS
@given(
    reason=st.one_of(text_value, junk),
    metadata=st.one_of(
        st.text(max_size=40),
        st.builds(json.dumps, st.fixed_dictionaries({"practice_id": junk, "decision": junk})),
        st.builds(
            json.dumps,
            st.fixed_dictionaries(
                {
                    "practice_id": st.integers(-5, 10**15),
                    "decision": st.sampled_from(["approve", "reject", "request_changes", "x"]),
                }
            ),
        ),
    ),
)
def test_any_reason_submission_is_answered_cleanly(bot: Bot, reason: Any, metadata: str) -> None:
    """Crafted reason forms never crash and never decide anything they should not."""
    values = {review_ids.REASON_BLOCK: {review_ids.REASON_INPUT: {"value": reason}}}
    body = simulate.view_submission(
        review_ids.REASON_MODAL,
        COORDINATORS[0],
        values,
        view_id=f"VPROP{next(_view_ids):06d}",
        private_metadata=metadata,
    )

    response = bot.send(body)

    assert response.status == 200
    answer = body_json(response)
    assert answer == {} or set(answer["errors"]) == {review_ids.REASON_BLOCK}
    assert bot.practices() == []
