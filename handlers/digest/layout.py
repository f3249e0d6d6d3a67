"""Packing a digest into Slack messages: 50 blocks, 3,000 characters a section, a `text` each.

However busy the week, the digest is a parent message plus at most a few thread replies. When
everything fits it is all listed; when it does not, each section lists as many items as fit
(the same cap for every section, so a busy section cannot crowd out a quiet one) and says how
many more there are and where to find them. No item is ever dropped without being counted.
Pure functions: no storage, no Slack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from handlers import blocks
from handlers.blocks import MESSAGE_BLOCKS_MAX, SECTION_TEXT_MAX
from handlers.digest.sections import DigestGroup, DigestSection, measure

Message = dict[str, Any]


@dataclass(frozen=True)
class Limits:
    """What one digest may use.

    `message_chars` stays under the ~13,000 characters of blocks Slack accepts per message in
    practice (`msg_blocks_too_long`); `messages` counts the parent and its replies.
    """

    blocks: int = MESSAGE_BLOCKS_MAX
    section_chars: int = SECTION_TEXT_MAX
    message_chars: int = 12_000
    messages: int = 5


@dataclass(frozen=True)
class DigestIntro:
    """The top of a digest: its header, the one-line count of the week, the `text` fallback."""

    title: str
    tally: str
    fallback: str
    footer: tuple[blocks.Block, ...] = field(default=())


def size(block: blocks.Block) -> int:
    """Characters of text in a block once link tokens are filled in."""
    if block["type"] in ("section", "header"):
        return measure(block["text"]["text"])
    if block["type"] == "context":
        return sum(measure(element.get("text", "")) for element in block["elements"])
    if block["type"] == "actions":
        return sum(len(element["text"]["text"]) for element in block["elements"])
    return 0


def shares(groups: Sequence[DigestGroup], shown: int) -> list[int]:
    """How many of `shown` items each group lists: evenly, so every heading gets some."""
    sizes = [len(group.lines) for group in groups]
    level = 0
    while level < max(sizes, default=0) and sum(min(s, level + 1) for s in sizes) <= shown:
        level += 1
    taken = [min(s, level) for s in sizes]
    spare = shown - sum(taken)
    for index, group_size in enumerate(sizes):
        if spare > 0 and group_size > taken[index]:
            taken[index] += 1
            spare -= 1
    return taken


class _Lengths(dict[str, int]):
    """Filled lengths of the lines being laid out, each measured once per layout.

    `_cap` renders the digest a dozen times or more while it looks for the counts that fit, and
    measuring (the link markers' regular expressions) was most of a digest's build.
    """

    def __missing__(self, text: str) -> int:
        length = self[text] = measure(text)
        return length


class _Pages:
    """Messages being filled block by block, each kept within the limits."""

    def __init__(self, intro: DigestIntro, limits: Limits) -> None:
        self.pages: list[list[blocks.Block]] = [[blocks.header(intro.title)]]
        if intro.tally:
            self.pages[0].append(blocks.context(intro.tally))
        self.chars = [sum(size(b) for b in self.pages[0])]  # each page's, kept as it fills
        footer_blocks = len(intro.footer)
        footer_chars = sum(size(b) for b in intro.footer)
        # Every page keeps room for the footer (only the last gets it) and for the note on the
        # parent that the digest continues in the thread.
        self.block_room = limits.blocks - footer_blocks - 1
        self.char_room = limits.message_chars - footer_chars - 200

    def add(
        self,
        block: blocks.Block,
        *,
        title: str,
        first: blocks.Block | None = None,
        chars: int | None = None,
    ) -> None:
        """Add `block` (of `chars` characters, if known), after `first` on the same page.

        `first` is a section's header. A block that does not fit starts a new page; a section
        carried over to it gets its title again, marked "continued".
        """
        new = (first, block) if first is not None else (block,)
        added = (size(block) if chars is None else chars) + (size(first) if first else 0)
        fits = (
            len(self.pages[-1]) + len(new) <= self.block_room
            and self.chars[-1] + added <= self.char_room
        )
        if not fits:
            carried = first is None
            self.pages.append([blocks.header(f"{title} (continued)")] if carried else [])
            self.chars.append(sum(size(b) for b in self.pages[-1]))
        self.pages[-1].extend(new)
        self.chars[-1] += added


def _chunks(
    lines: Sequence[str], heading: str | None, limit: int, lengths: _Lengths
) -> list[tuple[str, int]]:
    """Lines joined into section texts of at most `limit` characters, heading on the first.

    Each text comes with its filled length: a newline adds one character to the lengths of
    the lines it joins, since a link marker never spans lines.
    """
    chunks: list[tuple[str, int]] = []
    current, length = heading or "", lengths[heading] if heading else 0
    for line in lines:
        line_length = lengths[line]
        if current and length + 1 + line_length > limit:
            chunks.append((current, length))
            current, length = "", 0
        if current:
            current, length = f"{current}\n{line}", length + 1 + line_length
        else:
            current, length = line, line_length
    if current:
        chunks.append((current, length))
    return chunks


def _more(section: DigestSection, hidden: int) -> str:
    more = f"…and {section.count(hidden).replace(' ', ' more ', 1)} {section.where}"
    return f"_{more.strip()}_"


def render(
    intro: DigestIntro,
    sections: Sequence[DigestSection],
    shown: Sequence[int],
    limits: Limits,
    lengths: _Lengths | None = None,
) -> list[list[blocks.Block]]:
    """Lay out `shown[i]` items of each section; the pages may exceed `limits.messages`.

    `lengths` carries the lines' lengths from one render of the same sections to the next.
    """
    lengths = _Lengths() if lengths is None else lengths
    pages = _Pages(intro, limits)
    for section, count in zip(sections, shown, strict=True):
        if section.total == 0:
            continue
        title = f"{section.title} ({section.total})"
        heading: blocks.Block | None = blocks.header(title)
        for group, take in zip(section.groups, shares(section.groups, count), strict=True):
            if take == 0:
                continue  # no heading without items under it
            chunks = _chunks(group.lines[:take], group.heading, limits.section_chars, lengths)
            for text, chars in chunks:
                pages.add(blocks.section(text), title=section.title, first=heading, chars=chars)
                heading = None
        if count < section.total:
            pages.add(
                blocks.context(_more(section, section.total - count)),
                title=section.title,
                first=heading,
            )
    return pages.pages


def _cap(
    intro: DigestIntro, sections: Sequence[DigestSection], limits: Limits, lengths: _Lengths
) -> list[int]:
    """How many items each section lists so that the digest fits in `limits.messages`.

    First the largest cap shared by every section, so a busy section cannot crowd out the
    others; then, smallest section first, each is given whatever room is left, so a section
    a few items short of complete is completed rather than cut.
    """
    totals = [section.total for section in sections]

    def fits(shown: list[int]) -> bool:
        return len(render(intro, sections, shown, limits, lengths)) <= limits.messages

    def largest(low: int, high: int, shown_with: Callable[[int], list[int]]) -> int:
        while low < high:  # more items never take fewer messages, so this can bisect
            middle = (low + high + 1) // 2
            if fits(shown_with(middle)):
                low = middle
            else:
                high = middle - 1
        return low

    cap = largest(0, max(totals, default=0), lambda c: [min(t, c) for t in totals])
    shown = [min(total, cap) for total in totals]
    for index in sorted(range(len(totals)), key=lambda i: totals[i]):
        if shown[index] < totals[index]:

            def with_more(n: int, i: int = index) -> list[int]:
                return [n if j == i else count for j, count in enumerate(shown)]

            shown[index] = largest(shown[index], totals[index], with_more)
    return shown


def layout(
    intro: DigestIntro, sections: Sequence[DigestSection], limits: Limits | None = None
) -> list[Message]:
    """The digest as message payloads: the parent first, then its thread replies, in order.

    A week with nothing in any section gets `quiet_message` instead.
    """
    limits = limits or Limits()
    if all(section.total == 0 for section in sections):
        return [quiet_message(intro)]
    lengths = _Lengths()
    pages = render(intro, sections, _cap(intro, sections, limits, lengths), limits, lengths)
    if len(pages) > 1:
        pages[0].append(blocks.context(f":thread: Continued in {len(pages) - 1} thread replies."))
    pages[-1].extend(intro.footer)
    messages = [{"text": intro.fallback, "blocks": pages[0]}]
    for number, page in enumerate(pages[1:], start=2):
        text = f"{intro.title} (continued, part {number} of {len(pages)})"
        messages.append({"text": blocks.escape(text), "blocks": page})
    return messages


QUIET = (
    "A quiet week in the network: no new practices, open requests for help or events coming "
    "up. Something working at your community school? Share it with `/share-practice` so "
    "next week's digest can feature it."
)


def quiet_message(intro: DigestIntro) -> Message:
    """The short, friendly message for a week with nothing to list."""
    body = [blocks.header(intro.title), blocks.section(QUIET)]
    if intro.tally:
        body.append(blocks.context(intro.tally))
    body.extend(intro.footer)
    return {"text": f"{blocks.escape(intro.title)}: a quiet week", "blocks": body}
