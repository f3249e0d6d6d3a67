"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector + GIN) behind one interface."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.db import make_engine, make_session_factory
from storage.models import SearchDocument
from storage.repositories.search import SearchFilters
from storage.uow import UnitOfWork

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def uow_factory(schema: str):
    engine = make_engine(schema)
    sessions = make_session_factory(engine)
    yield lambda: UnitOfWork(sessions)
    engine.dispose()


def add(uow_factory, n: int, title: str, body: str = "", **fields) -> None:
    values = {
        "organisation": "Roosevelt High",
        "county": "Fresno",
        "region": "Central Valley",
        "pillars": ["engagement"],
        "funding_streams": ["ccspp"],
    }
    values.update(fields)
    with uow_factory() as uow:
        uow.search.index(
            SearchDocument(
                kind="practice",
                ref_id=n,
                title=title,
                body=body,
                published_at=START + timedelta(days=n),
                **values,
            )
        )
        uow.commit()


def titles(uow_factory, words: str, **filters) -> list[str]:
    with uow_factory() as uow:
        return [hit.document.title for hit in uow.search.search(words, SearchFilters(**filters))]


def test_title_matches_rank_above_body_matches(uow_factory) -> None:
    """A word in the title outranks the same word deep in another summary."""
    add(uow_factory, 1, "Attendance team", "We mention mentoring once in passing here.")
    add(uow_factory, 2, "Mentoring circles", "Weekly circles for ninth graders.")

    assert titles(uow_factory, "mentoring") == ["Mentoring circles", "Attendance team"]


def test_among_titles_with_the_word_the_newest_comes_first(uow_factory) -> None:
    """Every match in a title ties, however short the title: the newest is first."""
    add(uow_factory, 1, "Mentoring", "Ninth graders.")
    add(uow_factory, 2, "Mentoring circles for families new to the district", "Weekly.")
    add(uow_factory, 3, "Peer mentoring, tutoring and a homework club after school", "Daily.")

    assert titles(uow_factory, "mentoring") == [
        "Peer mentoring, tutoring and a homework club after school",
        "Mentoring circles for families new to the district",
        "Mentoring",
    ]


def test_all_words_in_the_title_rank_above_words_split_with_the_summary(uow_factory) -> None:
    """Both words in the title first; then both in title or organisation; then anywhere."""
    add(uow_factory, 1, "Family mentoring", "Evenings.", organisation="Lincoln Elementary")
    add(uow_factory, 2, "Family nights", "Mentoring too.", organisation="Roosevelt High")
    add(uow_factory, 3, "Family nights", "Evenings.", organisation="Mentoring Partners")
    add(uow_factory, 4, "Nights", "Family mentoring.", organisation="Roosevelt High")

    with uow_factory() as uow:
        hits = uow.search.search("family mentoring", SearchFilters())
    assert [hit.document.ref_id for hit in hits] == [1, 3, 4, 2]


def test_every_word_must_match_as_a_prefix_and_stemmed(uow_factory) -> None:
    """`famil night` finds "Family nights"; a word that appears nowhere finds nothing."""
    add(uow_factory, 1, "Family nights", "Families meet partners monthly.")
    add(uow_factory, 2, "Family food pantry")

    assert titles(uow_factory, "famil night") == ["Family nights"]
    assert titles(uow_factory, "family zebra") == []


def test_filters_narrow_by_county_region_pillar_and_funding(uow_factory) -> None:
    """Exact filters apply to the matches, alone or with words."""
    add(uow_factory, 1, "Parent cafe", county="Alameda", region="Bay Area", pillars=["engagement"])
    add(uow_factory, 2, "Parent academy", pillars=["leadership"], funding_streams=["elop"])
    add(uow_factory, 3, "Clinic on campus", pillars=["supports", "engagement"])

    assert titles(uow_factory, "parent", regions=("Bay Area",)) == ["Parent cafe"]
    assert titles(uow_factory, "", pillars=("engagement",)) == ["Clinic on campus", "Parent cafe"]
    assert titles(uow_factory, "parent", funding_streams=("elop",)) == ["Parent academy"]
    assert titles(uow_factory, "", counties=("Fresno",), pillars=("supports",)) == [
        "Clinic on campus"
    ]


def test_hostile_query_text_is_just_words(uow_factory) -> None:
    """Operators and quotes in the query are not search syntax and never raise."""
    add(uow_factory, 1, "Restorative circles")

    for query in ['"', "circles OR 1=1", "NEAR(x y)", "a & b | !c", "*", "');--", "ü ñ 漢字"]:
        titles(uow_factory, query)
    assert titles(uow_factory, "restorative)") == ["Restorative circles"]


