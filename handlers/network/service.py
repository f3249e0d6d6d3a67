"""Changing the network's settings from Home, seeding them, and checking the set-up.

Who may change a setting is decided here, from the user Slack signed the request for: only
coordinators, never for a value the environment pins, never leaving the network without a
coordinator. Every change bumps the settings version first (so concurrent changes queue up
behind each other and the rules see what is really stored), is audited with the old and new
value, and reaches every process within a second (`handlers.network.provider`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from core.config import Settings
from core.network_settings import (
    CHANNEL_KEYS,
    CRON_KEY,
    REGIONS_KEY,
    TIMEZONE_KEY,
    DigestTime,
    InvalidSetting,
    StoredValue,
    checked,
    digest_time,
    effective,
    owners,
    pinned,
    seed_values,
)
from core.vocabulary import REGIONS
from handlers import blocks
from handlers.deps import Deps
from handlers.network.schemas import ChannelSetting, NetworkPanel, PeopleSetting, SetupLine

log = logging.getLogger(__name__)

AUDIT_ENTITY = "network_settings"
SEED_ACTOR = "environment"

LABELS = {
    "ccsn_coordinator_channel": "coordinators' review channel",
    "ccsn_practices_channel": "practices channel",
    "ccsn_events_channel": "events channel",
    "ccsn_ta_channel": "TA channel",
    "ccsn_digest_channel": "digest channel",
    "ccsn_policy_channel": "policy channel",
    "ccsn_coordinators": "coordinators",
    "ccsn_ta_providers": "TA providers",
    REGIONS_KEY: "regional TA providers",
    TIMEZONE_KEY: "time zone",
    CRON_KEY: "digest time",
}
# What each missing channel stops, for the set-up check.
CHANNEL_NEEDS = {
    "ccsn_coordinator_channel": "practices and events cannot be submitted for review",
    "ccsn_practices_channel": "practices cannot be shared",
    "ccsn_events_channel": "events cannot be announced",
    "ccsn_ta_channel": "TA requests cannot be made",
    "ccsn_digest_channel": "the weekly digest is not posted",
    "ccsn_policy_channel": "policy and funding updates cannot be shared",
}
# The bot scopes the features call Web API methods with (tests/test_manifest.py checks the
# manifest asks for exactly these, and docs/operations.md says why each is needed).
REQUIRED_SCOPES = (
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "users:read",
)

NOT_COORDINATOR = "Only coordinators can change the network's settings."
NOT_COORDINATOR_SETUP = "Only coordinators can run the set-up check."
LAST_COORDINATOR = (
    "The network needs at least one coordinator: add someone else before removing the last one."
)
UNCHANGED = "Nothing changed."


@dataclass(frozen=True)
class Change:
    """What a coordinator asked for: a setting and its new value (not yet checked)."""

    key: str
    value: object
    region: str | None = None  # for regional providers: which region's people


def _pinned_note(key: str) -> str:
    return (
        f"The {LABELS[key]} is set by the server's configuration ({key.upper()}); change it there."
    )


def _describe(key: str, value: StoredValue) -> str:
    if key in CHANNEL_KEYS:
        return f"<#{value}>" if value else "not chosen"
    if key == CRON_KEY and isinstance(value, str):
        slot = digest_time(value)
        return slot.label() if slot else blocks.code(value)
    if isinstance(value, tuple):
        return ", ".join(blocks.user(v) for v in value) or "nobody"
    if isinstance(value, dict):
        return "; ".join(
            f"{region}: {', '.join(blocks.user(v) for v in ids)}" for region, ids in value.items()
        )
    return blocks.escape(str(value))


def _jsonable(value: StoredValue) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return {k: list(v) for k, v in value.items()}
    return value


def change(deps: Deps, actor_id: str, wanted: Change) -> str:
    """Apply one change from Home; what to tell the coordinator (shown at the top of Home).

    Refusals change nothing: a member (even one who crafted the request), a pinned setting,
    a value the setting cannot take, or the removal of the last coordinator.
    """
    if not deps.settings.is_coordinator(actor_id):
        log.warning("network.refused actor=%s setting=%s", actor_id, wanted.key)
        return NOT_COORDINATOR
    environment = deps.source.environment
    if wanted.key not in LABELS:
        return "That setting cannot be changed here."
    if pinned(environment, wanted.key):
        return _pinned_note(wanted.key)
    try:
        with deps.uow() as uow:
            now = deps.clock()
            version = uow.network_settings.bump()  # first: later changes wait for this one
            stored = uow.network_settings.values()
            before = effective(environment, stored)
            if not before.is_coordinator(actor_id):  # removed meanwhile by someone else
                return NOT_COORDINATOR
            value = _new_value(environment, stored, before, wanted)
            if stored.get(wanted.key, getattr(before, wanted.key)) == value:
                return UNCHANGED
            after = effective(environment, {**stored, wanted.key: value})
            if not after.ccsn_coordinators:
                return LAST_COORDINATOR
            old = getattr(before, wanted.key)
            uow.network_settings.put(wanted.key, value, actor_id=actor_id, at=now)
            uow.audit.record(
                entity_type=AUDIT_ENTITY,
                entity_id=version,
                action="changed",
                actor_id=actor_id,
                at=now,
                reason=json.dumps(
                    {"setting": wanted.key, "old": _jsonable(old), "new": _jsonable(value)}
                ),
            )
            uow.commit()
    except InvalidSetting as exc:
        return blocks.escape(str(exc))
    deps.source.changed()
    log.info("network.changed setting=%s version=%s", wanted.key, version)
    shown = getattr(after, wanted.key)
    verb = "are" if wanted.key in ("ccsn_coordinators", "ccsn_ta_providers", REGIONS_KEY) else "is"
    return f"Saved: the {LABELS[wanted.key]} {verb} now {_describe(wanted.key, shown)}."


def _new_value(
    environment: Settings, stored: Mapping[str, StoredValue], before: Settings, wanted: Change
) -> StoredValue:
    """The value to store for `wanted`, checked; InvalidSetting if it cannot be."""
    if wanted.key == "ccsn_coordinators":
        people = checked(wanted.key, wanted.value)
        assert isinstance(people, tuple)
        return checked(wanted.key, (*owners(environment), *people))
    if wanted.key == REGIONS_KEY:
        if wanted.region is None or wanted.region not in REGIONS:
            raise InvalidSetting("That is not an R-TAC region.")
        mapping = dict(before.ccsn_ta_region_providers)
        mapping[wanted.region] = tuple(wanted.value) if isinstance(wanted.value, list) else ()
        return checked(REGIONS_KEY, mapping)
    if wanted.key == CRON_KEY:
        current = digest_time(before.ccsn_digest_cron) or DigestTime(0, 9, "mon")
        day, hour = current.day, current.hour
        if isinstance(wanted.value, dict):
            day = str(wanted.value.get("day", day))
            try:
                hour = int(str(wanted.value.get("hour", hour)))
            except ValueError:
                raise InvalidSetting("Choose an hour from the list.") from None
        return checked(CRON_KEY, DigestTime(current.minute, hour, day).cron())
    return checked(wanted.key, wanted.value)


def seed(deps: Deps) -> None:
    """On the first start, store what the environment sets.

    Removing a variable later then keeps its value (until a coordinator changes it in Home). A
    setting already stored is left alone.
    """
    values = seed_values(deps.source.environment)
    try:
        with deps.uow() as uow:
            stored = uow.network_settings.values()
            missing = {key: value for key, value in values.items() if key not in stored}
            if not missing:
                return
            now = deps.clock()
            uow.network_settings.bump()
            stored = uow.network_settings.values()
            for key, value in missing.items():
                if key not in stored:
                    uow.network_settings.put(key, value, actor_id=SEED_ACTOR, at=now)
            uow.commit()
    except SQLAlchemyError:  # e.g. two processes seeding at once, or the database is away
        log.warning("network.seed_failed")
        return
    deps.source.changed()
    log.info("network.seeded settings=%s", ",".join(sorted(missing)))


def panel(deps: Deps) -> NetworkPanel:
    """The network settings section as a coordinator sees it."""
    settings = deps.settings
    environment = deps.source.environment
    owner_ids = owners(environment)
    digest_pinned = pinned(environment, CRON_KEY)
    return NetworkPanel(
        channels=[
            ChannelSetting(
                key, LABELS[key].capitalize(), getattr(settings, key), pinned(environment, key)
            )
            for key in CHANNEL_KEYS
        ],
        owners=owner_ids,
        coordinators=PeopleSetting(
            "ccsn_coordinators",
            "Coordinators",
            tuple(c for c in settings.ccsn_coordinators if c not in owner_ids),
            False,
        ),
        providers=PeopleSetting(
            "ccsn_ta_providers",
            "TA providers (network-wide)",
            settings.ccsn_ta_providers,
            pinned(environment, "ccsn_ta_providers"),
        ),
        regions=[
            PeopleSetting(
                region,
                f"TA providers for {region}",
                settings.ccsn_ta_region_providers.get(region, ()),
                pinned(environment, REGIONS_KEY),
            )
            for region in REGIONS
        ],
        timezone=settings.ccsn_timezone,
        timezone_pinned=pinned(environment, TIMEZONE_KEY),
        digest=digest_time(settings.ccsn_digest_cron),
        digest_cron=settings.ccsn_digest_cron,
        digest_pinned=digest_pinned,
    )


def _channel_line(client: WebClient, key: str, channel: str) -> SetupLine:
    label = LABELS[key]
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "channel_not_found":
            return SetupLine(
                False,
                f"The {label} ({blocks.code(channel)}) was not found: it was deleted, or it is "
                "a private channel CCSN Hub is not in. Invite @ccsn-hub with `/invite @ccsn-hub` "
                "there, or choose another channel.",
            )
        return SetupLine(
            False,
            f"The {label} <#{channel}> could not be checked: Slack said {blocks.code(error)}. "
            "Try again in a minute.",
        )
    if info.get("is_archived"):
        return SetupLine(
            False, f"The {label} <#{channel}> is archived: unarchive it or choose another."
        )
    if not info.get("is_member"):
        if info.get("is_private"):
            return SetupLine(
                False,
                f"CCSN Hub is not in the {label} <#{channel}>, a private channel: invite "
                "@ccsn-hub with `/invite @ccsn-hub` there.",
            )
        return SetupLine(
            False,
            f"CCSN Hub is not in the {label} <#{channel}>: press *Join* so it can post there.",
            join=channel,
        )
    return SetupLine(True, f"The {label} <#{channel}> is ready: CCSN Hub is in it.")


def _scopes_line(client: WebClient) -> SetupLine:
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        return SetupLine(
            False, f"Slack refused the bot token ({blocks.code(exc.response.get('error'))})."
        )
    headers = {name.lower(): value for name, value in (response.headers or {}).items()}
    header = headers.get("x-oauth-scopes")
    if isinstance(header, list):
        header = ",".join(header)
    if not header:
        return SetupLine(False, "Slack did not say which scopes the app has; check manifest.yml.")
    granted = {scope.strip() for scope in str(header).split(",")}
    missing = [scope for scope in REQUIRED_SCOPES if scope not in granted]
    if missing:
        return SetupLine(
            False,
            "The app is missing the scopes "
            + ", ".join(blocks.code(scope) for scope in missing)
            + ": update it from manifest.yml and reinstall it to the workspace.",
        )
    return SetupLine(True, "The app has every scope the features need.")


def setup_check(deps: Deps, client: WebClient) -> list[SetupLine]:
    """Every line of the set-up check, problems first; each says what to do.

    Asks Slack about each chosen channel (`conversations.info`) and the token (`auth.test`).
    """
    settings = deps.settings
    lines: list[SetupLine] = []
    for key in CHANNEL_KEYS:
        channel = getattr(settings, key)
        if channel:
            lines.append(_channel_line(client, key, channel))
        else:
            lines.append(
                SetupLine(
                    False,
                    f"No {LABELS[key]} is chosen yet, so {CHANNEL_NEEDS[key]}: choose one under "
                    "Network settings.",
                )
            )
    if not settings.ccsn_ta_providers and not settings.ccsn_ta_region_providers:
        lines.append(
            SetupLine(
                False,
                "No TA providers are chosen yet: TA requests will mention nobody. Choose them "
                "under Network settings.",
            )
        )
    lines.append(_scopes_line(client))
    if settings.slack_signing_secret is None and not settings.socket_mode:
        lines.append(
            SetupLine(
                False,
                "SLACK_SIGNING_SECRET is not set: the server cannot tell Slack's requests "
                "from forgeries. Set it from the app's Basic Information page.",
            )
        )
    if settings.ccsn_public_url is None:
        lines.append(
            SetupLine(
                False,
                "CCSN_PUBLIC_URL is not set: links to the public library and event pages "
                "cannot be given. Set it to the bot's public address.",
            )
        )
    else:
        lines.append(
            SetupLine(True, f"The public address is {blocks.escape_url(settings.ccsn_public_url)}.")
        )
    return sorted(lines, key=lambda line: line.ok)


def setup_text(lines: list[SetupLine]) -> str:
    """The set-up check as one message (for `/ccsn setup`)."""
    problems = sum(1 for line in lines if not line.ok)
    heading = (
        "*Set-up check:* everything is ready."
        if not problems
        else f"*Set-up check:* {problems} thing{'s' if problems != 1 else ''} to fix."
    )
    return "\n".join(
        [heading, *(f"{':white_check_mark:' if i.ok else ':warning:'} {i.text}" for i in lines)]
    )


def join(deps: Deps, client: WebClient, actor_id: str, channel: str) -> str:
    """Join one of the network's public channels for a coordinator; what to tell them."""
    settings = deps.settings
    if not settings.is_coordinator(actor_id):
        return NOT_COORDINATOR_SETUP
    if channel not in {getattr(settings, key) for key in CHANNEL_KEYS}:
        return "That is not one of the network's channels."
    try:
        client.conversations_join(channel=channel)
    except SlackApiError as exc:
        return (
            f"CCSN Hub could not join <#{channel}>: Slack said "
            f"{blocks.code(exc.response.get('error'))}. Invite @ccsn-hub with `/invite` there."
        )
    return f"CCSN Hub joined <#{channel}>."
