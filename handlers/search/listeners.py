"""`/ccsn search <words>`: the network's shared memory, answered only to whoever asked."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from handlers.ccsn import CommandCall, Subcommand
from handlers.deps import Deps
from handlers.replies import TRY_AGAIN
from handlers.search import service, views

log = logging.getLogger(__name__)

USAGE = (
    "Tell me what to look for, for example `/ccsn search family nights county:Fresno`. "
    'Filters: `pillar:`, `county:`, `region:"Bay Area"`, `funding:`.'
)


def subcommands(deps: Deps) -> list[Subcommand]:
    """`/ccsn search`, for every member."""

    def run(call: CommandCall) -> None:
        if not call.args:
            call.ack(text=USAGE)
            return
        team_domain = call.body.get("team_domain")
        try:
            results, problems = service.search(
                deps, call.args, team_domain=str(team_domain) if team_domain else None
            )
        except SQLAlchemyError:
            log.exception("search.failed")
            call.ack(text=TRY_AGAIN)
            return
        message = views.results_message(call.args, results, problems)
        call.ack(text=message["text"], blocks=message["blocks"])

    return [
        Subcommand(
            "search",
            "find approved practices and events: words, and `pillar:`, `county:`, `region:` "
            "or `funding:` to narrow them",
            run,
        )
    ]
