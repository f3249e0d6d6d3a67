"""Who a TA request goes to, and who may pick one up. Decided from settings only.

A request's region comes from its county; the region's providers come from
`CCSN_TA_REGION_PROVIDERS`, falling back to `CCSN_TA_PROVIDERS` for regions not listed there.
User groups (S…) can be mentioned but their members cannot be known without asking Slack, so
the right to claim belongs to the user IDs in either setting, and to coordinators.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config import USER_ID, Settings


@dataclass(frozen=True)
class Route:
    """Where a request in one region is announced and whom it mentions."""

    region: str
    recipients: tuple[str, ...]
    regional: bool  # False when the region fell back to the network-wide providers


def route(settings: Settings, region: str) -> Route:
    """The providers to mention for a request from `region`."""
    regional = settings.ccsn_ta_region_providers.get(region)
    if regional:
        return Route(region=region, recipients=regional, regional=True)
    return Route(region=region, recipients=settings.ccsn_ta_providers, regional=False)


def is_provider(settings: Settings, user_id: str) -> bool:
    """Whether the user is a TA provider named in settings (any region, or network-wide)."""
    if user_id in settings.ccsn_ta_providers:
        return True
    return any(
        user_id in ids and USER_ID.match(user_id)
        for ids in settings.ccsn_ta_region_providers.values()
    )


def may_claim(settings: Settings, user_id: str) -> bool:
    """TA providers and coordinators may claim any request; nobody else may."""
    return settings.is_coordinator(user_id) or is_provider(settings, user_id)
