"""(4) Building the weekly digest as the stored history grows. Not measurable yet.

When the digest feature lands, this becomes: for each size, a fresh database filled by
`bench.generate.practices(engine, size, recent=1000)`, then the time to build the digest's
Block Kit payload for the week before `bench.generate.DEFAULT_NOW` (median of a few builds).
"""

from __future__ import annotations

from bench.report import Row

SIZES = (10_000, 100_000, 1_000_000)
TARGETS = {100_000: "< 200 ms", 1_000_000: "<= 2x the 100k time"}
WHY = "not measured yet (needs the digest feature)"


def measure_digest(database_url: str, *, sizes: tuple[int, ...] = SIZES) -> list[Row]:
    """Digest build time at each size of history; for now, one "not measured yet" row each.

    Args:
        database_url: an empty, migrated database (unused until the digest exists).
        sizes: how many stored submissions, 1,000 of them in the current week.
    """
    del database_url  # kept so the runner need not change when the feature lands
    return [
        Row.not_measured(f"digest build, {size:,} submissions", "ms", WHY, TARGETS.get(size, ""))
        for size in sizes
    ]
