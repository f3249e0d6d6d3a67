"""The yearly "still offered?": asked once across processes, answered, or left unconfirmed."""

from __future__ import annotations

from collections.abc import Callable

from handlers import ta_offerings
from handlers.ta_offerings import ids
from tests.conftest import MEMBER
from tests.handlers.ta_offerings.support import COLLEAGUE, PROVIDER, find, listed, offerings
from tests.harness import Bot


def questions(bot: Bot, user: str) -> list[dict[str, object]]:
    return [p for p in bot.slack.posts(user) if "Is this still offered?" in str(p["text"])]


def test_the_yearly_question_is_sent_once_across_two_processes(
    bot: Bot, bot_with: Callable[[], Bot]
) -> None:
    """A year after approval its contacts get one DM, however many processes run the job."""
    listed(bot, contacts=[PROVIDER, COLLEAGUE])
    other = bot_with()
    bot.clock.advance(days=364)
    assert ta_offerings.upkeep(bot.runtime.deps) == (0, 0)

    bot.clock.advance(days=1)
    first = ta_offerings.upkeep(bot.runtime.deps)
    second = ta_offerings.upkeep(other.runtime.deps)
    bot.deliver()

    assert (first, second) == ((1, 0), (0, 0))
    assert len(questions(bot, PROVIDER)) == 1 and len(questions(bot, COLLEAGUE)) == 1
    buttons = [
        e["text"]["text"]
        for b in questions(bot, PROVIDER)[0]["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]  # type: ignore[index]
    assert buttons == ["Still offered", "Retire it"]


def test_still_offered_confirms_it_for_another_year(bot: Bot) -> None:
    """Still offered resets the clock: nothing is marked after 30 days, the next ask is later."""
    offering_id = listed(bot)
    bot.clock.advance(days=365)
    ta_offerings.upkeep(bot.runtime.deps)
    bot.deliver()

    bot.clock.advance(days=2)
    bot.click(ids.STILL_OFFERED_ACTION, str(offering_id), PROVIDER, f"D{PROVIDER}")
    bot.click(ids.STILL_OFFERED_ACTION, str(offering_id), PROVIDER, f"D{PROVIDER}")
    bot.clock.advance(days=40)

    assert ta_offerings.upkeep(bot.runtime.deps) == (0, 0)
    [offering] = offerings(bot)
    assert offering.confirmed_at is not None and offering.unconfirmed_at is None
    assert "stays in the directory" in bot.ephemerals(PROVIDER)[0]
    assert "already confirmed" in bot.ephemerals(PROVIDER)[1]


def test_thirty_days_of_silence_mark_it_unconfirmed_but_still_listed(bot: Bot) -> None:
    """No answer in 30 days labels it unconfirmed; it is still found, and says so."""
    listed(bot)
    bot.clock.advance(days=365)
    ta_offerings.upkeep(bot.runtime.deps)
    bot.clock.advance(days=29)
    assert ta_offerings.upkeep(bot.runtime.deps) == (0, 0)

    bot.clock.advance(days=1)
    assert ta_offerings.upkeep(bot.runtime.deps) == (0, 1)

    [offering] = offerings(bot)
    assert offering.unconfirmed and offering.status == "approved"
    answer = find(bot, MEMBER, "topic:lcap")
    assert "Unconfirmed" in str(answer["blocks"])


def test_retire_it_from_the_question_unlists_it(bot: Bot) -> None:
    """Retire it in the DM takes the offering out of the directory."""
    offering_id = listed(bot)
    bot.clock.advance(days=365)
    ta_offerings.upkeep(bot.runtime.deps)

    bot.click(ids.RETIRE_ACTION, str(offering_id), PROVIDER, f"D{PROVIDER}")

    assert offerings(bot)[0].status == "retired"
    assert find(bot, MEMBER, "topic:lcap")["blocks"][1:] == []
