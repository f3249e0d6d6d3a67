"""Bolt listeners for sharing a practice: open the form, check it, save it, edit it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from handlers.deps import Deps
from handlers.practices import ids, service, views
from handlers.practices.schemas import (
    SUMMARY_MAX,
    PracticeDraft,
    parse_practice_form,
    unescape_message_text,
)
from handlers.replies import TRY_AGAIN, int_or_none, metadata, tell

log = logging.getLogger(__name__)


def open_share_form(client: WebClient, trigger_id: str) -> None:
    """Open the blank share-a-practice form (the command, the shortcut and App Home)."""
    client.views_open(trigger_id=trigger_id, view=views.practice_modal())


def open_edit_form(
    deps: Deps, client: WebClient, trigger_id: str, user_id: str, practice_id: int
) -> str | None:
    """Open the form filled with the member's practice; otherwise say why it cannot be edited."""
    try:
        practice, problem = service.load_for_edit(deps, user_id=user_id, practice_id=practice_id)
    except SQLAlchemyError:
        log.exception("practice.load_failed")
        return TRY_AGAIN
    if practice is None:
        return problem
    meta = {"practice_id": practice.id, "revision": practice.revision}
    client.views_open(trigger_id=trigger_id, view=views.practice_modal(practice, meta))
    return None


def register(app: App, deps: Deps) -> None:
    """Attach the share-a-practice listeners."""

    def open_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_share_form(client, body["trigger_id"])

    app.command(ids.SHARE_COMMAND)(open_form)
    app.shortcut(ids.SHARE_SHORTCUT)(open_form)

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

    @app.view(ids.PRACTICE_MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = parse_practice_form((view.get("state") or {}).get("values") or {})
        if isinstance(form, dict):
            ack(response_action="errors", errors=form)
            return
        user_id = body["user"]["id"]
        meta = metadata(view)
        practice_id = int_or_none(meta.get("practice_id"))
        try:
            if practice_id is None:
                service.submit_practice(deps, submitter_id=user_id, form=form, view_id=view["id"])
            else:
                result = service.resubmit_practice(
                    deps,
                    submitter_id=user_id,
                    practice_id=practice_id,
                    revision=int_or_none(meta.get("revision")) or 0,
                    form=form,
                    view_id=view["id"],
                )
                if result.error_block and result.error:
                    ack(response_action="errors", errors={result.error_block: result.error})
                    return
        except SQLAlchemyError:
            log.exception("practice.save_failed")
            ack(response_action="errors", errors={ids.TITLE_BLOCK: TRY_AGAIN})
            return
        ack()

    @app.action(ids.EDIT_ACTION)
    def edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        practice_id = int_or_none((body.get("actions") or [{}])[0].get("value"))
        problem = open_edit_form(
            deps, client, body["trigger_id"], body["user"]["id"], practice_id or 0
        )
        if problem:
            tell(client, body, problem)
