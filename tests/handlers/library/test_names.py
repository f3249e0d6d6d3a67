"""Members who agreed to be named appear by name, looked up once; never by Slack user ID."""

from __future__ import annotations

import httpx

from demokit.fake_slack import FakeSlack
from handlers import all_jobs
from handlers.library.names import JOB, SlackDirectory, resolve_names
from tests.conftest import MEMBER
from tests.handlers.search.conftest import publish_practice
from tests.harness import Bot

SUMMARY = "What the school learned along the way."


def test_a_credited_member_is_named_and_an_anonymous_one_is_not(
    web: httpx.Client, bot: Bot, slack: FakeSlack
) -> None:
    """The job stores the name from users.info; anonymous practices are never looked up."""
    slack.names[MEMBER] = "Maria Lopez"
    named = publish_practice(bot, "Named practice", SUMMARY, credit="named")
    anonymous = publish_practice(bot, "Anonymous practice", SUMMARY, credit="anonymous")

    stored = resolve_names(bot.runtime.deps, SlackDirectory(bot.runtime.settings))

    assert stored == 1
    assert [c.params.get("user") for c in slack.calls_to("users.info")] == [MEMBER]
    named_page = web.get(f"/practices/{named}").text
    anonymous_page = web.get(f"/practices/{anonymous}").text
    assert "Shared by Maria Lopez" in named_page
    assert "Maria Lopez" not in anonymous_page
    for page in (named_page, anonymous_page, web.get("/").text):
        assert MEMBER not in page


def test_a_failed_lookup_is_tried_again_and_a_stored_name_never_is(
    web: httpx.Client, bot: Bot, slack: FakeSlack
) -> None:
    """Slack down: nothing stored, nothing shown; the next run stores it; later runs skip it."""
    slack.names[MEMBER] = "Maria Lopez"
    practice_id = publish_practice(bot, "Named practice", SUMMARY, credit="named")
    directory = SlackDirectory(bot.runtime.settings)
    slack.fail_next("users.info", status=500)

    assert resolve_names(bot.runtime.deps, directory) == 0
    assert "Shared by" not in web.get(f"/practices/{practice_id}").text
    assert resolve_names(bot.runtime.deps, directory) == 1
    assert resolve_names(bot.runtime.deps, directory) == 0

    assert "Shared by Maria Lopez" in web.get(f"/practices/{practice_id}").text
    assert len([c for c in slack.calls_to("users.info") if c.response.get("ok")]) == 1


def test_a_user_slack_does_not_know_is_not_asked_about_again(bot: Bot, slack: FakeSlack) -> None:
    """`user_not_found` is remembered as "no name", so the job does not ask forever."""
    publish_practice(bot, "Named practice", SUMMARY, credit="named")
    directory = SlackDirectory(bot.runtime.settings)

    assert resolve_names(bot.runtime.deps, directory) == 1
    assert resolve_names(bot.runtime.deps, directory) == 0
    assert len(slack.calls_to("users.info")) == 1


def test_the_name_job_is_scheduled(bot: Bot) -> None:
    """The serving process runs the lookup job with the others."""
    assert JOB in [job.name for job in all_jobs(bot.runtime.deps)]
