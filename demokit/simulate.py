"""What Slack sends a bot: signed slash commands, shortcuts, clicks and view submissions.

Used by the offline demo and the tests to drive the real app exactly as Slack would, over
HTTP or through `App.dispatch`.
"""

from __future__ import annotations

import itertools
import json
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from handlers.events import ids as event_ids
from handlers.policy import ids as policy_ids
from handlers.practices import ids as practice_ids
from handlers.ta import ids as ta_ids
from handlers.ta_offerings import ids as offering_ids

TEAM = "TCCSN0001"
TEAM_DOMAIN = "ccsn-demo"  # the workspace's subdomain, as the fake Web API's permalinks use
APP_ID = "ACCSNHUB1"
_trigger = itertools.count(1)


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers for `body` signed exactly as Slack signs requests."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body) or ""
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def form_body(fields: dict[str, str]) -> str:
    """A form-encoded body, as for slash commands."""
    return urlencode(fields)


def interaction_body(payload: dict[str, Any]) -> str:
    """An interactivity body: the JSON payload in a `payload` form field."""
    return urlencode({"payload": json.dumps(payload)})


def slash_command(command: str, user_id: str, text: str = "", channel: str = "CGENERAL1") -> str:
    """The body of a slash command invocation."""
    return form_body(
        {
            "token": "legacy-unused",
            "team_id": TEAM,
            "team_domain": TEAM_DOMAIN,
            "api_app_id": APP_ID,
            "channel_id": channel,
            "user_id": user_id,
            "command": command,
            "text": text,
            "trigger_id": f"trigger-{next(_trigger)}",
            "response_url": "https://hooks.slack.invalid/commands/1",
        }
    )


def global_shortcut(callback_id: str, user_id: str) -> str:
    """The body of a global shortcut."""
    return interaction_body(
        {
            "type": "shortcut",
            "callback_id": callback_id,
            "trigger_id": f"trigger-{next(_trigger)}",
            "user": {"id": user_id, "team_id": TEAM},
            "team": {"id": TEAM},
            "api_app_id": APP_ID,
            "action_ts": "1700000000.000001",
        }
    )


def message_shortcut(
    callback_id: str, user_id: str, *, text: str, channel: str, message_ts: str
) -> str:
    """The body of a message shortcut used on one message."""
    return interaction_body(
        {
            "type": "message_action",
            "callback_id": callback_id,
            "trigger_id": f"trigger-{next(_trigger)}",
            "user": {"id": user_id, "team_id": TEAM},
            "team": {"id": TEAM, "domain": "ccsn"},
            "channel": {"id": channel, "name": "general"},
            "message": {"type": "message", "ts": message_ts, "text": text, "user": "UAUTHOR01"},
            "message_ts": message_ts,
            "response_url": "https://hooks.slack.invalid/actions/2",
            "action_ts": "1700000000.000003",
            "api_app_id": APP_ID,
        }
    )


def _message_action(action: dict[str, Any], user_id: str, channel: str, message_ts: str) -> str:
    """The body of a `block_actions` from an element on a message, as Slack sends it."""
    return interaction_body(
        {
            "type": "block_actions",
            "user": {"id": user_id, "team_id": TEAM},
            "team": {"id": TEAM},
            "api_app_id": APP_ID,
            "trigger_id": f"trigger-{next(_trigger)}",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
            "channel": {"id": channel},
            "message": {"ts": message_ts, "type": "message"},
            "response_url": "https://hooks.slack.invalid/actions/1",
            "actions": [
                {**action, "block_id": "actions", "action_ts": "1700000000.000002"},
            ],
        }
    )


def button_click(
    action_id: str,
    value: str,
    user_id: str,
    *,
    channel: str,
    message_ts: str = "1700000000.000001",
) -> str:
    """The body of a button click on a message."""
    action = {"type": "button", "action_id": action_id, "value": value}
    return _message_action(action, user_id, channel, message_ts)


def overflow_click(
    action_id: str,
    value: str,
    user_id: str,
    *,
    channel: str,
    message_ts: str = "1700000000.000001",
) -> str:
    """The body of a choice from an overflow (⋯) menu on a message."""
    option = {"value": value, "text": {"type": "plain_text", "text": value}}
    action = {"type": "overflow", "action_id": action_id, "selected_option": option}
    return _message_action(action, user_id, channel, message_ts)


