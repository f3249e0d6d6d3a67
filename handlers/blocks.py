"""Block Kit building blocks: escaping and limits, applied in one place.

Slack reads `<!channel>`, `<@U…>` and `<url|text>` in mrkdwn and in a message's `text` even with
`verbatim`; only escaping `&`, `<` and `>` stops them. Every user-supplied string goes through
`escape` (or a `plain_text` object) before it reaches Slack.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

Block = dict[str, Any]

SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
OPTION_TEXT_MAX = 75
CONTEXT_TEXT_MAX = 3000
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100


# mrkdwn has no escape for its formatting marks, so user text gets look-alikes that Slack does
# not treat as markup: a title like "a *b* c" cannot turn the rest of a message bold.
_FORMATTING = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})


def escape(text: str) -> str:
    """Make user text inert in mrkdwn and message `text`.

    `&`, `<` and `>` become entities (`&` first), so `<!channel>` and `<@U…>` never ping;
    `*`, `_`, `~` and backticks become look-alikes, so they cannot open or close formatting
    around the bot's own markup.
    """
    return _entities(text).translate(_FORMATTING)


def code(text: str) -> str:
    """Text shown in `code` style (an error name): entities escaped, backticks removed."""
    return "`" + _entities(text).replace("`", "'") + "`"


def escape_url(url: str) -> str:
    """Escape a URL placed inside `<url|label>`: entities only, and `|` percent-encoded."""
    return _entities(url).replace("|", "%7C")


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Shorten `text` to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The longest entity `escape` writes is `&amp;`: a `&` further back than this is not being cut.
_ENTITY_MAX = len("&amp;")


def cut_mrkdwn(text: str, limit: int) -> str:
    """Shorten escaped mrkdwn to `limit` characters without breaking what Slack parses.

    A plain cut can end inside an entity (`&g…`, shown as garbage) or inside the bot's own
    markup (`<https://…|label>`, `<@U…>`, `<!date^…>` left without its `>`, which swallows or
    garbles the rest), so an entity or a `<…>` the cut would open is left out whole.
    """
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    amp = head.rfind("&")
    if amp >= 0 and len(head) - amp < _ENTITY_MAX and ";" not in head[amp:]:
        head = head[:amp]
    if head.rfind("<") > head.rfind(">"):
        head = head[: head.rfind("<")]
    return head + "…"


def quote(text: str, limit: int) -> str:
    """User text as safe mrkdwn, at most `limit` characters after escaping.

    Truncating after escaping could cut an entity such as `&amp;` in half, so the cut is made
    on the raw text until the escaped form fits.
    """
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    cut = limit - 1
    while len(escape(text[:cut])) > limit - 1:
        cut -= max(1, (len(escape(text[:cut])) - (limit - 1)) // 5)
    return escape(text[:cut]) + "…"


def plain(text: str, limit: int = SECTION_TEXT_MAX) -> dict[str, Any]:
    """A `plain_text` object: shown literally, so no escaping is needed, only the limit."""
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    """A `mrkdwn` object from text the caller already escaped, cut where Slack parses nothing."""
    return {"type": "mrkdwn", "text": cut_mrkdwn(text, SECTION_TEXT_MAX)}


def header(text: str) -> Block:
    """A header block (plain text, 150 characters)."""
    return {"type": "header", "text": plain(text, HEADER_TEXT_MAX)}


def section(text: str, *, block_id: str | None = None) -> Block:
    """A section of already-escaped mrkdwn."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def context(*texts: str) -> Block:
    """A context block of already-escaped mrkdwn snippets (at most 10)."""
    return {
        "type": "context",
        "elements": [mrkdwn(cut_mrkdwn(text, CONTEXT_TEXT_MAX)) for text in texts[:10]],
    }


def divider() -> Block:
    """A divider."""
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str, *, style: str | None = None, url: str | None = None
) -> dict[str, Any]:
    """A button; `style` is `primary` or `danger`."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT_MAX),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    """An actions block (at most 25 elements)."""
    block: Block = {"type": "actions", "elements": list(elements[:25])}
    if block_id:
        block["block_id"] = block_id
    return block


def notice_modal(title: str, text: str, *, close: str = "Close") -> Block:
    """A modal that only tells the member something (`text`, mrkdwn): no submit button."""
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain(close, 24),
        "blocks": [section(text)],
    }


def option(label: str, value: str) -> dict[str, Any]:
    """A select or checkbox option."""
    return {"text": plain(label, OPTION_TEXT_MAX), "value": value}


def user(user_id: str) -> str:
    """A mention of a user the bot knows (an ID from Slack, not typed text)."""
    return f"<@{user_id}>"


def fmt_date(epoch: int, fallback: str) -> str:
    """Slack's date token, so each reader sees the time in their own zone."""
    return f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|{escape(fallback)}>"


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    """A modal input block; label and hint are plain text within their 2,000-character limit."""
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def text_input(
    action_id: str, max_length: int, initial: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A `plain_text_input`, prefilled (within its own limit) when `initial` is given."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": action_id,
        "max_length": max_length,
        **extra,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    return element


def when(at: datetime, tz: ZoneInfo) -> str:
    """A Slack date token for `at`: each reader sees their own time, the fallback is local."""
    local = at.astimezone(tz)
    return fmt_date(int(at.timestamp()), local.strftime("%b %d, %Y %I:%M %p %Z"))
