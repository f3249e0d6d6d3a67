"""Block Kit for the network settings section of Home and the set-up check. Pure functions."""

from __future__ import annotations

from typing import Any

from core.network_settings import DAY_NAMES, DAYS
from handlers import blocks
from handlers.network import ids
from handlers.network.schemas import ChannelSetting, NetworkPanel, PeopleSetting, SetupLine

PINNED = "set by the server's configuration"
TIMEZONES = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/New_York",
    "America/Anchorage",
    "Pacific/Honolulu",
    "UTC",
)


def _hour_label(hour: int) -> str:
    suffix = "am" if hour < 12 else "pm"
    return f"{(hour % 12) or 12}:00 {suffix}"


def _pinned_block(label: str, shown: str) -> blocks.Block:
    return blocks.section(f"*{blocks.escape(label)}:* {shown}\n_{PINNED}_")


def _channel(setting: ChannelSetting) -> blocks.Block:
    shown = f"<#{setting.channel}>" if setting.channel else "not chosen"
    if setting.pinned:
        return _pinned_block(setting.label, shown)
    select: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": ids.CHANNEL_ACTION,
        "placeholder": blocks.plain("Choose a channel", 150),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if setting.channel:
        select["initial_conversation"] = setting.channel
    block = blocks.section(
        f"*{blocks.escape(setting.label)}:* {shown}",
        block_id=f"{ids.SETTING_BLOCK_PREFIX}{setting.key}",
    )
    block["accessory"] = select
    return block


def _people(setting: PeopleSetting, block_id: str, action_id: str) -> blocks.Block:
    shown = ", ".join(blocks.user(p) for p in setting.people) or "nobody yet"
    if setting.pinned:
        return _pinned_block(setting.label, shown)
    select: dict[str, Any] = {
        "type": "multi_users_select",
        "action_id": action_id,
        "placeholder": blocks.plain("Choose people", 150),
    }
    users = [p for p in setting.people if p.startswith(("U", "W"))]
    if users:
        select["initial_users"] = users
    block = blocks.section(f"*{blocks.escape(setting.label)}:* {shown}", block_id=block_id)
    block["accessory"] = select
    return block


def _static(action_id: str, chosen: str, options: list[tuple[str, str]]) -> dict[str, Any]:
    made = [blocks.option(label, value) for label, value in options]
    select: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "options": made,
    }
    initial = next((o for o in made if o["value"] == chosen), None)
    if initial is not None:
        select["initial_option"] = initial
    return select


def _schedule(panel: NetworkPanel) -> list[blocks.Block]:
    zone = blocks.escape(panel.timezone)
    if panel.digest is not None:
        when = panel.digest.label()
    else:
        when = f"cron {blocks.code(panel.digest_cron)}"
    found: list[blocks.Block] = []
    if panel.timezone_pinned:
        found.append(_pinned_block("Time zone", zone))
    else:
        zones = list(TIMEZONES)
        if panel.timezone not in zones:
            zones.insert(0, panel.timezone)
        block = blocks.section(
            f"*Time zone:* {zone}", block_id=f"{ids.SETTING_BLOCK_PREFIX}ccsn_timezone"
        )
        block["accessory"] = _static(ids.TIMEZONE_ACTION, panel.timezone, [(z, z) for z in zones])
        found.append(block)
    if panel.digest_pinned or panel.digest is None:
        found.append(_pinned_block("Weekly digest", when))
        return found
    found.append(blocks.section(f"*Weekly digest:* {when} ({zone})"))
    found.append(
        blocks.actions(
            _static(ids.DIGEST_DAY_ACTION, panel.digest.day, [(DAY_NAMES[d], d) for d in DAYS]),
            _static(
                ids.DIGEST_HOUR_ACTION,
                str(panel.digest.hour),
                [(_hour_label(h), str(h)) for h in range(24)],
            ),
            block_id=ids.DIGEST_BLOCK,
        )
    )
    return found


def setup_blocks(lines: list[SetupLine]) -> list[blocks.Block]:
    """The set-up check's lines, each a sentence; a Join button where the bot can join."""
    found: list[blocks.Block] = []
    for line in lines:
        mark = ":white_check_mark:" if line.ok else ":warning:"
        block = blocks.section(f"{mark} {line.text}")
        if line.join:
            block["accessory"] = blocks.button("Join", ids.JOIN_ACTION, line.join, style="primary")
        found.append(block)
    return found


def network_blocks(panel: NetworkPanel, setup: list[SetupLine] | None = None) -> list[blocks.Block]:
    """The coordinators' Network settings section of Home (about 20 blocks, 30 with a check)."""
    found: list[blocks.Block] = [
        blocks.divider(),
        blocks.header("Network settings"),
        blocks.context(
            "Only coordinators see this. Each change is saved at once, recorded with who made "
            "it, and used everywhere without a restart."
        ),
    ]
    found += [_channel(channel) for channel in panel.channels]
    if panel.owners:
        found.append(
            blocks.context(
                "Owners (always coordinators, set by the server's configuration): "
                + ", ".join(blocks.user(o) for o in panel.owners)
            )
        )
    found.append(
        _people(
            panel.coordinators,
            f"{ids.SETTING_BLOCK_PREFIX}{panel.coordinators.key}",
            ids.PEOPLE_ACTION,
        )
    )
    found.append(
        _people(
            panel.providers, f"{ids.SETTING_BLOCK_PREFIX}{panel.providers.key}", ids.PEOPLE_ACTION
        )
    )
    found += [
        _people(region, f"{ids.REGION_BLOCK_PREFIX}{region.key}", ids.REGION_ACTION)
        for region in panel.regions
    ]
    found += _schedule(panel)
    found.append(blocks.actions(blocks.button("Run the set-up check", ids.SETUP_ACTION, "check")))
    if setup is not None:
        found += setup_blocks(setup)
    return found


def not_set_up_modal(title: str, message: str) -> dict[str, Any]:
    """A form that cannot be used yet: why, and no submit button."""
    return blocks.notice_modal(title, blocks.escape(message))
