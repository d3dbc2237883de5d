"""Parse the ``Retry-After`` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["parse_retry_after"]


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from ``now`` (tz-aware), or None when absent or unreadable.

    A date in the past gives 0. Fractional seconds are accepted although the RFC says integer.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    seconds = _as_seconds(text)
    if seconds is not None:
        return seconds
    return _from_date(text, now)


def _as_seconds(text: str) -> float | None:
    try:
        seconds = float(text)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _from_date(text: str, now: datetime) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None  # not an HTTP-date: the header is ignored, as RFC 9110 allows
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
