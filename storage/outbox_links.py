"""The outbox's own vocabulary: the keys messages are enqueued under, and links between them.

One module owns both, so the features that enqueue messages (handlers/) and the worker that
delivers them (bot/outbox.py) agree without repeating a format.

A link to another outbox message is never a pattern in the text. A feature asks a `Links`
for a link while it builds a message; what it gets back carries markers bearing a random
nonce made for that message alone. When the message is enqueued, `Links.place` takes the
markers out and records where each link goes (`LinkSpot`: the string's path in the payload,
the label's span, the key it links to) in the outbox row. The worker fills in exactly those
spots, so whatever a member typed (`{permalink:…}` in any shape, or a forged marker) is
delivered as typed.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# --- Keys -----------------------------------------------------------------------------------

FAILURE_NOTICE_PREFIX = "failure-notice:"


def review_post_key(kind: str, item_id: int, revision: int) -> str:
    """The coordinators' review post for one revision of a submission (`practice:3:review:2`)."""
    return f"{kind}:{item_id}:review:{revision}"


def published_key(kind: str, item_id: int) -> str:
    """An approved submission's post in its public channel (`event:7:published`)."""
    return f"{kind}:{item_id}:published"


def ta_post_key(request_id: int) -> str:
    """A TA request's post in the TA channel, which later moves edit in place."""
    return f"ta:{request_id}:post"


def digest_key(channel: str, period_key: str) -> str:
    """The first message of a digest (the channel's or a member's) for one period."""
    return f"digest:{channel}:{period_key}"


def failure_notice_key(channel: str, error_digest: str, coordinator: str) -> str:
    """The one notice a coordinator gets about a channel failing with one error."""
    return f"{FAILURE_NOTICE_PREFIX}{channel}:{error_digest}:{coordinator}"


# --- Links ----------------------------------------------------------------------------------

# A filled-in link is `<URL|label>`; a post's permalink is about 80 characters, a thread
# reply's about 130. Layouts count every link at this size so filled-in text still fits.
LINK_URL_MAX = 150

# Private-use characters delimit markers; the nonce, not the characters, makes them unforgeable.
_OPEN, _CLOSE, _END = "\ue000", "\ue001", "\ue002"
_ANY_START = re.compile(f"{_OPEN}[0-9a-f]{{16}}:[0-9]{{1,6}}{_CLOSE}")
_ANY_END = re.compile(f"{_END}[0-9a-f]{{16}}:[0-9]{{1,6}}{_CLOSE}")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class LinkSpot:
    """Where one link goes in a payload: the string at `path`, the label at `[start, end)`.

    With a URL the label becomes `<URL|label>`. When no link can be had (the linked message
    was never sent, Slack has no permalink for it), the label is replaced by `missing` when
    given, so the message says so in words, and otherwise stays as plain text.
    """

    key: str
    path: Path
    start: int
    end: int
    missing: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The spot as stored in the outbox row's `links` column."""
        spot: dict[str, Any] = {
            "key": self.key,
            "path": list(self.path),
            "start": self.start,
            "end": self.end,
        }
        if self.missing is not None:
            spot["missing"] = self.missing
        return spot

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinkSpot:
        """A spot read back from the `links` column."""
        missing = data.get("missing")
        return cls(
            key=str(data["key"]),
            path=tuple(data["path"]),
            start=int(data["start"]),
            end=int(data["end"]),
            missing=None if missing is None else str(missing),
        )