def test_reindexing_replaces_the_old_text(uow_factory) -> None:
    """Indexing an item again (an edit) leaves only the new words findable."""
    add(uow_factory, 1, "Old title")
    add(uow_factory, 1, "New title")

    assert titles(uow_factory, "old") == []
    assert titles(uow_factory, "new") == ["New title"]


def test_a_word_with_nothing_to_index_is_ignored(uow_factory) -> None:
    """`_` or `²` beside real words leaves their results; alone, it is a search for nothing."""
    add(uow_factory, 1, "Restorative circles")
    add(uow_factory, 2, "Family nights")

    for query in ["restorative _", "² restorative", "restorative __ ²³ — …"]:
        assert titles(uow_factory, query) == ["Restorative circles"], query
    for query in ["_", "²", "_ ² ·"]:
        assert titles(uow_factory, query) == ["Family nights", "Restorative circles"], query


def test_a_prefix_of_any_length_finds_the_word(uow_factory) -> None:
    """From its first letter to the whole word, and for a word longer than FTS5's prefix indexes."""
    add(uow_factory, 1, "Mentoring circles", "Weekly.")
    add(uow_factory, 2, "Pneumonoultramicroscopicsilicovolcanoconiosis screening", "Daily.")
    add(uow_factory, 3, "Garden club", "Weekly.")

    for query in ["m", "men", "ment", "mentor", "mentoring", "weekly ment"]:
        assert titles(uow_factory, query) == ["Mentoring circles"], query
    for query in ["pneumonoultramicroscopic", "pneumonoultramicroscopicsilicovolcanoconiosis"]:
        assert titles(uow_factory, query) == [
            "Pneumonoultramicroscopicsilicovolcanoconiosis screening"
        ], query


def test_a_word_only_in_summaries_is_found_newest_first(uow_factory) -> None:
    """A word no title or organisation has is looked for, newest first, in the summaries."""
    for n in range(15):
        add(uow_factory, n, f"Garden club {n}", "Weekly meals." if n % 2 else "Weekly.")

    assert titles(uow_factory, "meals") == [f"Garden club {n}" for n in (13, 11, 9, 7, 5, 3, 1)]
    assert titles(uow_factory, "weekly")[:3] == [
        "Garden club 14",
        "Garden club 13",
        "Garden club 12",
    ]


def test_a_county_or_region_filter_gives_its_newest_matches(uow_factory) -> None:
    """Filtered by county or region, the newest 10 of that place, with or without words."""
    for n in range(30):
        place = {"county": "Alameda", "region": "Bay Area"} if n % 3 == 0 else {}
        add(uow_factory, n, f"Parent cafe {n}", **place)
    newest = [f"Parent cafe {n}" for n in range(27, -1, -3)]

    assert titles(uow_factory, "", counties=("Alameda",)) == newest
    assert titles(uow_factory, "", regions=("Bay Area",)) == newest
    assert titles(uow_factory, "cafe", counties=("Alameda",)) == newest


@pytest.mark.parametrize("place", [{}, {"counties": ["Fresno"]}])
def test_tiers_rank_the_same_when_their_matches_lie_beyond_the_newest_items(
    uow_factory, monkeypatch: pytest.MonkeyPatch, place: dict[str, list[str]]
) -> None:
    """Title matches older than the newest items still come first, then the rest by tier.

    PostgreSQL first looks among the newest items (here three) and goes to its indexes for a
    tier with too few matches there; SQLite has no window. Either way the order is by tier,
    newest first within each, with a match found in the window never repeated.
    """
    monkeypatch.setattr("storage.repositories.search.POSTGRESQL_WINDOW", 3)
    add(uow_factory, 1, "Mentoring circles", "Weekly.")
    add(uow_factory, 2, "Tutoring", "Weekly.", organisation="Mentoring Partners")
    add(uow_factory, 3, "Peer mentoring", "Daily.")
    add(uow_factory, 4, "Homework club", "Some mentoring too.")
    add(uow_factory, 5, "Reading nights", "Volunteers.")
    add(uow_factory, 6, "Study hall", "Mentoring after school.")
    add(uow_factory, 7, "Family nights", "Mentors and mentoring.")
    add(uow_factory, 8, "Mentoring for ninth graders", "Weekly.")
    add(uow_factory, 9, "Garden days", "Volunteers.")

    assert titles(uow_factory, "mentoring", **place) == [
        "Mentoring for ninth graders",
        "Peer mentoring",
        "Mentoring circles",
        "Tutoring",
        "Family nights",
        "Study hall",
        "Homework club",
    ]
