"""Personal digests: subscribing with filters, filtered DMs, one-click unsubscribe, many members."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.app import build_runtime
from demokit import simulate
from handlers.digest import ids, service
from storage.models import DigestSubscription, OutboxStatus
from tests.conftest import MEMBER, SIGNING_SECRET, FrozenClock, make_settings
from tests.handlers.digest.conftest import DUE, approved, section_texts
from tests.harness import Bot, body_json


def form(
    regions: tuple[str, ...] = (),
    pillars: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    funding: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        ids.REGIONS_BLOCK: simulate.multi_state(ids.REGIONS_INPUT, list(regions)),
        ids.PILLARS_BLOCK: simulate.multi_state(ids.PILLARS_INPUT, list(pillars)),
        ids.TOPICS_BLOCK: simulate.multi_state(ids.TOPICS_INPUT, list(topics)),
        ids.FUNDING_BLOCK: simulate.multi_state(ids.FUNDING_INPUT, list(funding)),
    }


def subscribe(bot: Bot, user: str, view_id: str | None = None, **filters: Any) -> dict[str, Any]:
    response = bot.submit(ids.SUBSCRIBE_MODAL, user, form(**filters), {}, view_id or f"V{user}")
    return body_json(response)


def subscriptions(bot: Bot) -> list[DigestSubscription]:
    with bot.runtime.deps.uow() as uow:
        return list(uow.digest_subscriptions.all())


def run_digest(bot: Bot, clock: FrozenClock) -> None:
    clock.now = DUE + timedelta(minutes=1)
    bot.runtime.scheduler.catch_up()
    bot.deliver()


def digest_dms(bot: Bot, user: str) -> list[dict[str, Any]]:
    return [p for p in bot.slack.posts(user) if p["text"].startswith("Your CCSN digest")]


def test_subscribe_opens_the_form_filled_with_current_choices(bot: Bot) -> None:
    """`/ccsn subscribe` opens an empty form; once subscribed, it shows the member's filters."""
    bot.send(simulate.slash_command("/ccsn", MEMBER, "subscribe"))
    subscribe(bot, MEMBER, regions=("Bay Area",), pillars=("supports",), funding=("elop",))
    bot.send(simulate.slash_command("/ccsn", MEMBER, "subscribe"))

    blank, filled = bot.opened_views()
    assert blank["callback_id"] == ids.SUBSCRIBE_MODAL
    assert all("initial_options" not in b.get("element", {}) for b in blank["blocks"])
    chosen = {
        b["block_id"]: [o["value"] for o in b["element"].get("initial_options", [])]
        for b in filled["blocks"]
        if b["type"] == "input"
    }
    assert chosen == {
        ids.REGIONS_BLOCK: ["Bay Area"],
        ids.PILLARS_BLOCK: ["supports"],
        ids.TOPICS_BLOCK: [],
        ids.FUNDING_BLOCK: ["elop"],
    }
    assert filled["submit"]["text"] == "Save"


def test_subscribing_saves_the_filters_and_confirms_by_dm(bot: Bot) -> None:
    """The member is told what they will get and when; submitting twice saves once."""
    assert subscribe(bot, MEMBER, "VSUB1", regions=("Bay Area",), topics=("data",)) == {}
    assert subscribe(bot, MEMBER, "VSUB1", regions=("Bay Area",), topics=("data",)) == {}
    bot.deliver()

    [saved] = subscriptions(bot)
    assert (saved.user_id, saved.regions, saved.pillars, saved.ta_topics) == (
        MEMBER,
        ["Bay Area"],
        [],
        ["data"],
    )
    [dm] = bot.slack.posts(MEMBER)
    assert dm["text"] == (
        "You're subscribed to a personal CCSN digest: Bay Area · all pillars · "
        "Data &amp; continuous improvement (PDSA). The next one comes on Mon Dec 7 at 9:00 AM "
        "PST, in any week with something for you."
    )
    buttons = [e["action_id"] for e in dm["blocks"][-1]["elements"]]
    assert buttons == [ids.EDIT_SUBSCRIPTION_ACTION, ids.UNSUBSCRIBE_ACTION]
    assert [(e.entity_type, e.action) for e in bot.audit()] == [
        ("digest_subscription", "subscribed")
    ]


