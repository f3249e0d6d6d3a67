"""The outbox's Slack client: one kept connection per thread, answers read as slack_sdk reads."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_client import make_client
from demokit.fake_slack import FakeSlack
from tests.conftest import make_settings
from tests.tcp_proxy import TcpProxy


@pytest.fixture
def proxy(slack: FakeSlack) -> Iterator[TcpProxy]:
    """A TCP proxy in front of the fake Slack, counting the connections made to it."""
    parts = urlsplit(slack.url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 80)
    yield proxy
    proxy.close()


@pytest.fixture
def client(slack: FakeSlack, proxy: TcpProxy, tmp_path: Path) -> WebClient:
    """The outbox's client, as `make_client` makes it, talking to Slack through the proxy."""
    url = f"http://127.0.0.1:{proxy.port}/api/"
    settings = make_settings(slack, f"sqlite:///{tmp_path / 'unused.db'}", slack_api_url=url)
    return make_client(settings, for_outbox=True)


def test_consecutive_posts_share_one_connection(
    client: WebClient, slack: FakeSlack, proxy: TcpProxy
) -> None:
    for n in range(5):
        assert client.chat_postMessage(channel="CNEWS0001", text=f"post {n}")["ok"]

    assert [p["text"] for p in slack.posts("CNEWS0001")] == [f"post {n}" for n in range(5)]
    assert proxy.accepted == 1


def test_a_connection_closed_while_idle_is_replaced_without_an_error(
    client: WebClient, slack: FakeSlack, proxy: TcpProxy
) -> None:
    assert client.chat_postMessage(channel="CNEWS0001", text="before")["ok"]
    proxy.cut()  # the server side hangs up the idle connection
    proxy.restore()

    assert client.chat_postMessage(channel="CNEWS0001", text="after")["ok"]
    assert [p["text"] for p in slack.posts("CNEWS0001")] == ["before", "after"]
    assert proxy.accepted == 2


def test_a_rate_limit_reads_as_slack_sdk_reads_it(client: WebClient, slack: FakeSlack) -> None:
    """429 with Retry-After is a SlackApiError carrying the header, as with urllib."""
    slack.fail_next("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="CNEWS0001", text="too soon")

    assert refused.value.response.status_code == 429
    assert refused.value.response.headers["Retry-After"] == "7"
    assert client.chat_postMessage(channel="CNEWS0001", text="later")["ok"]
    assert [p["text"] for p in slack.posts("CNEWS0001")] == ["later"]


def test_an_error_answer_reads_as_slack_sdk_reads_it(client: WebClient, slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", error="channel_not_found")

    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="CGONE0001", text="nowhere")

    assert refused.value.response["error"] == "channel_not_found"


def test_a_client_that_is_closed_opens_a_new_connection(client: WebClient, proxy: TcpProxy) -> None:
    assert client.chat_postMessage(channel="CNEWS0001", text="one")["ok"]
    client.close()  # type: ignore[attr-defined]

    assert client.chat_postMessage(channel="CNEWS0001", text="two")["ok"]
    assert proxy.accepted == 2


def test_a_timeout_lowered_after_a_call_applies_to_the_kept_connection(
    client: WebClient, slack: FakeSlack
) -> None:
    """A delivery that shortens its client's timeout is not left waiting the old 30 s."""
    assert client.chat_postMessage(channel="CNEWS0001", text="first")["ok"]
    client.timeout = 0.5
    held = slack.hold_next("chat.postMessage")
    started = time.monotonic()

    with pytest.raises(TimeoutError):
        client.chat_postMessage(channel="CNEWS0001", text="held")

    held.release()
    assert time.monotonic() - started < 5
