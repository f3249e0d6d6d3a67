"""`/ccsn export`: answer at once, then build the CSV and upload it after Slack has its answer."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from handlers.ccsn import CommandCall, Subcommand
from handlers.deps import Deps
from handlers.exports import service
from handlers.exports.schemas import ExportRequest
from handlers.exports.upload import UploadFailed

log = logging.getLogger(__name__)

FAILED = "Sorry, I couldn't send that export just now. Please try again in a few minutes."


def subcommands(deps: Deps) -> list[Subcommand]:
    """`/ccsn export <practices|ta|events|ta-offerings> [since YYYY-MM-DD]`, for coordinators."""

    def run(call: CommandCall) -> None:
        checked = service.check(deps, call.user_id, call.args)
        call.ack(text=service.preparing(checked) if isinstance(checked, ExportRequest) else checked)

    def later(call: CommandCall) -> None:
        checked = service.check(deps, call.user_id, call.args)
        if not isinstance(checked, ExportRequest):
            return  # `run` already told them why
        try:
            service.send_to_dm(deps, call.client, call.user_id, checked)
        except (SQLAlchemyError, SlackClientError, UploadFailed, OSError):
            log.exception("export.failed kind=%s", checked.kind)
            _tell(call, FAILED)

    return [
        Subcommand(
            "export",
            "a CSV of practices, TA requests, events or TA offerings, sent to you by DM "
            "(coordinators): `practices|ta|events|ta-offerings [since YYYY-MM-DD]`",
            run,
            later,
        )
    ]


def _tell(call: CommandCall, text: str) -> None:
    """An ephemeral note where the command was typed; nothing more if even that fails."""
    channel = str(call.body.get("channel_id") or "")
    try:
        call.client.chat_postEphemeral(channel=channel, user=call.user_id, text=text)
    except SlackApiError as exc:
        log.warning("export.reply_failed error=%s", exc.response.get("error"))
