"""Search results as an ephemeral message. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers import blocks

MAX_RESULTS = 10
# How each kind in the index is named in a result; anything else reads as its kind.
KIND_LABELS = {
    "practice": "Practice",
    "event": "Event",
    "ta_offering": "TA offering",
    "policy_update": "Policy update",
}


@dataclass(frozen=True)
class SearchResult:
    """One result as shown: what it is, where, and the link to its post if it has one."""

    kind: str
    title: str
    organisation: str
    county: str | None
    region: str | None
    link: str | None


def permalink(team_domain: str | None, channel: str | None, ts: str | None) -> str | None:
    """Slack's message link format, from the workspace domain Slack sends with each command."""
    if not (team_domain and channel and ts):
        return None
    return f"https://{team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"


def results_message(query: str, results: list[SearchResult], problems: list[str]) -> dict[str, Any]:
    """The ephemeral answer to `/ccsn search`."""
    asked = blocks.quote(query, 200) or "everything"
    lines = [f"*Search:* {asked}"]
    lines += [f":grey_question: {blocks.escape(problem)}" for problem in problems]
    if not results:
        lines.append(
            "Nothing approved matches yet. Try fewer words, or filters such as "
            '`pillar:engagement`, `county:Fresno`, `region:"Bay Area"` or `funding:ccspp`.'
        )
    body = [blocks.section("\n".join(lines))]
    for result in results[:MAX_RESULTS]:
        label = KIND_LABELS.get(result.kind, result.kind.replace("_", " ").capitalize())
        title = blocks.escape(result.title)
        heading = f"<{blocks.escape_url(result.link)}|{title}>" if result.link else f"*{title}*"
        where = ", ".join(blocks.escape(p) for p in (result.county, result.region) if p)
        body.append(
            blocks.section(
                f"{heading}\n{label} · {blocks.escape(result.organisation)}"
                + (f" · {where}" if where else "")
            )
        )
    text = f"{len(results)} result(s) for {asked}"
    return {"text": text, "blocks": body}
