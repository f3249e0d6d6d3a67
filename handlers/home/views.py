"""Block Kit for the App Home tab. Pure functions of `HomeData`.

The tab never exceeds Slack's 100 blocks: TA offerings, policy updates and upcoming events
are capped (then a count of the rest), every other section has a fixed size, and the
member's own submissions get what is left (most recent first, then a count of the rest).
`home_view` trims as a last resort, so no data can make `views.publish` fail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers import blocks
from handlers.digest.views import filter_summary
from handlers.events.messages import going_text
from handlers.events.views import local_span, region_label
from handlers.home import ids
from handlers.home.schemas import (
    CANCEL_EVENT,
    CANCEL_TA,
    CONFIRM_OFFERING,
    EDIT,
    RETIRE_OFFERING,
    UPDATE_STATUS,
    WITHDRAW,
    HomeData,
    MyItem,
    MyOffering,
    MyPolicyUpdate,
    QueueLine,
    UpcomingEvent,
)
from handlers.network.schemas import SetupLine
from handlers.network.views import network_blocks
from handlers.policy import ids as policy_ids
from handlers.policy.views import kind_label, stage_label
from handlers.ta.views import day_date, reference, topic_label
from handlers.ta_offerings.ids import HOME_FIND_ACTION, HOME_OFFER_ACTION

_STATUS = {
    "practice": {
        "pending": ":hourglass_flowing_sand: Waiting for review",
        "changes_requested": ":pencil2: Changes requested",
        "approved": ":white_check_mark: Published",
        "rejected": ":no_entry_sign: Not published",
        "withdrawn": ":leftwards_arrow_with_hook: Withdrawn",
    },
    "event": {
        "pending": ":hourglass_flowing_sand: Waiting for review",
        "changes_requested": ":pencil2: Changes requested",
        "approved": ":white_check_mark: Announced",
        "rejected": ":no_entry_sign: Not announced",
        "withdrawn": ":leftwards_arrow_with_hook: Withdrawn",
        "cancelled": ":no_entry_sign: Cancelled",
    },
    "ta_offering": {
        "pending": ":hourglass_flowing_sand: Waiting for review",
        "changes_requested": ":pencil2: Changes requested",
        "approved": ":white_check_mark: Listed in the directory",
        "asked": ":white_check_mark: Listed · :grey_question: is it still offered? Say so below",
        "unconfirmed": ":grey_question: Unconfirmed: listed, labelled so until someone says "
        "it is still offered",
        "rejected": ":no_entry_sign: Not listed",
        "withdrawn": ":leftwards_arrow_with_hook: Withdrawn",
        "retired": ":no_entry_sign: Retired",
    },
    "policy": {
        "pending": ":hourglass_flowing_sand: Waiting for review",
        "changes_requested": ":pencil2: Changes requested",
        "approved": ":white_check_mark: Published",
        "rejected": ":no_entry_sign: Not published",
        "withdrawn": ":leftwards_arrow_with_hook: Withdrawn",
    },
    "ta": {
        "open": ":large_green_circle: Open: waiting for a provider",
        "claimed": ":raising_hand: Claimed",
        "resolved": ":white_check_mark: Resolved",
        "cancelled": ":no_entry_sign: Cancelled",
    },
}
_NOUN = {
    "practice": "practice",
    "event": "event",
    "ta": "TA request",
    "ta_offering": "offering",
    "policy": "update",
}


def short_date(at: datetime, tz: ZoneInfo) -> str:
    """A day as people say it: `Nov 30, 2026`."""
    local = at.astimezone(tz)
    return f"{local:%b} {local.day}, {local.year}"


def age(now: datetime, since: datetime) -> str:
    """How long something has waited, in the largest whole unit: `3 days`, `5 hours`."""
    hours = int((now - since).total_seconds() // 3600)
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{hours // 24} days"


def _confirm(title: str, text: str, yes: str) -> dict[str, Any]:
    return {
        "title": blocks.plain(title, 100),
        "text": blocks.plain(text, 300),
        "confirm": blocks.plain(yes, 30),
        "deny": blocks.plain("Keep it", 30),
        "style": "danger",
    }


def _buttons(item: MyItem) -> list[dict[str, Any]]:
    return _action_buttons(item.kind, item.id, item.status, item.actions)


def _action_buttons(
    kind: str, item_id: int, status: str, wanted: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The buttons for one of the member's own things, in the order its actions are listed."""
    ref = f"{kind}:{item_id}"
    noun = _NOUN[kind]
    found: list[dict[str, Any]] = []
    for action in wanted:
        if action == EDIT:
            resubmit = status == "changes_requested"
            label = "Edit and resubmit" if resubmit else f"Edit {noun}"
            style = "primary" if resubmit else None
            found.append(blocks.button(label, ids.EDIT_ACTION, ref, style=style))
        elif action == WITHDRAW:
            button = blocks.button("Withdraw", ids.WITHDRAW_ACTION, ref, style="danger")
            button["confirm"] = _confirm(
                f"Withdraw this {noun}?",
                "The coordinators will no longer review it, and it will not be published. "
                "This cannot be undone.",
                "Withdraw",
            )
            found.append(button)
        elif action == CANCEL_EVENT:
            found.append(
                blocks.button("Cancel event", ids.CANCEL_EVENT_ACTION, str(item_id), style="danger")
            )
        elif action == CONFIRM_OFFERING:
            found.append(
                blocks.button(
                    "Still offered", ids.CONFIRM_OFFERING_ACTION, str(item_id), style="primary"
                )
            )
        elif action == RETIRE_OFFERING:
            button = blocks.button(
                "Retire", ids.RETIRE_OFFERING_ACTION, str(item_id), style="danger"
            )
            button["confirm"] = _confirm(
                "Retire this offering?",
                "It leaves the TA directory and its post says it is no longer offered.",
                "Retire it",
            )
            found.append(button)
        elif action == UPDATE_STATUS:
            found.append(blocks.button("Update status", ids.POLICY_STATUS_ACTION, str(item_id)))
        elif action == CANCEL_TA:
            button = blocks.button(
                "Cancel request", ids.CANCEL_TA_ACTION, str(item_id), style="danger"
            )
            button["confirm"] = _confirm(
                "Cancel this request?", "The TA providers will stop working on it.", "Cancel it"
            )
            found.append(button)
    return found


