"""(5) Searching the archive of approved practices.

The database is filled with `size` approved practices (`bench.generate.practices`), their
published posts and their search documents, built by the practices feature itself and
indexed as approval indexes them. Then a seeded mix of searches, written as members type
them after `/ccsn search`, is read by the search feature's own parser (`parse_query`) and
run through the repository (`uow.search.search`), each in a unit of work of its own, as the
`/ccsn search` handler runs it. The baseline is the same mix over an archive a tenth the size.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlalchemy import Engine, delete

from bench import generate
from bench.databases import label
from bench.load import percentile
from bench.report import Row
from bench.rows import ACTIVITIES, COUNTIES, FUNDING_KEYS, PILLAR_KEYS, REGION_NAMES, WORDS
from handlers.search.schemas import parse_query
from handlers.search.service import to_filters
from handlers.search.views import MAX_RESULTS
from storage.db import make_engine, make_session_factory
from storage.models import OutboxMessage, Practice, PracticeStatus, SearchDocument
from storage.uow import UnitOfWork

SIZE = 100_000
QUERIES = 300
WARM_UP = 30
TARGET_MS = 100.0
GROWTH_RATIO = 2.0  # issue 17: at most twice the figure over a tenth of the archive
SEED = 5
UNKNOWN = ("zebra", "glacier", "saxophone", "volcano", "origami")


def _quote(value: str) -> str:
    return f'"{value}"' if " " in value else value


def _common(rng: random.Random) -> str:
    return rng.choice(WORDS[:10])


def _word(rng: random.Random) -> str:
    return rng.choice(WORDS)


def _filter(rng: random.Random) -> str:
    key, values = rng.choice(
        (
            ("pillar", PILLAR_KEYS),
            ("county", COUNTIES),
            ("region", REGION_NAMES),
            ("funding", FUNDING_KEYS),
        )
    )
    return f"{key}:{_quote(rng.choice(values))}"


# What members type, and how often: a shape is a function of a seeded random source.
SHAPES: dict[str, tuple[int, Callable[[random.Random], str]]] = {
    "a common word": (15, _common),
    "any word": (15, _word),
    "an activity": (20, lambda rng: rng.choice(ACTIVITIES)),
    "two words": (10, lambda rng: f"{_word(rng)} {_word(rng)}"),
    "a word being typed": (10, lambda rng: _word(rng)[:4]),
    "a word and a filter": (15, lambda rng: f"{_word(rng)} {_filter(rng)}"),
    "a common word and a filter": (5, lambda rng: f"{_common(rng)} {_filter(rng)}"),
    "filters only": (5, lambda rng: f"{_filter(rng)} {_filter(rng)}"),
    "a word nobody used": (5, lambda rng: rng.choice(UNKNOWN)),
}
# One search of each shape, for the query plans.
EXAMPLES = (
    "families",
    "mentors",
    "attendance mentoring",
    "wellness library",
    "atte",
    'clinic region:"Bay Area"',
    "students pillar:engagement",
    'county:"Los Angeles" funding:ccspp',
    "zebra",
)


def searches(count: int, seed: int = SEED) -> list[tuple[str, str]]:
    """`count` searches as `(shape, text)`, drawn by the weights of `SHAPES`; seeded."""
    rng = random.Random(seed)
    names = list(SHAPES)
    weights = [SHAPES[name][0] for name in names]
    drawn = rng.choices(names, weights, k=count)
    return [(name, SHAPES[name][1](rng)) for name in drawn]


def fill(engine: Engine, size: int) -> None:
    """Replace the archive with `size` approved practices, their posts and search documents."""
    with engine.begin() as connection:
        for model in (SearchDocument, OutboxMessage, Practice):
            connection.execute(delete(model))
    generate.practices(engine, size, status_weights={PracticeStatus.APPROVED: 1})
    generate.published_posts(engine)
    generate.search_documents(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def _run(engine: Engine, mix: Sequence[tuple[str, str]]) -> dict[str, list[float]]:
    """Seconds each search took, by shape, after `WARM_UP` untimed searches."""
    sessions = make_session_factory(engine)
    times: dict[str, list[float]] = defaultdict(list)
    for n, (shape, text) in enumerate([*mix[:WARM_UP], *mix]):
        began = time.perf_counter()
        query = parse_query(text)
        with UnitOfWork(sessions) as uow:
            uow.search.search(query.words, to_filters(query), limit=MAX_RESULTS)
        if n >= WARM_UP:
            times[shape].append(time.perf_counter() - began)
    return times


def _p95_ms(times: dict[str, list[float]]) -> float:
    return percentile([t for shape in times.values() for t in shape], 95) * 1000


def by_kind(times: dict[str, list[float]], small: dict[str, list[float]]) -> str:
    """The p95 of each kind of search at both sizes, slowest first: which kinds make the tail."""
    kinds = sorted(times, key=lambda shape: percentile(times[shape], 95), reverse=True)
    return "; ".join(
        f"{shape} {percentile(times[shape], 95) * 1000:.2f}"
        + (f" / {percentile(small[shape], 95) * 1000:.2f}" if small.get(shape) else "")
        for shape in kinds
    )


def measure_search(database_url: str, *, size: int = SIZE, queries: int = QUERIES) -> list[Row]:
    """p95 latency of a mix of searches over `size` approved practices, and over a tenth.

    Args:
        database_url: an empty, migrated database; emptied and refilled.
        size: how many approved practices to search.
        queries: how many searches to time at each size.
    """
    mix = searches(queries)
    engine = make_engine(database_url)
    try:
        fill(engine, size // 10)
        small_times = _run(engine, mix)
        fill(engine, size)
        times = _run(engine, mix)
    finally:
        engine.dispose()
    p95, small = _p95_ms(times), _p95_ms(small_times)
    all_times = [t for shape in times.values() for t in shape]
    return [
        Row(
            f"search ({label(database_url)}), p95, {size:,} approved practices",
            "ms",
            p95,
            small,
            # The size only: under 100 ms, and at most twice the tenth-size figure.
            target=f"< {TARGET_MS:.0f} ms, <= {GROWTH_RATIO:.0f}x the {size // 10:,} figure"
            if size == SIZE
            else "",
            met=p95 < TARGET_MS and p95 <= GROWTH_RATIO * small if size == SIZE else None,
            note=f"baseline: the same {queries} searches over {size // 10:,} practices; "
            f"p50 {percentile(all_times, 50) * 1000:.1f} ms; p95 by kind, ms "
            f"({size:,} / {size // 10:,}): {by_kind(times, small_times)}",
        )
    ]