def view_submission(
    callback_id: str,
    user_id: str,
    values: dict[str, Any],
    *,
    view_id: str,
    private_metadata: str = "",
) -> str:
    """The body of a modal's submission with the given `state.values`."""
    return interaction_body(
        {
            "type": "view_submission",
            "user": {"id": user_id, "team_id": TEAM},
            "team": {"id": TEAM},
            "api_app_id": APP_ID,
            "trigger_id": f"trigger-{next(_trigger)}",
            "view": {
                "id": view_id,
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {"values": values},
                "hash": "1700000000.abcdef",
            },
        }
    )


def text_state(action_id: str, value: str | None) -> dict[str, Any]:
    """The state of a text input."""
    return {action_id: {"type": "plain_text_input", "value": value}}


def select_state(action_id: str, value: str | None) -> dict[str, Any]:
    """The state of a single select or radio choice."""
    option = (
        None if value is None else {"value": value, "text": {"type": "plain_text", "text": value}}
    )
    return {action_id: {"type": "static_select", "selected_option": option}}


def date_state(action_id: str, value: str | None) -> dict[str, Any]:
    """The state of a datepicker (`selected_date` is YYYY-MM-DD, or None when not picked)."""
    return {action_id: {"type": "datepicker", "selected_date": value}}


def datetime_state(action_id: str, at: datetime | None) -> dict[str, Any]:
    """The state of a `datetimepicker`: Slack sends the chosen moment as epoch seconds."""
    epoch = None if at is None else int(at.timestamp())
    return {action_id: {"type": "datetimepicker", "selected_date_time": epoch}}


def multi_state(action_id: str, values: list[str]) -> dict[str, Any]:
    """The state of a multi-select."""
    options = [{"value": v, "text": {"type": "plain_text", "text": v}} for v in values]
    return {action_id: {"type": "multi_static_select", "selected_options": options}}


def practice_values(**overrides: Any) -> dict[str, Any]:
    """The share-a-practice form filled in with a good practice; override any field."""
    fields: dict[str, Any] = {
        "title": "Family resource nights",
        "summary": "Monthly evenings where families meet the school's partners and sign up.",
        "pillars": ["engagement"],
        "county": "Fresno",
        "organisation": "Roosevelt High School",
        "funding": ["ccspp"],
        "link": "https://example.org/family-nights",
        "credit": "named",
    }
    fields.update(overrides)
    return {
        practice_ids.TITLE_BLOCK: text_state(practice_ids.TITLE_INPUT, fields["title"]),
        practice_ids.SUMMARY_BLOCK: text_state(practice_ids.SUMMARY_INPUT, fields["summary"]),
        practice_ids.PILLARS_BLOCK: multi_state(practice_ids.PILLARS_INPUT, fields["pillars"]),
        practice_ids.COUNTY_BLOCK: select_state(practice_ids.COUNTY_INPUT, fields["county"]),
        practice_ids.ORGANISATION_BLOCK: text_state(
            practice_ids.ORGANISATION_INPUT, fields["organisation"]
        ),
        practice_ids.FUNDING_BLOCK: multi_state(practice_ids.FUNDING_INPUT, fields["funding"]),
        practice_ids.LINK_BLOCK: text_state(practice_ids.LINK_INPUT, fields["link"]),
        practice_ids.CREDIT_BLOCK: select_state(practice_ids.CREDIT_INPUT, fields["credit"]),
    }


def ta_values(**overrides: Any) -> dict[str, Any]:
    """The request-TA form filled in with a good request; override any field.

    `needed_by` is a YYYY-MM-DD date, which the bot requires to be today or later.
    """
    fields: dict[str, Any] = {
        "topic": "family_engagement",
        "need": "Our family nights draw few Spanish-speaking parents; we need outreach ideas.",
        "county": "Alameda",
        "organisation": "Hoover Elementary",
        "needed_by": "2026-12-15",
        "format": "call",
        "digest": "no",
    }
    fields.update(overrides)
    return {
        ta_ids.TOPIC_BLOCK: select_state(ta_ids.TOPIC_INPUT, fields["topic"]),
        ta_ids.NEED_BLOCK: text_state(ta_ids.NEED_INPUT, fields["need"]),
        ta_ids.COUNTY_BLOCK: select_state(ta_ids.COUNTY_INPUT, fields["county"]),
        ta_ids.ORGANISATION_BLOCK: text_state(ta_ids.ORGANISATION_INPUT, fields["organisation"]),
        ta_ids.NEEDED_BY_BLOCK: date_state(ta_ids.NEEDED_BY_INPUT, fields["needed_by"]),
        ta_ids.FORMAT_BLOCK: select_state(ta_ids.FORMAT_INPUT, fields["format"]),
        ta_ids.DIGEST_BLOCK: select_state(ta_ids.DIGEST_INPUT, fields["digest"]),
    }


