"""The personal digest form: regions, pillars, TA topics and funding streams, each optional."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from core.vocabulary import FUNDING_STREAMS, PILLARS, REGIONS, TA_TOPICS
from handlers import forms
from handlers.digest import ids


class SubscriptionForm(BaseModel):
    """What a member wants in their personal digest; an empty list means everything."""

    model_config = ConfigDict(frozen=True)

    regions: list[str]
    pillars: list[str]
    ta_topics: list[str]
    funding_streams: list[str] = []


def _in_order(chosen: list[str] | None, known: Iterable[str]) -> list[str]:
    return [value for value in known if value in (chosen or [])]


def parse_subscription_form(values: forms.StateValues) -> SubscriptionForm | dict[str, str]:
    """Read the modal's state: a valid form, or `{block_id: message}` for Slack to show."""
    fields = (
        (ids.REGIONS_BLOCK, ids.REGIONS_INPUT, tuple(REGIONS), "regions"),
        (ids.PILLARS_BLOCK, ids.PILLARS_INPUT, tuple(PILLARS), "pillars"),
        (ids.TOPICS_BLOCK, ids.TOPICS_INPUT, tuple(TA_TOPICS), "topics"),
        (ids.FUNDING_BLOCK, ids.FUNDING_INPUT, tuple(FUNDING_STREAMS), "funding streams"),
    )
    chosen: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    for block_id, action_id, known, noun in fields:
        selected = forms.selected_values(values, block_id, action_id)
        if selected is None or any(value not in known for value in selected):
            errors[block_id] = f"Choose {noun} from the list."
        chosen[block_id] = _in_order(selected, known)
    if errors:
        return errors
    return SubscriptionForm(
        regions=chosen[ids.REGIONS_BLOCK],
        pillars=chosen[ids.PILLARS_BLOCK],
        ta_topics=chosen[ids.TOPICS_BLOCK],
        funding_streams=chosen[ids.FUNDING_BLOCK],
    )
