"""HTTP validators of a feed document and the conditional-GET decision (RFC 9110 §13), pure.

The ETag is a hash of the document's bytes, so it changes exactly when the document does
(the writers are deterministic: no "now" in a feed). ``Last-Modified`` is the newest item's
time. ``If-None-Match`` wins over ``If-Modified-Since`` when a client sends both.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

__all__ = ["CACHE_CONTROL", "etag_of", "not_modified"]

CACHE_CONTROL: Final = "public, max-age=300"
"""Five minutes: the shortest polling interval of a source (``min_interval``, 300 s)."""


def etag_of(body: bytes) -> str:
    """A strong ETag (quoted) for ``body``."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(
    etag: str,
    last_modified: datetime,
    if_none_match: str | None,
    if_modified_since: str | None,
) -> bool:
    """Whether a GET with these request headers gets ``304 Not Modified``."""
    if if_none_match is not None:
        return _etag_matches(etag, if_none_match)
    if if_modified_since is None:
        return False
    since = _http_date(if_modified_since)
    return since is not None and last_modified.replace(microsecond=0) <= since


def _etag_matches(etag: str, header: str) -> bool:
    """Weak comparison, as If-None-Match asks: ``W/"x"`` matches ``"x"``; ``*`` matches all."""
    wanted = _opaque(etag)
    for candidate in header.split(","):
        value = candidate.strip()
        if value == "*" or _opaque(value) == wanted:
            return True
    return False


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")


def _http_date(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # an unreadable date is ignored, as RFC 9110 asks
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment
