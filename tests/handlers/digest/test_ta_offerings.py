"""The digest's "New TA available": offerings approved in the week, in the shared layout."""

from __future__ import annotations

import pytest

from core.config import Settings
from demokit.fake_slack import FakeSlack
from tests.conftest import FrozenClock, make_settings
from tests.handlers.digest.conftest import DIGEST_CHANNEL, MIDWEEK, section_texts
from tests.handlers.digest.test_subscriptions import digest_dms, run_digest, subscribe
from tests.handlers.ta.conftest import TA_SETTINGS
from tests.handlers.ta.support import TA_CHANNEL
from tests.handlers.ta_offerings.support import listed
from tests.harness import Bot


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema, ccsn_digest_channel=DIGEST_CHANNEL, **TA_SETTINGS)


def test_the_digest_lists_new_ta_linked_to_its_post(bot: Bot, clock: FrozenClock) -> None:
    """Offerings approved this week appear under New TA available, linked to the TA channel."""
    clock.now = MIDWEEK
    listed(bot)
    listed(bot, organisation="Statewide Coaching", regions=["statewide"], cost="grant")

    run_digest(bot, clock)

    [digest] = bot.slack.posts(DIGEST_CHANNEL)
    text = section_texts(digest)
    assert "New TA available (2)" in text
    assert f"archives/{TA_CHANNEL}/p" in text
    assert "Fresno County Office of Education" in text
    assert "Statewide · Covered by a grant" in text
    assert "2 TA offerings listed" in text
    assert len(digest["blocks"]) <= 50


def test_personal_digests_filter_new_ta_by_region_and_topic(bot: Bot, clock: FrozenClock) -> None:
    """A member's regions and TA topics pick the offerings; statewide serves every region."""
    clock.now = MIDWEEK
    listed(bot)  # Central Valley, LCAP and sustainability
    listed(bot, organisation="Climate Statewide", regions=["statewide"], topics=["climate"])
    subscribe(bot, "UCENTRAL1", regions=("Central Valley",))
    subscribe(bot, "UCLIMATE1", regions=("Bay Area",), topics=("climate",))
    subscribe(bot, "UNOTHING1", regions=("Bay Area",), topics=("lcap",))

    run_digest(bot, clock)

    def names(user: str) -> list[str]:
        found = []
        for dm in digest_dms(bot, user):
            text = section_texts(dm)
            found += [n for n in ("Fresno County", "Climate Statewide") if n in text]
        return found

    assert names("UCENTRAL1") == ["Fresno County", "Climate Statewide"]
    assert names("UCLIMATE1") == ["Climate Statewide"]
    assert names("UNOTHING1") == []
