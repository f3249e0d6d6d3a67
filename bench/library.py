"""(6) The public library's page at 100,000 approved practices, against a bare template.

The database is filled with `size` approved practices (`bench.generate.practices`). Then the
site itself (`handlers.library.site.PublicSite`, as the WSGI app mounts it) answers a mix of
library pages as readers ask for them: the front page, later pages, and pages filtered by a
pillar, a region or a county. The baseline is a bare Jinja2 template rendering the same 20
rows, already in memory: the cost of HTML alone, without any query.

Facet counts are cached per library version (see `handlers.library.service`); the warm-up
asks for every page of the mix once, so the timed requests see the steady state, and the
first (cold) request's time is reported in the note.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from jinja2 import Environment
from sqlalchemy import Engine, delete

from bench import generate
from bench.databases import label
from bench.load import percentile
from bench.report import Row
from bench.rows import DEFAULT_NOW
from core.config import load_settings
from handlers.deps import Deps
from handlers.library.site import PublicSite
from storage.db import make_engine, make_session_factory
from storage.models import Practice, PracticeStatus
from storage.repositories.library import LibraryFilters
from storage.uow import UnitOfWork

SIZE = 100_000
REQUESTS = 300
TARGET_MS = 50.0
PAGES = (
    "",
    "page=2",
    "page=50",
    "pillar=engagement",
    "region=Bay+Area",
    "county=Fresno",
    "pillar=supports&region=Central+Valley",
    "funding=elop&page=2",
)
BARE = Environment(autoescape=True).from_string(
    "<!doctype html><html lang=en><title>Library</title><ol>"
    "{% for p in rows %}<li><h3><a href=/practices/{{ p.id }}>{{ p.title }}</a></h3>"
    "<p>{{ p.organisation }} · {{ p.county }} · {{ p.region }}</p>"
    "<p>{{ p.summary | truncate(280) }}</p></li>{% endfor %}</ol>"
)


def fill(engine: Engine, size: int) -> None:
    """Replace the practices with `size` approved ones."""
    with engine.begin() as connection:
        connection.execute(delete(Practice))
    generate.practices(engine, size, status_weights={PracticeStatus.APPROVED: 1})
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def _site(database_url: str, engine: Engine) -> PublicSite:
    sessions = make_session_factory(engine)
    settings = load_settings(None, database_url=database_url)
    return PublicSite(
        Deps(settings=settings, uow=lambda: UnitOfWork(sessions), clock=lambda: DEFAULT_NOW)
    )


def _time_site(site: PublicSite, mix: Sequence[str]) -> list[float]:
    times = []
    for query in mix:
        began = time.perf_counter()
        response = site.respond("GET", "/", query, {}, base_url="http://bench")
        times.append(time.perf_counter() - began)
        assert response.status.startswith("200"), response.status
    return times


def _time_bare(engine: Engine, requests: int) -> list[float]:
    """The bare template over the front page's 20 rows, loaded once beforehand."""
    with UnitOfWork(make_session_factory(engine)) as uow:
        rows = list(uow.library.listing(LibraryFilters(), offset=0, limit=20))
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        BARE.render(rows=rows).encode()
        times.append(time.perf_counter() - began)
    return times


def measure_library(database_url: str, *, size: int = SIZE, requests: int = REQUESTS) -> list[Row]:
    """p50 and p99 of library pages over `size` approved practices, and of the bare template.

    Args:
        database_url: an empty, migrated database; its practices are replaced.
        size: how many approved practices the library holds.
        requests: how many pages to time (cycling through `PAGES`).
    """
    engine = make_engine(database_url)
    try:
        fill(engine, size)
        site = _site(database_url, engine)
        cold = _time_site(site, PAGES[:1])[0]
        _time_site(site, PAGES)  # warm-up: every page of the mix once
        mix = [PAGES[n % len(PAGES)] for n in range(requests)]
        times = _time_site(site, mix)
        bare = _time_bare(engine, requests)
    finally:
        engine.dispose()
    where = f"library page ({label(database_url)})"
    at_size = f"{size:,} approved practices"
    note = (
        f"baseline: a bare Jinja2 template rendering the same 20 rows from memory; {requests} "
        f"pages of {len(PAGES)} kinds (front page, later pages, filters); facet counts cached "
        f"per library version, the cold first request took {cold * 1000:.0f} ms"
    )
    p99 = percentile(times, 99) * 1000
    return [
        Row(
            f"{where}, p50, {at_size}",
            "ms",
            percentile(times, 50) * 1000,
            percentile(bare, 50) * 1000,
            note=note,
        ),
        Row(
            f"{where}, p99, {at_size}",
            "ms",
            p99,
            percentile(bare, 99) * 1000,
            target=f"< {TARGET_MS:.0f} ms" if size == SIZE else "",
            met=p99 < TARGET_MS if size == SIZE else None,
            note=note,
        ),
    ]
