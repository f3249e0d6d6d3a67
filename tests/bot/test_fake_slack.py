"""The fake Web API's per-channel rate limit and call counts, which the benchmarks rely on."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import httpx
import pytest
from slack_bolt import BoltResponse

from demokit.fake_slack import FakeSlack, FakeSlackServer
from tests.harness import answer_problems


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def limited(ticks: Ticks) -> Iterator[FakeSlack]:
    fake = FakeSlack(channel_interval=1.0, record=False, monotonic=ticks)
    with FakeSlackServer(fake) as server:
        yield server.fake


def post(fake: FakeSlack, channel: str) -> httpx.Response:
    return httpx.post(
        f"{fake.url}chat.postMessage",
        json={"channel": channel, "text": "hello"},
        headers={"Authorization": f"Bearer {fake.bot_token}"},
    )


def test_second_post_to_a_channel_within_the_interval_is_refused_with_retry_after(
    limited: FakeSlack, ticks: Ticks
) -> None:
    """A channel posted to twice within a second answers 429 with Retry-After: 1."""
    first = post(limited, "C0000001")
    ticks.now += 0.4
    second = post(limited, "C0000001")

    assert first.json()["ok"] is True
    assert second.status_code == 429
    assert second.headers["Retry-After"] == "1"
    assert limited.counts == {"chat.postMessage": 1, "ratelimited": 1}


def test_other_channels_and_later_posts_are_not_limited(limited: FakeSlack, ticks: Ticks) -> None:
    """The limit is per channel, and a channel may post again once the interval has passed."""
    assert post(limited, "C0000001").status_code == 200
    assert post(limited, "C0000002").status_code == 200
    ticks.now += 1.0
    assert post(limited, "C0000001").status_code == 200

    assert limited.calls == []  # record=False keeps only the counts
    counts = httpx.get(limited.url.removesuffix("api/") + "_counts").json()
    assert counts == {"chat.postMessage": 3}


def test_a_held_post_exists_before_its_answer_arrives(slack: FakeSlack) -> None:
    """A held call is carried out at once (the post is recorded) but answered only on release."""
    hold = slack.hold_next("chat.postMessage", channel="C0000001")
    answers: list[httpx.Response] = []
    sender = threading.Thread(target=lambda: answers.append(post(slack, "C0000001")))
    sender.start()

    assert hold.arrived.wait(5)
    assert [p["text"] for p in slack.posts("C0000001")] == ["hello"]
    assert answers == []
    hold.release()
    sender.join(5)

    assert answers[0].json()["ok"] is True
    assert answers[0].json()["ts"] == slack.posts("C0000001")[0]["ts"]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlackServer() as server:
        yield server.fake


def call(fake: FakeSlack, method: str, **params: object) -> dict[str, object]:
    response = httpx.post(
        f"{fake.url}{method}",
        json=params,
        headers={"Authorization": f"Bearer {fake.bot_token}"},
    )
    assert response.status_code == 200
    return dict(response.json())


SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}
INPUT = {
    "type": "input",
    "block_id": "b",
    "label": {"type": "plain_text", "text": "Title"},
    "element": {"type": "plain_text_input", "action_id": "a"},
}


def modal(**fields: object) -> dict[str, object]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Share"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [INPUT],
        **fields,
    }


@pytest.mark.parametrize(
    "blocks",
    [
        [{"type": "section", "text": "hello"}],  # text must be a text object
        [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
        [{**SECTION, "colour": "red"}],  # a field Block Kit does not have
        [{"type": "no_such_block"}],
        [SECTION] * 51,
        "not json",
    ],
    ids=["string-text", "too-long", "unknown-field", "unknown-type", "51", "junk"],
)
@pytest.mark.parametrize("method", ["chat.postMessage", "chat.update", "chat.postEphemeral"])
def test_messages_with_blocks_slack_refuses_get_invalid_blocks(
    fake: FakeSlack, method: str, blocks: object
) -> None:
    """Malformed blocks are refused with `invalid_blocks` and Slack's reasons, and remembered."""
    answer = call(fake, method, channel="C0000001", ts="1.2", user="U1", text="x", blocks=blocks)

    assert answer["ok"] is False and answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"]  # type: ignore[index]
    assert [method for method, _ in fake.malformed] == [method]
    assert fake.posts() == []  # nothing was posted


