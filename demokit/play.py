"""The offline demo: the real bot, a local stand-in for Slack, and a transcript of what it sent.

The bot's clock is frozen on one week of December 2026 (moved only by the demo), so the
transcript is the same on any day it is run. The stories are in `demokit.stories`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import IO

from demokit import stories
from demokit.driver import running_bot

START = stories.WEEK_STARTS


def run_demo(out: IO[str], keep_in: Path | None = None) -> str:
    """Play the stories, printing each step and every message Slack was asked to show.

    Returns the demo database's URL; the database outlives the demo only in `keep_in`.
    """
    out.write("CCSN Hub offline demo: the real bot, talking to a local stand-in for Slack.\n")
    out.write(
        "Each step is a signed request to the bot's /slack/events endpoint; under it, what the\n"
        f"bot asked Slack to do. The bot's clock starts on {START:%A} {START.day} {START:%B %Y}.\n"
    )
    with running_bot(
        stories.SETTINGS, START, stories.NAMES, out, keep_in=keep_in, profiles=stories.PROFILES
    ) as demo:
        for day, story in enumerate(stories.STORIES):
            demo.clock.now = START + timedelta(days=day)  # a story a day; the digest sets its own
            story(demo)
    out.write("\nThat's the product working end to end. Connect a workspace to use it for real.\n")
    return demo.runtime.settings.database_url
