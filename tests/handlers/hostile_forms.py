"""Hypothesis strategies for hostile modal submissions: values, blocks, whole forms, metadata.

A modal is described by its blocks, each built with one of `text_input`, `single_select`,
`multi_select`, `users_select`, `date_input` or `datetime_input`; `form_state` then mangles a
valid state block by block, and `metadata` does the same for `private_metadata`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from hypothesis import strategies as st

# Strings that have broken parsers before: an unclosed IPv6 host (urlsplit raises), NUL (which
# PostgreSQL refuses in text), bidi overrides, mentions, huge numbers, near-miss links.
TRICKY = (
    "<!channel>",
    "<@U123|x>",
    "&amp;<>",
    "\u202e\u0000",
    "🏫" * 60,
    " " * 10,
    "http://[",
    "https://[::1]:99999/x",
    "javascript:alert(1)",
    "1" * 40,
    "-1",
    "0",
)

# Ids that once crashed `handlers.replies.int_or_none`: digits that str.isdigit accepts but int()
# refuses, and ids past 64 bits (SQLite overflows); they are now refused as unknown ids.
INT_OR_NONE_CRASHES: tuple[Any, ...] = ("²", "①", 2**70)


junk = st.one_of(
    st.none(),
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)
text_value = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.text(min_size=2900, max_size=3200),
)


@dataclass(frozen=True)
class Block:
    """One input block of a modal: its element's action id, and what may arrive in it."""

    action_id: str
    arrives: st.SearchStrategy[Any]
    is_text: bool = False


def option(known: Sequence[str]) -> st.SearchStrategy[Any]:
    """An option as Slack sends it: one of ours, one we never offered, or junk."""
    value = st.one_of(st.sampled_from(list(known)), st.text(max_size=30), st.sampled_from(TRICKY))
    return st.one_of(st.fixed_dictionaries({"value": value}), junk)


def text_input(action_id: str) -> Block:
    """A plain_text_input block, mangled."""
    arrives = st.one_of(
        st.builds(lambda v: {action_id: {"type": "plain_text_input", "value": v}}, text_value),
        st.builds(lambda j: {action_id: {"value": j}}, junk),
        st.builds(lambda j: {action_id: j}, junk),
        junk,
    )
    return Block(action_id, arrives, is_text=True)


def single_select(action_id: str, known: Sequence[str]) -> Block:
    """A static select or radio block, mangled."""
    arrives = st.one_of(
        st.builds(lambda o: {action_id: {"selected_option": o}}, option(known)),
        st.builds(lambda j: {action_id: j}, junk),
        junk,
    )
    return Block(action_id, arrives)


def multi_select(action_id: str, known: Sequence[str]) -> Block:
    """A multi-select or checkboxes block, mangled."""
    arrives = st.one_of(
        st.builds(
            lambda os: {action_id: {"selected_options": os}}, st.lists(option(known), max_size=6)
        ),
        st.builds(lambda j: {action_id: {"selected_options": j}}, junk),
        junk,
    )
    return Block(action_id, arrives)


def users_select(action_id: str) -> Block:
    """A `multi_users_select` block: user IDs, things that only look like them, or junk."""
    user = st.one_of(
        st.sampled_from(["UMEMBER01", "UPROVIDE1", "W0123ABCD"]),
        st.sampled_from(["<!channel>", "U", "u123", "S0123ABCD", "C0123ABCD"]),
        st.text(max_size=12),
        junk,
    )
    arrives = st.one_of(
        st.builds(lambda us: {action_id: {"selected_users": us}}, st.lists(user, max_size=12)),
        st.builds(lambda j: {action_id: {"selected_users": j}}, junk),
        junk,
    )
    return Block(action_id, arrives)


def date_input(action_id: str) -> Block:
    """A datepicker block: dates near and far, impossible dates, junk."""
    value = st.one_of(
        st.dates().map(date.isoformat),
        st.sampled_from(["2026-02-30", "2026-13-01", "", "tomorrow", "+275760-09-13"]),
        junk,
    )
    arrives = st.builds(lambda v: {action_id: {"selected_date": v}}, value)
    return Block(action_id, st.one_of(arrives, junk))


def datetime_input(action_id: str) -> Block:
    """A datetimepicker block: epoch seconds of any size, or junk."""
    value = st.one_of(
        st.integers(min_value=1_780_000_000, max_value=1_880_000_000),  # 2026-2029
        st.integers(),
        st.sampled_from([2**63, -(2**63), 253402300800]),
        junk,
    )
    arrives = st.builds(lambda v: {action_id: {"selected_date_time": v}}, value)
    return Block(action_id, st.one_of(arrives, junk))


def form_state(good: Mapping[str, Any], blocks: Mapping[str, Block]) -> st.SearchStrategy[Any]:
    """A valid form with a few blocks mangled or missing; now and then not a form at all.

    Mangling a few blocks rather than each one at random keeps whole valid forms common (often
    with an odd but acceptable value), so the success path is exercised as much as the errors.
    """

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        state = {block_id: good[block_id] for block_id in blocks if block_id in good}
        names = list(blocks)
        count = draw(st.integers(min_value=0, max_value=len(names)))
        for block_id in draw(st.permutations(names))[:count]:
            if draw(st.integers(min_value=0, max_value=3)) == 0:
                state.pop(block_id, None)
            else:
                state[block_id] = draw(blocks[block_id].arrives)
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            state[draw(st.text(max_size=10))] = draw(junk)  # a block we never built
        return state

    return st.one_of(build(), build(), build(), build(), junk)


def an_id(real: int) -> st.SearchStrategy[Any]:
    """An id in metadata: the real one (as the bot wrote it), near misses, or junk."""
    return st.one_of(
        st.just(real),
        st.just(str(real)),
        st.integers(min_value=-5, max_value=10**15),
        st.sampled_from(["", "1.0", " 1", "0x1", "9" * 12]),
        junk,
    )


def metadata(
    fields: Mapping[str, st.SearchStrategy[Any]], real: Mapping[str, Any]
) -> st.SearchStrategy[str]:
    """`private_metadata`: what the bot wrote, empty, not JSON, the wrong shape, or any values."""
    ours = st.fixed_dictionaries({}, optional=fields) if fields else st.just({})
    return st.one_of(
        st.just(json.dumps(dict(real))),
        st.builds(json.dumps, ours),
        st.builds(json.dumps, ours),
        st.just(""),
        st.text(max_size=30),
        st.builds(json.dumps, junk),
    )


# Ids a crafted metadata key might carry, for the deterministic sweep.
AWKWARD_IDS: tuple[Any, ...] = (
    "",
    "1.0",
    " 1",
    "0x1",
    "9" * 12,
    "1" * 40,
    "-1",
    "<!channel>",
    -1,
    0,
    10**15,
    2**70,
    1.5,
    True,
    None,
    [],
    {},
)