def users_state(action_id: str, users: list[str]) -> dict[str, Any]:
    """The state of a `multi_users_select`."""
    return {action_id: {"type": "multi_users_select", "selected_users": users}}


def ta_offering_values(**overrides: Any) -> dict[str, Any]:
    """The offer-TA form filled in with a good offering; override any field."""
    fields: dict[str, Any] = {
        "organisation": "Fresno County Office of Education",
        "description": "Coaching for site teams aligning their LCAP with community school plans.",
        "topics": ["lcap", "sustainability"],
        "regions": ["Central Valley"],
        "formats": ["coaching", "workshop"],
        "cost": "free",
        "languages": ["english", "spanish"],
        "contact_link": "https://example.org/fcoe-ta",
        "contacts": [],
    }
    fields.update(overrides)
    ids = offering_ids
    return {
        ids.ORGANISATION_BLOCK: text_state(ids.ORGANISATION_INPUT, fields["organisation"]),
        ids.DESCRIPTION_BLOCK: text_state(ids.DESCRIPTION_INPUT, fields["description"]),
        ids.TOPICS_BLOCK: multi_state(ids.TOPICS_INPUT, fields["topics"]),
        ids.REGIONS_BLOCK: multi_state(ids.REGIONS_INPUT, fields["regions"]),
        ids.FORMATS_BLOCK: multi_state(ids.FORMATS_INPUT, fields["formats"]),
        ids.COST_BLOCK: select_state(ids.COST_INPUT, fields["cost"]),
        ids.LANGUAGES_BLOCK: multi_state(ids.LANGUAGES_INPUT, fields["languages"]),
        ids.CONTACT_LINK_BLOCK: text_state(ids.CONTACT_LINK_INPUT, fields["contact_link"]),
        ids.CONTACTS_BLOCK: users_state(ids.CONTACTS_INPUT, fields["contacts"]),
    }


def event_callback(event: dict[str, Any], event_id: str) -> str:
    """The JSON body of an Events API delivery."""
    return json.dumps(
        {
            "token": "legacy-unused",
            "team_id": TEAM,
            "api_app_id": APP_ID,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1700000000,
            "event": event,
        }
    )


def event_values(starts_at: datetime, ends_at: datetime, **overrides: Any) -> dict[str, Any]:
    """The announce-an-event form filled in with a good event at the given times."""
    fields: dict[str, Any] = {
        "title": "Family engagement community of practice",
        "event_type": "community_of_practice",
        "virtual_link": "https://example.org/zoom/123",
        "location": None,
        "registration_link": "https://example.org/register",
        "host": "Learning Policy Institute",
        "region": "statewide",
        "description": "Coordinators share how they run family resource nights and home visits.",
    }
    fields.update(overrides)
    return {
        event_ids.TITLE_BLOCK: text_state(event_ids.TITLE_INPUT, fields["title"]),
        event_ids.TYPE_BLOCK: select_state(event_ids.TYPE_INPUT, fields["event_type"]),
        event_ids.START_BLOCK: datetime_state(event_ids.START_INPUT, starts_at),
        event_ids.END_BLOCK: datetime_state(event_ids.END_INPUT, ends_at),
        event_ids.VIRTUAL_LINK_BLOCK: text_state(
            event_ids.VIRTUAL_LINK_INPUT, fields["virtual_link"]
        ),
        event_ids.LOCATION_BLOCK: text_state(event_ids.LOCATION_INPUT, fields["location"]),
        event_ids.REGISTRATION_BLOCK: text_state(
            event_ids.REGISTRATION_INPUT, fields["registration_link"]
        ),
        event_ids.HOST_BLOCK: text_state(event_ids.HOST_INPUT, fields["host"]),
        event_ids.REGION_BLOCK: select_state(event_ids.REGION_INPUT, fields["region"]),
        event_ids.DESCRIPTION_BLOCK: text_state(event_ids.DESCRIPTION_INPUT, fields["description"]),
    }