def item_blocks(item: MyItem, tz: ZoneInfo) -> list[blocks.Block]:
    """One of the member's items: a section, and its buttons when it has any (1-2 blocks)."""
    status = _STATUS[item.kind].get(item.status, blocks.escape(item.status))
    if item.kind == "ta":
        heading = f"*{reference(item.id)}: {topic_label(item.title)}*"
        if item.holder:
            status += f" by {blocks.user(item.holder)}"
        needed = f" · needed by {day_date(item.needed_by)}" if item.needed_by else ""
        detail = f"TA request · {status}{needed} · asked {short_date(item.created_at, tz)}"
    elif item.kind == "event":
        heading = f"*{blocks.escape(item.title)}*"
        when = ""
        if item.starts_at is not None:
            when = f" on {blocks.escape(short_date(item.starts_at, tz))}"
        detail = f"Event{when} · {status} · submitted {short_date(item.created_at, tz)}"
    else:
        heading = f"*{blocks.escape(item.title)}*"
        detail = f"Practice · {status} · shared {short_date(item.created_at, tz)}"
    found = [blocks.section(f"{heading}\n{detail}")]
    buttons = _buttons(item)
    if buttons:
        found.append(blocks.actions(*buttons))
    return found


def offering_blocks(offering: MyOffering, tz: ZoneInfo) -> list[blocks.Block]:
    """One TA offering the member offered or answers for, and its buttons (1-2 blocks)."""
    state = _STATUS["ta_offering"].get(offering.state, blocks.escape(offering.state))
    role = " · you answer for it" if offering.contact_only else ""
    found = [
        blocks.section(
            f"*{blocks.escape(offering.title)}*\n"
            f"TA offering · {state} · offered {short_date(offering.created_at, tz)}{role}"
        )
    ]
    buttons = _action_buttons("ta_offering", offering.id, offering.state, offering.actions)
    if buttons:
        found.append(blocks.actions(*buttons))
    return found


