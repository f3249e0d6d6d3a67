"""Change key dates: a published update's dates move, the post and followers follow."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from demokit import simulate
from handlers.policy import ids
from tests.conftest import COORDINATORS, MEMBER, FrozenClock
from tests.handlers.policy.helpers import (
    change_dates,
    dms,
    follow,
    post_now,
    published,
    run_reminders,
    stored,
)
from tests.harness import Bot, body_json

PACIFIC = ZoneInfo("America/Los_Angeles")
ANA, STRANGER = "UANA00001", "USTRANGE1"


def test_a_postponed_hearing_edits_the_post_and_tells_each_follower_once(bot: Bot) -> None:
    """Hearing moved a week: the post shows the new date and a history line; one DM each."""
    update = published(bot, key_dates=[("Hearing", "2026-12-10")])
    follow(bot, update.id, ANA)
    bot.deliver()

    answer = change_dates(bot, MEMBER, update.id, [("Hearing", "2026-12-17")])
    answer_again = change_dates(bot, MEMBER, update.id, [("Hearing", "2026-12-17")])
    assert body_json(answer) == {}
    assert body_json(answer_again) == {}, "a replay of the same form is answered as the first"
    bot.deliver()

    text = json.dumps(post_now(bot), ensure_ascii=False)
    assert "*Hearing:* Thu, Dec 17, 2026" in text
    assert "Dec 10, 2026" not in text
    assert "Key dates changed: Hearing: Dec 10 → Dec 17" in text
    [notice] = [t for t in dms(bot, ANA) if "new key dates" in t]
    assert "Hearing: Dec 10 → Dec 17" in notice
    saved = stored(bot)[0]
    assert saved.key_dates == [{"label": "Hearing", "on": "2026-12-17"}]
    assert str(saved.last_key_date) == "2026-12-17"


def test_reminders_follow_the_new_date(bot: Bot, clock: FrozenClock) -> None:
    """No week-ahead reminder for the old Dec 10; one for the new Dec 17, on Dec 10."""
    update = published(bot, key_dates=[("Hearing", "2026-12-10")])
    follow(bot, update.id, ANA)
    change_dates(bot, MEMBER, update.id, [("Hearing", "2026-12-17")])

    clock.now = datetime(2026, 12, 3, 9, 30, tzinfo=PACIFIC)
    run_reminders(bot)
    bot.deliver()
    assert [t for t in dms(bot, ANA) if t.startswith("Reminder:")] == []

    clock.now = datetime(2026, 12, 10, 9, 30, tzinfo=PACIFIC)
    run_reminders(bot)
    bot.deliver()
    [reminder] = [t for t in dms(bot, ANA) if t.startswith("Reminder:")]
    assert "is in 7 days, Thu, Dec 17, 2026" in reminder


def test_a_passed_date_may_stay_but_none_may_move_into_the_past(
    bot: Bot, clock: FrozenClock
) -> None:
    """After the hearing, the floor vote can move while the hearing stays listed."""
    update = published(bot, key_dates=[("Hearing", "2026-12-10"), ("Floor vote", "2026-12-20")])
    clock.now = datetime(2026, 12, 14, 10, 0, tzinfo=PACIFIC)

    refused = change_dates(
        bot, MEMBER, update.id, [("Hearing", "2026-12-11"), ("Floor vote", "2026-12-20")]
    )
    assert "has passed" in body_json(refused)["errors"][ids.DATE_1_BLOCK]

    kept = change_dates(
        bot,
        MEMBER,
        update.id,
        [("Hearing", "2026-12-10"), ("Floor vote", "2027-01-06")],
        view_id="VDATES002",
    )
    assert body_json(kept) == {}
    assert [d["on"] for d in stored(bot)[0].key_dates] == ["2026-12-10", "2027-01-06"]


def test_unchanged_dates_are_refused_with_a_reason(bot: Bot) -> None:
    """Saving the dates as they are says so instead of telling every follower nothing."""
    update = published(bot, key_dates=[("Hearing", "2026-12-10")])
    answer = change_dates(bot, MEMBER, update.id, [("Hearing", "2026-12-10")])
    assert "already" in body_json(answer)["errors"][ids.DATE_1_BLOCK]
    assert stored(bot)[0].history == []


def test_only_its_member_or_a_coordinator_may_change_the_dates(bot: Bot) -> None:
    """A stranger's menu click is refused privately; a crafted form changes nothing."""
    update = published(bot, key_dates=[("Hearing", "2026-12-10")])
    bot.send(
        simulate.overflow_click(
            ids.MANAGE_ACTION, f"dates:{update.id}", STRANGER, channel="CPOLICY01"
        )
    )
    assert bot.ephemerals(STRANGER) == [
        "Only the member who shared this update or a coordinator can change its status."
    ]
    values = {
        ids.DATE_1_LABEL_BLOCK: simulate.text_state(ids.DATE_1_LABEL_INPUT, "Hearing"),
        ids.DATE_1_BLOCK: simulate.date_state(ids.DATE_1_INPUT, "2027-02-01"),
    }
    crafted = simulate.view_submission(
        ids.DATES_MODAL,
        STRANGER,
        values,
        view_id="VCRAFTED1",
        private_metadata=json.dumps({"update_id": update.id, "sequence": update.sequence}),
    )
    assert "Only the member" in body_json(bot.send(crafted))["errors"][ids.DATE_1_BLOCK]
    assert stored(bot)[0].key_dates == [{"label": "Hearing", "on": "2026-12-10"}]

    answer = change_dates(bot, COORDINATORS[0], update.id, [("Hearing", "2026-12-15")])
    assert body_json(answer) == {}
    assert stored(bot)[0].key_dates == [{"label": "Hearing", "on": "2026-12-15"}]
