"""Reading what a slash command answered."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltResponse

from tests.harness import body_json


def command_answer(response: BoltResponse) -> dict[str, Any]:
    """What a slash command answered: Bolt sends a text-only `ack` as plain text, else JSON."""
    assert response.status == 200
    try:
        return body_json(response)
    except ValueError:
        return {"text": response.body}
