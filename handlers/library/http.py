"""Responses of the public site: security headers on every one, and conditional GETs.

The site is plain HTML and CSS, so the Content-Security-Policy allows no script at all and
styles only from our own `/static/`; a member's text can never become code on these pages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
CSS = "text/css; charset=utf-8"


@dataclass(frozen=True)
class Response:
    """What the site answers: a status line, headers and the body bytes."""

    status: str
    body: bytes
    content_type: str = HTML
    headers: tuple[tuple[str, str], ...] = field(default=())

    def header_list(self) -> list[tuple[str, str]]:
        """Every header to send, security headers included."""
        return [
            ("Content-Type", self.content_type),
            ("Content-Length", str(len(self.body))),
            *SECURITY_HEADERS,
            *self.headers,
        ]


def etag_of(body: bytes) -> str:
    """A strong validator from the bytes themselves, so it changes exactly when they do."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def cacheable(
    body: bytes,
    request_headers: dict[str, str],
    *,
    content_type: str = HTML,
    last_modified: datetime | None = None,
    max_age: int = 60,
) -> Response:
    """A 200 with ETag/Last-Modified, or a 304 when the client's copy is still current.

    `If-None-Match` wins over `If-Modified-Since` (RFC 9110 13.2.2), so a page whose bytes
    changed within the same second as its validator is never wrongly answered 304.
    """
    etag = etag_of(body)
    headers = [("ETag", etag), ("Cache-Control", f"public, max-age={max_age}")]
    if last_modified is not None:
        headers.append(("Last-Modified", format_datetime(last_modified.astimezone(UTC), True)))
    if _not_modified(etag, last_modified, request_headers):
        return Response("304 Not Modified", b"", content_type, tuple(headers))
    return Response("200 OK", body, content_type, tuple(headers))


def _not_modified(
    etag: str, last_modified: datetime | None, request_headers: dict[str, str]
) -> bool:
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = request_headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= when