def test_changing_filters_replaces_them(bot: Bot) -> None:
    """A second form from the same member updates their one subscription."""
    subscribe(bot, MEMBER, "VSUB1", regions=("Bay Area",))
    subscribe(bot, MEMBER, "VSUB2", pillars=("leadership",))

    [saved] = subscriptions(bot)
    assert (saved.regions, saved.pillars) == ([], ["leadership"])
    assert [e.action for e in bot.audit()] == ["subscribed", "changed"]


def test_options_not_from_the_list_are_field_errors(bot: Bot) -> None:
    """A forged region is refused on its field and nothing is saved."""
    answer = subscribe(bot, MEMBER, regions=("Atlantis",))

    assert answer == {
        "response_action": "errors",
        "errors": {ids.REGIONS_BLOCK: "Choose regions from the list."},
    }
    assert subscriptions(bot) == []


def test_personal_digests_keep_only_what_each_member_chose(bot: Bot, clock: FrozenClock) -> None:
    """Region and pillar filters pick the practices; no filter gets all; no match gets no DM."""
    approved(bot, 1, title="Fresno family nights", county="Fresno", pillars=["engagement"])
    approved(bot, 1, title="Oakland wellness room", county="Alameda", pillars=["supports"])
    approved(bot, 1, title="LA advisory council", county="Los Angeles", pillars=["leadership"])
    subscribe(bot, "UBAYAREA1", regions=("Bay Area",))
    subscribe(bot, "USUPPORT1", pillars=("supports", "leadership"))
    subscribe(bot, "UBOTH0001", regions=("Central Valley",), pillars=("engagement",))
    subscribe(bot, "UALL00001")
    subscribe(bot, "UINLAND01", regions=("Southern Inland",))

    run_digest(bot, clock)

    def titles(user: str) -> list[str]:
        [dm] = digest_dms(bot, user)
        known = ("Fresno family nights", "Oakland wellness room", "LA advisory council")
        return [t for t in known if t in section_texts(dm)]

    assert titles("UBAYAREA1") == ["Oakland wellness room"]
    assert titles("USUPPORT1") == ["Oakland wellness room", "LA advisory council"]
    assert titles("UBOTH0001") == ["Fresno family nights"]
    assert titles("UALL00001") == [
        "Fresno family nights",
        "Oakland wellness room",
        "LA advisory council",
    ]
    assert digest_dms(bot, "UINLAND01") == []
    [dm] = digest_dms(bot, "UBAYAREA1")
    assert dm["text"] == "Your CCSN digest · Nov 30, 2026: 1 new practice"
    assert "For Bay Area · all pillars · all TA topics" in section_texts(dm)


def test_a_personal_digest_is_one_message_with_the_rest_counted(
    bot: Bot, clock: FrozenClock
) -> None:
    """300 matching practices fit one DM within limits, with "and N more" and the buttons."""
    approved(bot, 300)
    subscribe(bot, MEMBER)

    run_digest(bot, clock)

    [dm] = digest_dms(bot, MEMBER)
    assert "thread_ts" not in dm
    assert len(dm["blocks"]) <= 50
    text = section_texts(dm)
    listed = text.count("• ")
    hidden = int(text.split("…and ")[1].split(" ")[0])
    assert listed + hidden == 300
    assert dm["blocks"][-1]["elements"][1]["action_id"] == ids.UNSUBSCRIBE_ACTION


def test_unsubscribe_is_one_click_from_the_dm(bot: Bot, clock: FrozenClock) -> None:
    """Clicking Unsubscribe ends the subscription, confirms by DM, and stops the next digest."""
    approved(bot)
    subscribe(bot, MEMBER)
    run_digest(bot, clock)
    [dm] = digest_dms(bot, MEMBER)
    button = dm["blocks"][-1]["elements"][1]

    bot.click(button["action_id"], button["value"], MEMBER, "DMEMBER01")
    bot.deliver()
    clock.advance(days=7)
    approved(bot, at=clock.now - timedelta(days=1))
    bot.runtime.scheduler.catch_up()
    bot.deliver()

    assert subscriptions(bot) == []
    assert bot.slack.posts(MEMBER)[-1]["text"].startswith("You're unsubscribed")
    assert len(digest_dms(bot, MEMBER)) == 1
    assert [e.action for e in bot.audit() if e.entity_type == "digest_subscription"] == [
        "subscribed",
        "unsubscribed",
    ]


