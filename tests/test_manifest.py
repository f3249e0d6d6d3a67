"""`manifest.yml` declares everything the code uses, and every identifier is unique."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import yaml

import handlers
from handlers.network.service import REQUIRED_SCOPES

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())

# Web API methods the bot may call, and the bot scope each needs (None: no scope needed).
SCOPES = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.getPermalink": None,
    "views.open": None,
    "views.update": None,
    "views.publish": None,
    "views.push": None,
    "auth.test": None,
    "conversations.open": "im:write",
    # The outbox reads a channel back only after a post whose answer never came, to find
    # that post by its metadata; DMs and private channels need their own history scopes.
    "conversations.history": "channels:history",
    "conversations.replies": "channels:history",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "users.info": "users:read",
    # The set-up check: whether each chosen channel exists and the bot is in it (public with
    # channels:read, private with groups:read), and Join for a public one.
    "conversations.info": "channels:read",
    "conversations.join": "channels:join",
}


def ids_modules() -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules(handlers.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"handlers.{info.name}.ids"))
            except ModuleNotFoundError:
                continue
    return modules


def constants(suffix: str = "") -> dict[str, str]:
    found = {}
    for module in ids_modules():
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str) and name.endswith(suffix):
                found[f"{module.__name__}.{name}"] = value
    return found


def test_every_identifier_is_unique_and_within_slack_limits() -> None:
    """No two callback, action or block ids collide, and each fits in 255 characters."""
    values = list(constants().values())
    assert values, "no ids.py modules found"
    duplicates = {v for v in values if values.count(v) > 1}
    assert duplicates == set()
    assert all(0 < len(v) <= 255 for v in values)


def test_manifest_declares_every_slash_command() -> None:
    """Every `*_COMMAND` constant is a slash command in the manifest, and nothing more."""
    declared = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert set(constants("_COMMAND").values()) == declared


def test_manifest_declares_every_shortcut() -> None:
    """Every `*_SHORTCUT` constant is a shortcut callback id in the manifest."""
    declared = {s["callback_id"] for s in MANIFEST["features"]["shortcuts"]}
    assert set(constants("_SHORTCUT").values()) == declared


def test_manifest_subscribes_to_every_event_listened_for() -> None:
    """Every `app.event(...)` in the handlers is a bot event in the manifest."""
    source = "\n".join(p.read_text() for p in (ROOT / "handlers").rglob("*.py"))
    used = set(re.findall(r"app\.event\(\s*[\"']([a-z_]+)[\"']", source))
    used |= {v for k, v in constants("_EVENT").items()}
    subscriptions = MANIFEST.get("settings", {}).get("event_subscriptions", {})
    assert used <= set(subscriptions.get("bot_events", []))


def test_manifest_requests_every_scope_the_code_needs() -> None:
    """Each Web API method called anywhere in the bot has its scope in the manifest."""
    source = "\n".join(
        p.read_text() for folder in ("bot", "handlers") for p in (ROOT / folder).rglob("*.py")
    )
    families = "chat|views|auth|conversations|users|files|reactions|usergroups"
    quoted = re.findall(rf"[\"']((?:{families})\.[a-zA-Z]+)[\"']", source)
    client_calls = re.findall(rf"\.((?:{families})_[a-zA-Z]+)\(", source)
    methods = set(quoted) | {name.replace("_", ".", 1) for name in client_calls}
    assert "chat.postMessage" in methods
    unknown = methods - set(SCOPES)
    assert unknown == set(), "add these methods to SCOPES with the scope they need"
    needed = {SCOPES[m] for m in methods if SCOPES.get(m)}
    assert needed <= set(MANIFEST["oauth_config"]["scopes"]["bot"])


def test_the_set_up_check_expects_exactly_the_manifest_scopes() -> None:
    """The scopes the set-up check asks Slack for are the ones the manifest requests."""
    declared = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert set(REQUIRED_SCOPES) == declared
    assert {"channels:read", "groups:read", "channels:join"} <= declared


def test_request_urls_point_at_the_bot_endpoint() -> None:
    """Commands and interactivity both go to /slack/events, which the server routes."""
    urls = [c["url"] for c in MANIFEST["features"]["slash_commands"]]
    urls.append(MANIFEST["settings"]["interactivity"]["request_url"])
    assert all(url.endswith("/slack/events") for url in urls)


# Slack's documented manifest constraints (the app manifest reference and Slack's published
# manifest schema, slackapi/manifest-schema): keys Slack knows at each level, and limits.
KNOWN_KEYS = {
    "": {"_metadata", "display_information", "features", "oauth_config", "settings"},
    "display_information": {"name", "description", "long_description", "background_color"},
    "features": {"app_home", "bot_user", "shortcuts", "slash_commands", "unfurl_domains"},
    "features.app_home": {
        "home_tab_enabled",
        "messages_tab_enabled",
        "messages_tab_read_only_enabled",
    },
    "features.bot_user": {"display_name", "always_online"},
    "oauth_config": {"redirect_urls", "scopes", "token_management_enabled"},
    "oauth_config.scopes": {"bot", "user"},
    "settings": {
        "allowed_ip_address_ranges",
        "event_subscriptions",
        "incoming_webhooks",
        "interactivity",
        "org_deploy_enabled",
        "socket_mode_enabled",
        "token_rotation_enabled",
    },
    "settings.event_subscriptions": {"request_url", "bot_events", "user_events"},
    "settings.interactivity": {"is_enabled", "request_url", "message_menu_options_url"},
}
COMMAND_KEYS = {"command", "url", "description", "usage_hint", "should_escape"}
SHORTCUT_KEYS = {"name", "type", "callback_id", "description"}
# Bot token scopes Slack defines that an app like this could ask for; a typo is not one of them.
KNOWN_BOT_SCOPES = {
    "app_mentions:read",
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "chat:write.customize",
    "chat:write.public",
    "commands",
    "files:read",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:read",
    "im:write",
    "links:read",
    "links:write",
    "metadata.message:read",
    "mpim:history",
    "mpim:read",
    "mpim:write",
    "reactions:read",
    "reactions:write",
    "team:read",
    "usergroups:read",
    "users:read",
    "users:read.email",
}


def section(path: str) -> dict[str, object]:
    node: object = MANIFEST
    for key in filter(None, path.split(".")):
        assert isinstance(node, dict)
        node = node.get(key, {})
    assert isinstance(node, dict)
    return node


def https_url(url: object, maximum: int) -> bool:
    return isinstance(url, str) and url.startswith("https://") and len(url) <= maximum


def test_manifest_uses_only_keys_slack_knows() -> None:
    """Slack refuses a manifest with a key it does not know, at any level."""
    for path, known in KNOWN_KEYS.items():
        assert set(section(path)) <= known, path
    for command in MANIFEST["features"]["slash_commands"]:
        assert set(command) <= COMMAND_KEYS, command
    for shortcut in MANIFEST["features"]["shortcuts"]:
        assert set(shortcut) <= SHORTCUT_KEYS, shortcut


def test_display_information_fits_slack_limits() -> None:
    """Name 1-35, description 1-140, long description 175-4,000, colour #rgb or #rrggbb."""
    info = MANIFEST["display_information"]
    assert 1 <= len(info["name"]) <= 35
    assert 1 <= len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", info["background_color"])


