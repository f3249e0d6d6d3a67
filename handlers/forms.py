"""Reading and checking modal input, shared by every form.

Slack's `view.state.values` is untrusted: blocks may be missing, values may have the wrong
type, options may not be ours. These readers never raise; they return None for anything
unusable, and the checks turn that into a field error on the right block.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

StateValues = Mapping[str, Any]

# Control characters nobody types into a form: C0 except tab, LF and CR, DEL, and C1 (which
# includes NEL, U+0085). NUL cannot be stored in PostgreSQL text at all; VT, FF, FS, GS, RS and
# NEL are line breaks to `str.splitlines` and other consumers, and iCalendar writers pass them
# through unescaped, so one in a title would end a `/calendar.ics` line early and let the rest
# read as a property of its own.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# U+2028 and U+2029 are line breaks too (to JavaScript, `splitlines` and some mail readers),
# but unlike the controls above a person can mean them: they arrive pasted from word processors
# as "new line". They become LF, which every consumer, Slack and iCalendar's `\n` agree on.
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})


def clean_text(text: str) -> str:
    """Member text as it may be stored: control characters dropped, Unicode line breaks as LF.

    Tab, LF and CR stay: they are how people lay out a description, and every consumer handles
    them (iCalendar writes an escape, Slack shows a line break, CSV quotes the field).
    """
    return _CONTROL.sub("", text).translate(_LINE_BREAKS)


def _element(values: StateValues, block_id: str, action_id: str) -> Mapping[str, Any]:
    block = values.get(block_id) if isinstance(values, Mapping) else None
    element = block.get(action_id) if isinstance(block, Mapping) else None
    return element if isinstance(element, Mapping) else {}


def text_value(values: StateValues, block_id: str, action_id: str) -> str:
    """A text input's value, cleaned (see `clean_text`) and stripped; empty when absent.

    Every form reads its text here, so nothing a member types reaches storage with a control
    character in it.
    """
    value = _element(values, block_id, action_id).get("value")
    if not isinstance(value, str):
        return ""
    return clean_text(value).strip()


def selected_value(values: StateValues, block_id: str, action_id: str) -> str | None:
    """The value of a single select or radio choice."""
    selected = _element(values, block_id, action_id).get("selected_option")
    if isinstance(selected, Mapping) and isinstance(selected.get("value"), str):
        return str(selected["value"])
    return None


def selected_values(values: StateValues, block_id: str, action_id: str) -> list[str] | None:
    """The values of a multi-select or checkboxes; None when any entry is malformed."""
    selected = _element(values, block_id, action_id).get("selected_options") or []
    if not isinstance(selected, list):
        return None
    result: list[str] = []
    for item in selected:
        if not isinstance(item, Mapping) or not isinstance(item.get("value"), str):
            return None
        if item["value"] not in result:
            result.append(item["value"])
    return result


def datetime_value(values: StateValues, block_id: str, action_id: str) -> datetime | None:
    """A `datetimepicker`'s choice as an aware UTC time (Slack sends epoch seconds)."""
    epoch = _element(values, block_id, action_id).get("selected_date_time")
    if isinstance(epoch, bool) or not isinstance(epoch, int):
        return None
    try:
        return datetime.fromtimestamp(epoch, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def length_error(text: str, label: str, minimum: int, maximum: int) -> str | None:
    """A message when required text is missing, too short or too long."""
    if not text:
        return f"Please add {label}."
    if len(text) < minimum:
        return f"Please write at least {minimum} characters."
    if len(text) > maximum:
        return f"Please keep this under {maximum} characters (it has {len(text)})."
    return None


def link_error(link: str, maximum: int = 2000) -> str | None:
    """A message when an optional link is not a plain http(s) address."""
    if not link:
        return None
    if len(link) > maximum:
        return f"Links must be under {maximum} characters."
    problem = "Links must start with http:// or https:// (for example https://example.org)."
    try:
        parts = urlsplit(link)
    except ValueError:  # e.g. an unclosed IPv6 host, `http://[`
        return problem
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in link):
        return problem
    return None
