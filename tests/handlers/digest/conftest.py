"""Digest fixtures: a digest channel, and approved practices made quickly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from core.config import Settings
from core.vocabulary import REGION_OF_COUNTY
from demokit.fake_slack import FakeSlack
from handlers.review.schemas import SubmissionRef
from handlers.review.service import published_key
from storage.models import OutboxStatus, Practice, PracticeStatus
from tests.conftest import COORDINATORS, PRACTICES_CHANNEL, make_settings
from tests.harness import Bot

DIGEST_CHANNEL = "CDIGEST01"
# The default schedule (Mondays 9:00 Pacific): 30 November 2026 09:00 PST is 17:00 UTC.
DUE = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
MIDWEEK = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


@pytest.fixture
def settings(slack: FakeSlack, schema: str) -> Settings:
    return make_settings(slack, schema, ccsn_digest_channel=DIGEST_CHANNEL)


def approved(bot: Bot, count: int = 1, *, at: datetime = MIDWEEK, **fields: Any) -> list[int]:
    """Store approved practices whose posts went out when they were approved.

    Each post's `ts` is `post_ts(practice_id)`.
    """
    ids = []
    with bot.runtime.deps.uow() as uow:
        for n in range(count):
            values: dict[str, Any] = {
                "title": f"Family resource nights {n}",
                "summary": "Monthly evenings where families meet the school's partners.",
                "pillars": ["engagement"],
                "county": "Fresno",
                "organisation": "Roosevelt High School",
                "funding_streams": [],
                "link": None,
                "credit_submitter": True,
            }
            values.update(fields)
            practice = uow.practices.add(
                Practice(
                    status=PracticeStatus.APPROVED,
                    submitter_id="UMEMBER01",
                    region=REGION_OF_COUNTY[values["county"]],
                    revision=1,
                    created_at=at,
                    submitted_at=at,
                    decided_at=at,
                    decided_by=COORDINATORS[0],
                    **values,
                )
            )
            post = uow.outbox.enqueue(
                method="chat.postMessage",
                channel=PRACTICES_CHANNEL,
                payload={"text": f"New practice: {values['title']}"},
                at=at,
                key=published_key(SubmissionRef("practice", practice.id)),
            )
            post.status, post.ts, post.sent_at = OutboxStatus.SENT, post_ts(practice.id), at
            ids.append(practice.id)
        uow.commit()
    return ids


def post_ts(practice_id: int) -> str:
    """The `ts` of a practice's post made by `approved`."""
    return f"1690000000.{practice_id:06d}"


def section_texts(message: dict[str, Any]) -> str:
    """Every text of a posted message's blocks, joined."""
    texts = []
    for block in message["blocks"]:
        if block["type"] in ("section", "header"):
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts.extend(element["text"] for element in block["elements"])
    return "\n".join(texts)