def test_someone_else_clicking_unsubscribe_ends_only_their_own(bot: Bot) -> None:
    """Whose subscription ends comes from who clicked, never from the button."""
    subscribe(bot, MEMBER)

    bot.click(ids.UNSUBSCRIBE_ACTION, MEMBER, "USTRANGER", "DSTRANGE1")

    assert [s.user_id for s in subscriptions(bot)] == [MEMBER]
    assert bot.ephemerals("USTRANGER") == [
        "You're not subscribed to a personal digest. `/ccsn subscribe` starts one."
    ]


def test_unsubscribe_by_command(bot: Bot) -> None:
    """`/ccsn unsubscribe` stops the personal digest and says so."""
    subscribe(bot, MEMBER)

    response = bot.send(simulate.slash_command("/ccsn", MEMBER, "unsubscribe"))

    assert response.body == "Done: no more personal digests. `/ccsn subscribe` starts them again."
    assert subscriptions(bot) == []


def test_change_filters_reopens_the_form(bot: Bot) -> None:
    """The DM's Change filters button opens the form with the member's choices."""
    subscribe(bot, MEMBER, pillars=("engagement",))

    bot.click(ids.EDIT_SUBSCRIPTION_ACTION, "edit", MEMBER, "DMEMBER01")

    [opened] = bot.opened_views()
    pillars = next(b for b in opened["blocks"] if b.get("block_id") == ids.PILLARS_BLOCK)
    assert [o["value"] for o in pillars["element"]["initial_options"]] == ["engagement"]


def test_hundreds_of_members_each_get_one_dm_at_the_pace_slack_allows(
    bot: Bot, clock: FrozenClock
) -> None:
    """200 members: DMs Slack rate-limits wait out Retry-After; a rerun sends no duplicates."""
    approved(bot)
    members = [f"UMEMBER{n:03d}" for n in range(200)]
    with bot.runtime.deps.uow() as uow:
        for user in members:
            uow.digest_subscriptions.save(user, regions=[], pillars=[], ta_topics=[], at=DUE)
        uow.commit()
    bot.slack.fail_next("chat.postMessage", times=5, status=429, retry_after=10)
    clock.now = DUE + timedelta(minutes=1)

    def delivered() -> list[str]:
        return sorted(p["channel"] for p in bot.slack.posts() if p["channel"] in members)

    assert service.send_personal_digests(bot.runtime.deps, DUE) == 200
    bot.deliver()
    assert len(delivered()) == 195
    clock.advance(seconds=9)
    bot.deliver()
    assert len(delivered()) == 195
    clock.advance(seconds=1)
    bot.deliver()
    bot.runtime.scheduler.catch_up()  # the whole run again: no member gets a second DM
    bot.deliver()

    assert delivered() == members
    assert {m.status for m in bot.outbox() if m.channel in members} == {OutboxStatus.SENT}


def test_personal_digests_go_out_without_a_digest_channel(
    slack, schema: str, clock: FrozenClock
) -> None:
    """With CCSN_DIGEST_CHANNEL unset there is no channel post, but members still get theirs."""
    runtime = build_runtime(make_settings(slack, schema), clock=clock)
    bot = Bot(runtime=runtime, slack=slack, clock=clock, secret=SIGNING_SECRET)
    approved(bot)
    subscribe(bot, MEMBER)

    run_digest(bot, clock)
    runtime.close()

    assert [p["channel"] for p in slack.posts() if p["text"].startswith("Your CCSN")] == [MEMBER]
    assert [p for p in slack.posts() if p["text"].startswith("CCSN weekly")] == []
