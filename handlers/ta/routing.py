"""Who a TA request goes to, and who may pick one up.

A request's region comes from its county; the region's providers come from
`CCSN_TA_REGION_PROVIDERS`, falling back to `CCSN_TA_PROVIDERS` for regions not listed there.
User groups (S…) can be mentioned but their members cannot be known without asking Slack, so
the right to claim belongs to the user IDs in either setting, and to coordinators.

Before them the post mentions the contacts of TA directory offerings that cover the request
(its topic, its region or statewide): the offering it was asked of first, then the most
recently confirmed, at most `OFFERING_CONTACTS_MAX` people. Those are stored with the request,
and they may claim it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def may_claim(settings: Settings, user_id: str, offering_contacts: Sequence[str] = ()) -> bool:
    """TA providers and coordinators may claim any request; nobody else may.

    Except the offering contacts a request's post mentioned, who may claim that request.
    """
    return (
        settings.is_coordinator(user_id)
        or is_provider(settings, user_id)
        or user_id in offering_contacts
    )


OFFERING_CONTACTS_MAX = 5


def offering_contacts(
    asked: Sequence[str], covering: Iterable[Sequence[str]], limit: int = OFFERING_CONTACTS_MAX
) -> list[str]:
    """The offering contacts a request mentions, once each and at most `limit`.

    Those of the offering asked of come first, then those of each covering offering in turn
    (most recently confirmed first).
    """
    people = dict.fromkeys([*asked, *(person for contacts in covering for person in contacts)])
    return list(people)[:limit]