class Links:
    """The links of the message(s) being built, each to an outbox message named by its key.

    Text returned by `link` is only meaningful to this object: `place` turns it into spots.
    """

    def __init__(self) -> None:
        self._nonce = secrets.token_hex(8)
        self._links: list[tuple[str, str | None]] = []
        self._start = re.compile(f"{_OPEN}{self._nonce}:([0-9]{{1,6}}){_CLOSE}")

    def link(self, key: str, label: str, *, missing: str | None = None) -> str:
        """`label` (escaped mrkdwn) linked to the message enqueued under `key`.

        `missing` is what to say instead when no link can be had; by default the label stays.
        """
        index = len(self._links)
        self._links.append((key, missing))
        tag = f"{self._nonce}:{index}{_CLOSE}"
        return f"{_OPEN}{tag}{label}{_END}{tag}"

    def place(self, payload: dict[str, Any]) -> tuple[dict[str, Any], list[LinkSpot]]:
        """The payload without this object's markers, and where each of its links goes.

        Raises:
            ValueError: a marker without its end, or a link inside another link's label.
        """
        spots: list[LinkSpot] = []

        def take(text: str, path: Path) -> str:
            out: list[str] = []
            position = 0
            length = 0
            while (found := self._start.search(text, position)) is not None:
                index = int(found.group(1))
                if index >= len(self._links):
                    raise ValueError("a link marker this message never made")
                end_tag = f"{_END}{self._nonce}:{index}{_CLOSE}"
                close = text.find(end_tag, found.end())
                if close == -1:
                    raise ValueError("a link marker without its end")
                label = text[found.end() : close]
                if self._start.search(label):
                    raise ValueError("a link inside another link's label")
                before = text[position : found.start()]
                out += [before, label]
                start = length + len(before)
                length = start + len(label)
                key, missing = self._links[index]
                spots.append(LinkSpot(key, path, start, length, missing))
                position = close + len(end_tag)
            if not out:
                return text
            out.append(text[position:])
            return "".join(out)

        return _map_strings(payload, take, ()), spots


def unlinked(message: dict[str, Any]) -> dict[str, Any]:
    """A message with every link reduced to its label, for previews that are never enqueued."""
    return _map_strings(message, lambda text, _path: strip_markers(text), ())


def strip_markers(text: str) -> str:
    """`text` with link markers taken out, labels kept."""
    return _ANY_END.sub("", _ANY_START.sub("", text))


def filled_length(text: str) -> int:
    """Characters `text` can have once its links are filled in (each as `<URL|label>`)."""
    starts = len(_ANY_START.findall(text))
    return len(strip_markers(text)) + starts * (LINK_URL_MAX + 3)


def spot_keys(spots: Sequence[LinkSpot]) -> list[str]:
    """The keys the spots link to, each once, in order."""
    return list(dict.fromkeys(spot.key for spot in spots))


def fill(
    payload: dict[str, Any], spots: Sequence[LinkSpot], urls: Mapping[str, str | None]
) -> dict[str, Any]:
    """The payload with every spot filled: `<URL|label>`, or the words for a missing link.

    Raises:
        ValueError: a spot that does not fit the payload (its path or span is not there).
    """
    by_path: dict[Path, list[LinkSpot]] = {}
    for spot in spots:
        by_path.setdefault(tuple(spot.path), []).append(spot)

    def change(text: str, path: Path) -> str:
        here = sorted(by_path.pop(path, ()), key=lambda s: s.start, reverse=True)
        limit = len(text)
        for spot in here:  # from the end, so earlier offsets stay valid
            if not 0 <= spot.start <= spot.end <= limit:
                raise ValueError(f"link spot outside its text at {list(path)}")
            label = text[spot.start : spot.end]
            url = urls.get(spot.key)
            if url:
                linked = f"<{url}|{label}>"
            else:
                linked = spot.missing if spot.missing is not None else label
            text = text[: spot.start] + linked + text[spot.end :]
            limit = spot.start
        return text

    filled = _map_strings(payload, change, ())
    if by_path:
        raise ValueError(f"link spot at a path the payload lacks: {list(next(iter(by_path)))}")
    return filled


def _map_strings(value: Any, change: Callable[[str, Path], str], path: Path) -> Any:
    """`value` with `change(text, path)` applied to every string inside it."""
    if isinstance(value, str):
        return change(value, path)
    if isinstance(value, dict):
        return {k: _map_strings(v, change, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_strings(v, change, (*path, i)) for i, v in enumerate(value)]
    return value
