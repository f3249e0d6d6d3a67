"""The digest's "Policy & funding": what moved in the week and the key dates of the next two."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from handlers.digest import service
from handlers.digest.sources import DigestFilter, DigestWindow, policy_source
from storage.outbox_links import Links
from tests.conftest import MEMBER, FrozenClock
from tests.handlers.digest.conftest import DIGEST_CHANNEL, DUE, MIDWEEK, section_texts
from tests.handlers.digest.test_subscriptions import subscribe
from tests.handlers.policy.helpers import published, update_status
from tests.harness import Bot


def run_digest(bot: Bot, clock: FrozenClock) -> list[dict[str, object]]:
    clock.now = DUE + timedelta(minutes=1)
    bot.runtime.scheduler.catch_up()
    bot.deliver()
    return bot.slack.posts(DIGEST_CHANNEL)


def test_the_digest_lists_updates_that_moved_and_dates_ahead(
    make_bot: Callable[..., Bot], clock: FrozenClock
) -> None:
    """Approved this week, moved this week, a hearing in 10 days; a date in 7 weeks is not."""
    bot = make_bot(ccsn_digest_channel=DIGEST_CHANNEL)
    clock.now = MIDWEEK
    bill = published(bot, key_dates=[("Hearing", "2026-12-10"), ("Floor vote", "2027-01-15")])
    grant = published(
        bot,
        title="CCSPP implementation grants",
        kind="funding",
        stage="open",
        identifier=None,
        key_dates=[],
    )
    clock.advance(days=1)
    update_status(bot, MEMBER, grant.id, "closing_soon", "Two weeks left")

    [digest] = run_digest(bot, clock)
    text = section_texts(digest)

    assert "Policy & funding (3)" in text
    assert "Bill AB 2117 · In committee" in text
    assert "CCSPP implementation grants" in text and "Funding opportunity · Closing soon" in text
    assert "Thu Dec 10 — Hearing:" in text
    assert "Floor vote" not in text
    assert "1 policy deadline ahead" in text
    assert f"policy:{bill.id}" not in text  # linked through the outbox, never by key in text


def test_personal_filters_apply_to_policy_updates(
    make_bot: Callable[..., Bot], clock: FrozenClock
) -> None:
    """A Bay Area member sees the state's update, not Fresno's; a pillar filter is honoured."""
    bot = make_bot(ccsn_digest_channel=DIGEST_CHANNEL)
    clock.now = MIDWEEK
    published(bot, title="Statewide coordinator bill")
    published(
        bot,
        title="Fresno Unified wellness policy",
        kind="local",
        stage="proposed",
        identifier=None,
        jurisdiction="Fresno",
        district="Fresno Unified",
    )
    subscribe(bot, "UBAYAREA1", regions=("Bay Area",))
    subscribe(bot, "UENGAGE01", pillars=("engagement",))

    run_digest(bot, clock)

    [bay] = [
        p for p in bot.slack.posts("UBAYAREA1") if str(p["text"]).startswith("Your CCSN digest")
    ]
    assert "Statewide coordinator bill" in section_texts(bay)
    assert "Fresno Unified wellness policy" not in section_texts(bay)
    assert [
        p for p in bot.slack.posts("UENGAGE01") if str(p["text"]).startswith("Your CCSN digest")
    ] == []


def test_funding_stream_filters_keep_only_matching_updates(
    make_bot: Callable[..., Bot], clock: FrozenClock
) -> None:
    """A digest filter naming ELO-P keeps the update tagged ELO-P, not the CCSPP one."""
    bot = make_bot()
    clock.now = MIDWEEK
    published(bot, title="CCSPP bill", funding=["ccspp"], key_dates=[])
    published(bot, title="ELO-P notice", funding=["elop"], key_dates=[])
    window = DigestWindow(since=MIDWEEK - timedelta(days=1), until=DUE)
    with bot.runtime.deps.uow() as uow:
        result = policy_source(
            uow,
            window,
            bot.runtime.deps.settings,
            DigestFilter(funding_streams=frozenset({"elop"})),
            Links(),
        )
    [group] = result.section.groups
    [line] = group.lines
    assert "ELO-P notice" in line and "CCSPP bill" not in line
    assert service.SOURCES[-1] is policy_source


def test_a_funding_stream_chosen_on_the_form_narrows_policy_and_funding(
    make_bot: Callable[..., Bot], clock: FrozenClock
) -> None:
    """The form saves ELO-P; that member's digest lists the ELO-P notice, not the CCSPP bill."""
    bot = make_bot(ccsn_digest_channel=DIGEST_CHANNEL)
    clock.now = MIDWEEK
    published(bot, title="CCSPP bill", funding=["ccspp"], key_dates=[])
    published(bot, title="ELO-P notice", funding=["elop"], key_dates=[])

    assert subscribe(bot, "UELOP0001", funding=("elop",)) == {}
    with bot.runtime.deps.uow() as uow:
        saved = uow.digest_subscriptions.get("UELOP0001")
        assert saved is not None and saved.funding_streams == ["elop"]

    run_digest(bot, clock)

    [dm] = [p for p in bot.slack.posts("UELOP0001") if str(p["text"]).startswith("Your CCSN")]
    text = section_texts(dm)
    assert "ELO-P notice" in text
    assert "CCSPP bill" not in text
    assert "policy &amp; funding on ELO-P (Expanded Learning Opportunities Program)" in text