def policy_blocks(update: MyPolicyUpdate, tz: ZoneInfo) -> list[blocks.Block]:
    """One of the member's policy updates: status, where it stands, its buttons (1-2 blocks)."""
    status = _STATUS["policy"].get(update.status, blocks.escape(update.status))
    found = [
        blocks.section(
            f"*{blocks.escape(update.title)}*\n"
            f"{blocks.escape(kind_label(update.update_kind))} · "
            f"{blocks.escape(stage_label(update.stage))} · {status} · "
            f"shared {short_date(update.created_at, tz)}"
        )
    ]
    buttons = _action_buttons("policy", update.id, update.status, update.actions)
    if buttons:
        found.append(blocks.actions(*buttons))
    return found


def event_block(event: UpcomingEvent, tz: ZoneInfo) -> blocks.Block:
    """An upcoming event with its RSVP state and a button to change it (one block)."""
    going = " · *You're going*" if event.going else ""
    block = blocks.section(
        f"*{blocks.escape(event.title)}*\n"
        f"{blocks.escape(local_span(event.starts_at, event.ends_at, tz))} · "
        f"{blocks.escape(region_label(event.region))} · {going_text(event.count)}{going}"
    )
    label, style = ("Cancel RSVP", None) if event.going else ("RSVP", "primary")
    value = rsvp_value(event.id, going=not event.going)
    block["accessory"] = blocks.button(label, ids.RSVP_ACTION, value, style=style)
    return block


def rsvp_value(event_id: int, *, going: bool) -> str:
    """The RSVP button's value: the event and the state the click asks for, never a toggle."""
    return f"{'going' if going else 'not_going'}:{event_id}"


def _queue_line(line: QueueLine, now: datetime) -> str:
    if line.count == 0:
        return f"• No {line.plural}"
    oldest = f", the oldest for {age(now, line.oldest)}" if line.oldest else ""
    return f"• *{line.count}* {line.label}{oldest}"


def queue_blocks(data: HomeData) -> list[blocks.Block]:
    """The coordinators' review queue: counts and the oldest wait (4 blocks)."""
    lines = [_queue_line(line, data.now) for line in data.queue or []]
    where = (
        f"Review them in <#{data.review_channel}>; claim TA requests in the TA channel."
        if data.review_channel
        else "Review them in the coordinators' channel."
    )
    return [
        blocks.divider(),
        blocks.header("Review queue"),
        blocks.section("\n".join(lines)),
        blocks.context(where),
    ]


def _mine(data: HomeData, room: int) -> list[blocks.Block]:
    """The member's submissions and requests, in at most `room` blocks (newest first)."""
    found: list[blocks.Block] = [blocks.divider(), blocks.header("Your submissions and requests")]
    if not data.items:
        found.append(
            blocks.section(
                "Nothing yet. Practices you share, events you announce and TA requests you make "
                "appear here, with where each one stands."
            )
        )
        return found
    shown = 0
    for item in data.items:
        more = item_blocks(item, data.tz)
        if len(found) + len(more) > room - 1:  # keep a block for the count of the rest
            break
        found += more
        shown += 1
    hidden = data.total_items - shown
    if hidden > 0:
        found.append(
            blocks.context(
                f"Showing your {shown} most recent of {data.total_items}; "
                f"{hidden} older {'one is' if hidden == 1 else 'ones are'} not shown."
            )
        )
    return found


def _offerings(data: HomeData) -> list[blocks.Block]:
    """Your TA offerings, for providers only: at most `MAX_OFFERINGS`, then how many more."""
    found = [block for offering in data.offerings for block in offering_blocks(offering, data.tz)]
    return _own_section(
        "Your TA offerings",
        found,
        data.total_offerings - len(data.offerings),
        "Find them with `/ccsn find-ta` or in the TA channel.",
    )