@pytest.mark.parametrize(
    "view",
    [
        modal(title={"type": "plain_text", "text": "A title longer than 24 chars"}),
        modal(submit=None),  # input blocks need a submit button
        modal(blocks=[{**INPUT, "label": "a string label"}]),
        modal(private_metadata="x" * 3001),
        modal(type="dialog"),
        modal(blocks=[SECTION] * 101),
        modal(blocks=[]),
        modal(colour="red"),  # a field views do not have
        None,
    ],
    ids=[
        "long-title",
        "no-submit",
        "string-label",
        "metadata",
        "type",
        "101",
        "no-blocks",
        "unknown-field",
        "missing",
    ],
)
@pytest.mark.parametrize("method", ["views.open", "views.update", "views.publish", "views.push"])
def test_views_slack_refuses_get_invalid_arguments(
    fake: FakeSlack, method: str, view: object
) -> None:
    """A malformed view is refused with `invalid_arguments`, as Slack answers views.*."""
    params = {"trigger_id": "1.2.3", "view_id": "V1", "user_id": "U1"}
    answer = call(fake, method, **params, **({} if view is None else {"view": view}))

    assert (answer["ok"], answer["error"]) == (False, "invalid_arguments")
    assert fake.malformed and fake.malformed[0][0] == method


def test_well_formed_blocks_and_views_are_accepted(fake: FakeSlack) -> None:
    """What Slack accepts passes: a message of sections, a modal with inputs, a Home tab."""
    home = {"type": "home", "blocks": [SECTION, {"type": "divider"}]}

    assert call(fake, "chat.postMessage", channel="C1", text="x", blocks=[SECTION])["ok"]
    assert call(fake, "views.open", trigger_id="1.2.3", view=modal())["ok"]
    assert call(fake, "views.publish", user_id="U1", view=json.dumps(home))["ok"]
    assert fake.malformed == []


def test_the_same_payload_sent_again_gets_the_same_answer(fake: FakeSlack) -> None:
    """A malformed view is refused every time it comes, its corrected form is accepted.

    Verdicts are kept per distinct payload, so this proves a kept one never answers for another.
    """
    bad = modal(title={"type": "plain_text", "text": "A title longer than 24 chars"})
    params = {"trigger_id": "1.2.3"}

    first = call(fake, "views.open", **params, view=bad)
    again = call(fake, "views.open", **params, view=json.dumps(bad))  # as a form would send it
    fixed = call(fake, "views.open", **params, view={**bad, "title": modal()["title"]})

    assert first == again and first["ok"] is False
    assert first["response_metadata"] == {  # type: ignore[comparison-overlap]
        "messages": ["[ERROR] title must be between 1 and 24 characters [json-pointer:/view]"]
    }
    assert fixed["ok"] is True
    assert len(fake.malformed) == 2


def test_an_acknowledgement_with_a_malformed_view_or_blocks_is_caught() -> None:
    """`ack(response_action="update", view=...)` and `ack(blocks=...)` are judged like calls."""
    bad_view = {"response_action": "update", "view": modal(submit=None)}
    bad_blocks = {"text": "x", "blocks": [{"type": "section", "text": "hello"}]}
    good = {"response_action": "update", "view": modal()}

    def problems(answer: dict[str, object]) -> list[list[str]]:
        return answer_problems(BoltResponse(status=200, body=json.dumps(answer)))

    assert problems(bad_view) and problems(bad_blocks)
    assert problems(good) == [] and problems({"response_action": "errors", "errors": {}}) == []
