"""(5) Searching the archive of approved practices. Not measurable yet.

When the search feature lands, this becomes: a fresh database filled by
`bench.generate.practices(engine, 100_000, status_weights={PracticeStatus.APPROVED: 1})`,
then a seeded set of queries drawn from `bench.generate.ACTIVITIES` and `WORDS`, timing each
search (p95).
"""

from __future__ import annotations

from bench.report import Row

SIZE = 100_000
WHY = "not measured yet (needs the search feature)"


def measure_search(database_url: str, *, size: int = SIZE) -> list[Row]:
    """p95 search latency over `size` practices; for now, one "not measured yet" row.

    Args:
        database_url: an empty, migrated database (unused until search exists).
        size: how many approved practices to search.
    """
    del database_url  # kept so the runner need not change when the feature lands
    return [Row.not_measured(f"search, p95, {size:,} approved practices", "ms", WHY, "< 100 ms")]
