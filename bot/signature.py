"""Whether a request really comes from Slack: its signature, checked before anything parses it.

Slack signs `v0:<timestamp>:<body>` with the app's signing secret. `slack_sdk`'s verifier does
the HMAC, but it raises on a timestamp that is not an integer and on a signature that is not
ASCII, and Bolt answers such an exception through the app's error handler, which may act on
the unverified body. Here both headers must first have Slack's exact shape, so a forged
request is simply "not signed".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from slack_sdk.signature import SignatureVerifier

TIMESTAMP_HEADER = "x-slack-request-timestamp"
SIGNATURE_HEADER = "x-slack-signature"

# Unix seconds, ASCII digits only: int() would also take "1_0", " 1" and other scripts' digits
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def is_signed(secret: str, body: bytes, timestamp: str | None, signature: str | None) -> bool:
    """True when `body` carries a fresh, valid Slack signature for `secret`.

    Freshness (five minutes either way) is judged by `slack_sdk`'s own clock, the same one
    Bolt's verification uses: it is Slack's wall clock that signed the request, not the bot's
    injected domain clock.
    """
    if not secret or timestamp is None or signature is None:
        return False
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return False
    return SignatureVerifier(secret).is_valid(body, timestamp, signature)


def is_signed_request(secret: str, body: bytes | str, headers: Mapping[str, object]) -> bool:
    """`is_signed` for a body and a header mapping as Bolt keeps them (lower-case names).

    Bolt stores each header as a list of values; only a single value counts as signed.
    """
    raw = body.encode("utf-8", "replace") if isinstance(body, str) else body
    timestamp = _single(headers.get(TIMESTAMP_HEADER))
    return is_signed(secret, raw, timestamp, _single(headers.get(SIGNATURE_HEADER)))


def _single(value: object) -> str | None:
    if isinstance(value, (list, tuple)):
        return value[0] if len(value) == 1 and isinstance(value[0], str) else None
    return value if isinstance(value, str) else None