def _policy(data: HomeData) -> list[blocks.Block]:
    """Your policy updates, for members who shared some: capped, then how many more."""
    found = [block for update in data.policy_updates for block in policy_blocks(update, data.tz)]
    return _own_section(
        "Your policy updates",
        found,
        data.total_policy_updates - len(data.policy_updates),
        "Find them with `/ccsn policy` or in the channel.",
    )


def _own_section(
    title: str, items: list[blocks.Block], hidden: int, where: str
) -> list[blocks.Block]:
    """A section of the member's own things, shown only when there are some; then how many more."""
    if not items:
        return []
    found: list[blocks.Block] = [blocks.divider(), blocks.header(title), *items]
    if hidden > 0:
        found.append(blocks.context(f"…and {hidden} older. {where}"))
    return found


def _events(data: HomeData) -> list[blocks.Block]:
    found: list[blocks.Block] = [blocks.divider(), blocks.header("Upcoming events")]
    if not data.events:
        found.append(blocks.section("No events are coming up yet."))
        return found
    found += [event_block(event, data.tz) for event in data.events]
    hidden = data.total_events - len(data.events)
    if hidden > 0:
        found.append(blocks.context(f"…and {hidden} more in the events channel."))
    return found


def _digest(data: HomeData) -> list[blocks.Block]:
    found: list[blocks.Block] = [blocks.divider(), blocks.header("Your personal digest")]
    if data.subscription is None:
        found += [
            blocks.section(
                "You don't get a personal digest. Get one by DM each week, filtered by region, "
                "pillar and TA topic."
            ),
            blocks.actions(
                blocks.button("Subscribe", ids.SUBSCRIPTION_ACTION, "subscribe", style="primary")
            ),
        ]
        return found
    found += [
        blocks.section(
            f"Every week by DM, for {filter_summary(data.subscription)}.",
        ),
        blocks.actions(
            blocks.button("Change filters", ids.SUBSCRIPTION_ACTION, "edit"),
            blocks.button("Unsubscribe", ids.UNSUBSCRIBE_ACTION, "unsubscribe", style="danger"),
        ),
    ]
    return found


def home_view(
    data: HomeData, notice: str | None = None, setup: list[SetupLine] | None = None
) -> dict[str, Any]:
    """The whole Home tab; `notice` (already-safe mrkdwn) answers the member's last click.

    `setup` is the set-up check a coordinator just ran, shown under Network settings.
    """
    body: list[blocks.Block] = [blocks.header("CCSN Hub")]
    if notice:
        body.append(blocks.section(f":information_source: {notice}"))
    body += [
        blocks.section(
            "Share what works at your community school, ask the network's TA providers for "
            "help, and announce events. Search everything published with `/ccsn search`."
        ),
        blocks.actions(
            blocks.button("Share a practice", ids.SHARE_ACTION, "open", style="primary"),
            blocks.button("Request TA", ids.REQUEST_TA_ACTION, "open"),
            blocks.button("Announce an event", ids.ANNOUNCE_ACTION, "open"),
            blocks.button("Offer TA", HOME_OFFER_ACTION, "open"),
            blocks.button("Share a policy update", policy_ids.HOME_SHARE_ACTION, "open"),
            blocks.button("Find TA", HOME_FIND_ACTION, "open"),
        ),
    ]
    if data.queue is not None:
        body += queue_blocks(data)
    if data.network is not None:
        body += network_blocks(data.network, setup)
    after = [*_offerings(data), *_policy(data), *_events(data), *_digest(data)]
    body += _mine(data, blocks.VIEW_BLOCKS_MAX - len(body) - len(after))
    body += after
    return {
        "type": "home",
        "callback_id": ids.HOME_VIEW,
        "blocks": body[: blocks.VIEW_BLOCKS_MAX],
    }
