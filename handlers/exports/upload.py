"""Uploading a file to a member's DM with Slack's external upload flow.

Three steps: `files.getUploadURLExternal` for an upload address, an HTTP POST of the bytes to
it, then `files.completeUploadExternal` to share the file in the DM (opened with
`conversations.open`). Scopes: `files:write` and `im:write`.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from slack_sdk import WebClient

UPLOAD_TIMEOUT = 60  # seconds; the file itself can be large, unlike the API calls around it


class UploadFailed(Exception):
    """Slack's upload address did not take the file."""


def upload_to_dm(
    client: WebClient, user_id: str, *, filename: str, content: bytes, title: str, comment: str
) -> str:
    """Share `content` as a file in the bot's DM with `user_id`; returns the file id.

    Raises:
        SlackApiError: a Web API call was refused.
        UploadFailed: the upload address answered with an error.
        OSError: Slack could not be reached.
    """
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    target = client.files_getUploadURLExternal(filename=filename, length=len(content))
    file_id = str(target["file_id"])
    _post(str(target["upload_url"]), content)
    client.files_completeUploadExternal(
        files=[{"id": file_id, "title": title}], channel_id=dm, initial_comment=comment
    )
    return file_id


def _post(url: str, content: bytes) -> None:
    if urlsplit(url).scheme not in ("http", "https"):
        raise UploadFailed("the upload address is not http(s)")
    request = Request(
        url, data=content, method="POST", headers={"Content-Type": "application/octet-stream"}
    )
    with urlopen(request, timeout=UPLOAD_TIMEOUT) as response:  # an http(s) URL, checked above
        if response.status != 200:
            raise UploadFailed(f"upload answered HTTP {response.status}")
