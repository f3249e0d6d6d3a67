"""`manifest.yml` declares everything the code uses, and every identifier is unique."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import yaml

import handlers

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


def test_request_urls_point_at_the_bot_endpoint() -> None:
    """Commands and interactivity both go to /slack/events, which the server routes."""
    urls = [c["url"] for c in MANIFEST["features"]["slash_commands"]]
    urls.append(MANIFEST["settings"]["interactivity"]["request_url"])
    assert all(url.endswith("/slack/events") for url in urls)
