"""Real `ccsn-bot serve` processes start with no channels, and all see a channel chosen in Home."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import httpx
import pytest

from demokit import simulate
from demokit.fake_slack import FakeSlack
from handlers.network import ids
from handlers.practices import ids as practice_ids
from handlers.review import ids as review_ids
from storage.models import Practice
from tests.bot.test_server import BIN, count, free_port, serve_environment, signed_post, wait_for
from tests.conftest import COORDINATORS, MEMBER

pytestmark = pytest.mark.reliability

REVIEW = "CREVIEWHOME"
PRACTICES = "CPRACTHOME"


@pytest.fixture
def bare_servers(
    postgres_url: str, slack: FakeSlack
) -> Iterator[tuple[list[subprocess.Popen[bytes]], list[str]]]:
    """Two servers given only the token, the signing secret and the owners."""
    env = serve_environment(slack, postgres_url, migrate=False)
    del env["CCSN_COORDINATOR_CHANNEL"], env["CCSN_PRACTICES_CHANNEL"]
    urls = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    processes = [
        subprocess.Popen(
            [BIN, "serve", "--port", url.rsplit(":", 1)[1]],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for url in urls
    ]
    try:
        for url in urls:

            def healthy(url: str = url) -> bool:
                try:
                    return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
                except httpx.HTTPError:
                    return False

            wait_for(healthy, seconds=30)
        yield processes, urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def test_two_processes_both_use_the_channels_a_coordinator_chose_in_home(
    bare_servers: tuple[list[subprocess.Popen[bytes]], list[str]],
    postgres_url: str,
    slack: FakeSlack,
) -> None:
    """Channels chosen through one server: the other takes a submission and publishes there."""
    _, (first, second) = bare_servers
    coordinator = COORDINATORS[0]
    for key, channel in (
        ("ccsn_coordinator_channel", REVIEW),
        ("ccsn_practices_channel", PRACTICES),
    ):
        body = simulate.home_select(
            ids.CHANNEL_ACTION,
            f"{ids.SETTING_BLOCK_PREFIX}{key}",
            coordinator,
            selected_conversation=channel,
        )
        assert signed_post(first, body).status_code == 200

    def shared() -> bool:
        values = simulate.practice_values(title="Homework club")
        body = simulate.view_submission(
            practice_ids.PRACTICE_MODAL, MEMBER, values, view_id="VSHARE001"
        )
        assert signed_post(second, body).status_code == 200
        return count(postgres_url, Practice) == 1

    wait_for(shared, seconds=10)  # within a second of the change, the second server takes it
    wait_for(lambda: bool(slack.posts(REVIEW)), seconds=30)
    [review_post] = slack.posts(REVIEW)
    [button] = [
        element
        for block in review_post["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == review_ids.APPROVE_ACTION
    ]
    approve = simulate.button_click(
        review_ids.APPROVE_ACTION,
        button["value"],
        coordinator,
        channel=REVIEW,
        message_ts=review_post["ts"],
    )
    assert signed_post(second, approve).status_code == 200

    wait_for(lambda: bool(slack.posts(PRACTICES)), seconds=30)
    assert "Homework club" in slack.posts(PRACTICES)[0]["text"]
