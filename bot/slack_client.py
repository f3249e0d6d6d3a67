"""The Slack Web API client, pointed at `SLACK_API_URL` (Slack itself, a proxy, or a test fake)."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from core.config import Settings

# The outbox waits this long for an answer: Slack sometimes answers a post it accepted after
# 10 seconds or more, and a shorter wait would send it again. No request waits on the outbox.
OUTBOX_TIMEOUT = 30

# Seconds per try for calls made while Slack waits for our answer (views.open with a trigger
# that expires in 3 s, an ephemeral reply): inside the 2.5 s deadline the guard counts from
# arrival, so a hung Slack cannot hold a listener thread much past the answer.
REQUEST_PATH_TIMEOUT = 2


def make_client(settings: Settings, *, for_outbox: bool = False) -> WebClient:
    """A client for the bot token.

    The outbox client retries nothing itself: the outbox schedules every retry, so a slow Slack
    never blocks a worker thread in a sleep. The interactive client retries a dropped
    connection (refused or reset, which fails fast) once, because a modal must open within
    the 3-second window.
    """
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=OUTBOX_TIMEOUT if for_outbox else REQUEST_PATH_TIMEOUT,
        retry_handlers=[] if for_outbox else [ConnectionErrorRetryHandler(max_retry_count=1)],
    )


def check_token(settings: Settings) -> None:
    """Ask Slack whether the bot token works, before starting any worker.

    Raises:
        SettingsError: naming SLACK_BOT_TOKEN or SLACK_API_URL.
    """
    from urllib.error import URLError

    from slack_sdk.errors import SlackApiError

    from core.config import SettingsError

    try:
        make_client(settings).auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error")
        raise SettingsError(f"SLACK_BOT_TOKEN: Slack refused the token ({error})") from None
    except (URLError, OSError) as exc:
        raise SettingsError(
            f"SLACK_API_URL: cannot reach {settings.slack_api_url} ({type(exc).__name__})"
        ) from None
