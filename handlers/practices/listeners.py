"""Bolt listeners of practices' own: turning any message into a practice.

The form itself (`/share-practice`, its shortcut, submitting, editing) is the review pipeline's,
declared by `handlers.practices.kind.PRACTICES`.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.deps import Deps
from handlers.practices import ids, views
from handlers.practices.schemas import SUMMARY_MAX, PracticeDraft, unescape_message_text

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Attach the Share as a practice message shortcut."""

    @app.shortcut(ids.SHARE_MESSAGE_SHORTCUT)
    def share_message(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """Open the form with the message as the summary, then add a link back to it.

        The modal opens first because the trigger expires in 3 seconds; the permalink lookup
        follows, and if it fails the member simply has no prefilled link.
        """
        ack()
        message = body.get("message") or {}
        text = unescape_message_text(str(message.get("text") or ""))[:SUMMARY_MAX]
        draft = PracticeDraft(summary=text)
        opened = client.views_open(trigger_id=body["trigger_id"], view=views.practice_modal(draft))
        channel = str((body.get("channel") or {}).get("id") or "")
        try:
            link = client.chat_getPermalink(channel=channel, message_ts=str(message.get("ts")))
            view = opened["view"]
            client.views_update(
                view_id=view["id"],
                hash=view.get("hash"),
                view=views.practice_modal(draft.model_copy(update={"link": link["permalink"]})),
            )
        except (SlackApiError, KeyError, TypeError):
            log.info("practice.message_link_unavailable")
