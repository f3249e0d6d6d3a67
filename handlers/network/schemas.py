"""What the network settings section and the set-up check show, as plain data."""

from __future__ import annotations

from dataclasses import dataclass

from core.network_settings import DigestTime


@dataclass(frozen=True)
class ChannelSetting:
    """One of the network's channels: what it is for, its value, and whether Home may change it."""

    key: str
    label: str
    channel: str | None
    pinned: bool


@dataclass(frozen=True)
class PeopleSetting:
    """Coordinators, network-wide TA providers or one region's providers."""

    key: str  # a setting key, or the region's name for regional providers
    label: str
    people: tuple[str, ...]  # the ones Home may change (owners are listed apart)
    pinned: bool


@dataclass(frozen=True)
class NetworkPanel:
    """The network settings section of a coordinator's Home tab."""

    channels: list[ChannelSetting]
    owners: tuple[str, ...]
    coordinators: PeopleSetting
    providers: PeopleSetting
    regions: list[PeopleSetting]
    timezone: str
    timezone_pinned: bool
    digest: DigestTime | None
    digest_cron: str
    digest_pinned: bool


@dataclass(frozen=True)
class SetupLine:
    """One sentence of the set-up check; `join` offers a Join button for that channel."""

    ok: bool
    text: str  # already-safe mrkdwn
    join: str | None = None