def policy_values(**overrides: Any) -> dict[str, Any]:
    """The share-a-policy-update form filled in with a good bill; override any field.

    `key_dates` is a list of (label, YYYY-MM-DD) pairs, up to three.
    """
    fields: dict[str, Any] = {
        "title": "Community schools coordinators in every high-need school",
        "kind": "bill",
        "jurisdiction": "state",
        "district": None,
        "identifier": "AB 2117",
        "stage": "in_committee",
        "key_dates": [("Hearing", "2026-12-10")],
        "source_link": "https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=AB2117",
        "summary": "Funds a full-time community schools coordinator at every CCSPP school.",
        "pillars": ["leadership"],
        "funding": ["ccspp"],
        "act": "Write to the Assembly Education Committee before the hearing.",
    }
    fields.update(overrides)
    values: dict[str, Any] = {
        policy_ids.TITLE_BLOCK: text_state(policy_ids.TITLE_INPUT, fields["title"]),
        policy_ids.KIND_BLOCK: select_state(policy_ids.KIND_INPUT, fields["kind"]),
        policy_ids.JURISDICTION_BLOCK: select_state(
            policy_ids.JURISDICTION_INPUT, fields["jurisdiction"]
        ),
        policy_ids.DISTRICT_BLOCK: text_state(policy_ids.DISTRICT_INPUT, fields["district"]),
        policy_ids.IDENTIFIER_BLOCK: text_state(policy_ids.IDENTIFIER_INPUT, fields["identifier"]),
        policy_ids.STAGE_BLOCK: select_state(policy_ids.STAGE_INPUT, fields["stage"]),
        policy_ids.SOURCE_BLOCK: text_state(policy_ids.SOURCE_INPUT, fields["source_link"]),
        policy_ids.SUMMARY_BLOCK: text_state(policy_ids.SUMMARY_INPUT, fields["summary"]),
        policy_ids.PILLARS_BLOCK: multi_state(policy_ids.PILLARS_INPUT, fields["pillars"]),
        policy_ids.FUNDING_BLOCK: multi_state(policy_ids.FUNDING_INPUT, fields["funding"]),
        policy_ids.ACT_BLOCK: text_state(policy_ids.ACT_INPUT, fields["act"]),
    }
    dates = list(fields["key_dates"])
    for number, (label_block, label_input, date_block, date_input) in enumerate(
        policy_ids.DATE_FIELDS
    ):
        label, on = dates[number] if number < len(dates) else (None, None)
        values[label_block] = text_state(label_input, label)
        values[date_block] = date_state(date_input, on)
    return values


def app_home_opened(user_id: str, event_id: str, tab: str = "home") -> str:
    """The JSON body of the Events API delivery when a member opens the app's Home tab."""
    return event_callback(
        {
            "type": "app_home_opened",
            "user": user_id,
            "channel": f"D{user_id}",
            "tab": tab,
            "event_ts": "1700000000.000100",
        },
        event_id,
    )


def home_click(action_id: str, value: str, user_id: str) -> str:
    """The body of a button click on the member's Home tab (a view: no channel, no message)."""
    return interaction_body(
        {
            "type": "block_actions",
            "user": {"id": user_id, "team_id": TEAM},
            "team": {"id": TEAM},
            "api_app_id": APP_ID,
            "trigger_id": f"trigger-{next(_trigger)}",
            "container": {"type": "view", "view_id": "VHOME0001"},
            "view": {"id": "VHOME0001", "type": "home", "callback_id": "ccsn_home"},
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "home",
                    "value": value,
                    "action_ts": "1700000000.000002",
                }
            ],
        }
    )


def home_select(action_id: str, block_id: str, user_id: str, **chosen: Any) -> str:
    """The body of a select menu changed on the member's Home tab.

    `chosen` is what Slack sends for the element: `selected_conversation="C0123"`,
    `selected_users=["U0123"]` or `selected_option={"value": "mon"}`.
    """
    kinds = {
        "selected_conversation": "conversations_select",
        "selected_users": "multi_users_select",
        "selected_option": "static_select",
    }
    element = next((kinds[name] for name in chosen if name in kinds), "static_select")
    return interaction_body(
        {
            "type": "block_actions",
            "user": {"id": user_id, "team_id": TEAM},
            "team": {"id": TEAM},
            "api_app_id": APP_ID,
            "trigger_id": f"trigger-{next(_trigger)}",
            "container": {"type": "view", "view_id": "VHOME0001"},
            "view": {"id": "VHOME0001", "type": "home", "callback_id": "ccsn_home"},
            "actions": [
                {
                    "type": element,
                    "action_id": action_id,
                    "block_id": block_id,
                    "action_ts": "1700000000.000002",
                    **chosen,
                }
            ],
        }
    )