def test_bot_display_name_uses_only_the_characters_slack_allows() -> None:
    """`bot_user.display_name` is 1-80 characters of a-z, 0-9, `-`, `_` and `.` (no spaces)."""
    name = MANIFEST["features"]["bot_user"]["display_name"]
    assert re.fullmatch(r"[a-z0-9._-]{1,80}", name), name


def test_slash_commands_fit_slack_rules() -> None:
    """At most 50; each `/name` of at most 32 lowercase characters, described, https URL."""
    commands = MANIFEST["features"]["slash_commands"]
    assert 1 <= len(commands) <= 50
    names = [c["command"] for c in commands]
    assert len(names) == len(set(names))
    for command in commands:
        assert re.fullmatch(r"/[a-z0-9_-]{1,31}", command["command"]), command["command"]
        assert 1 <= len(command["description"]) <= 2000
        assert 1 <= len(command.get("usage_hint", "x")) <= 1000
        assert https_url(command["url"], 3000)
        assert isinstance(command.get("should_escape", False), bool)


def test_shortcuts_fit_slack_rules() -> None:
    """At most 10; name 1-24, type global or message, callback id 1-255, description 1-150."""
    shortcuts = MANIFEST["features"]["shortcuts"]
    assert 1 <= len(shortcuts) <= 10
    for shortcut in shortcuts:
        assert 1 <= len(shortcut["name"]) <= 24, shortcut["name"]
        assert shortcut["type"] in ("global", "message")
        assert 1 <= len(shortcut["callback_id"]) <= 255
        assert 1 <= len(shortcut["description"]) <= 150


def test_scopes_and_events_are_ones_slack_defines_and_urls_are_https() -> None:
    """Every bot scope is a real one, listed once; request URLs are https within 3,500."""
    scopes = MANIFEST["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes)) and set(scopes) <= KNOWN_BOT_SCOPES
    events = section("settings.event_subscriptions")
    bot_events = events.get("bot_events", [])
    assert isinstance(bot_events, list) and len(bot_events) == len(set(bot_events)) <= 100
    assert https_url(events["request_url"], 3500)
    interactivity = section("settings.interactivity")
    assert interactivity["is_enabled"] is True
    assert https_url(interactivity["request_url"], 3500)
