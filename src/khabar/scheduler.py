"""When each source is due: pure decisions, no I/O.

The interval to the next poll is the largest of

* the **publishing-rate** interval: ``RATE_FACTOR`` × the median gap between the source's recent
  items, or ``QUIET_FACTOR`` × the time since its newest item if it went quiet (no data:
  ``UNKNOWN_RATE_INTERVAL``), clamped to [min_interval, max_interval];
* the **error backoff**: min_interval × 2**error_count, clamped to max_interval;
* the server's **Retry-After** (a lower bound, even above max_interval, up to
  ``MAX_RETRY_AFTER``).

All datetimes are timezone-aware UTC; intervals are seconds (as in Settings) or timedeltas.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median

__all__ = [
    "MAX_BACKOFF_EXPONENT",
    "MAX_RETRY_AFTER",
    "MAX_SAMPLES",
    "QUIET_FACTOR",
    "RATE_FACTOR",
    "UNKNOWN_RATE_INTERVAL",
    "is_due",
    "next_fetch_at",
]

Interval = float | timedelta

# constant                value                  why
RATE_FACTOR = 0.5  # poll twice per typical gap: a new item waits about half a gap at most
MAX_SAMPLES = 20  # recent items only: outlets change rhythm (Ramadan, elections, weekends)
QUIET_FACTOR = 0.25  # a source silent for days is polled less, yet its return is seen quickly
UNKNOWN_RATE_INTERVAL = timedelta(hours=1)  # fewer than two dated items: a safe middle ground
MAX_BACKOFF_EXPONENT = 20  # 2**20 × min_interval is past any max_interval; avoids overflow
MAX_RETRY_AFTER = timedelta(days=7)  # a larger Retry-After is a server bug, not a wish


def next_fetch_at(
    now: datetime,
    *,
    recent_publish_times: Sequence[datetime],
    error_count: int,
    retry_after: float | None,
    min_interval: Interval,
    max_interval: Interval,
) -> datetime:
    """The time to poll the source next (``now`` plus the interval described above)."""
    _require_aware(now, "now")
    low, high = _as_delta(min_interval), _as_delta(max_interval)
    if high < low:
        raise ValueError(f"max_interval ({high}) is shorter than min_interval ({low})")
    interval = max(
        _clamp(_rate_interval(now, recent_publish_times), low, high),
        _backoff(error_count, low, high),
        _retry_after(retry_after),
    )
    return now + interval


def is_due(source_next_fetch_at: datetime | None, now: datetime) -> bool:
    """True when the source was never scheduled or its time has come."""
    _require_aware(now, "now")
    return source_next_fetch_at is None or source_next_fetch_at <= now


def _rate_interval(now: datetime, publish_times: Sequence[datetime]) -> timedelta:
    for index, when in enumerate(publish_times):
        _require_aware(when, f"recent_publish_times[{index}]")
    times = sorted(t for t in publish_times if t <= now)[-MAX_SAMPLES:]
    if len(times) < 2:
        return UNKNOWN_RATE_INTERVAL
    gap = median((b - a).total_seconds() for a, b in pairwise(times))
    quiet = (now - times[-1]).total_seconds()
    return timedelta(seconds=max(RATE_FACTOR * gap, QUIET_FACTOR * quiet))


def _backoff(error_count: int, low: timedelta, high: timedelta) -> timedelta:
    if error_count <= 0:
        return timedelta(0)
    return min(low * (1 << min(error_count, MAX_BACKOFF_EXPONENT)), high)


def _retry_after(seconds: float | None) -> timedelta:
    if seconds is None or seconds <= 0:
        return timedelta(0)
    return min(timedelta(seconds=seconds), MAX_RETRY_AFTER)


def _clamp(value: timedelta, low: timedelta, high: timedelta) -> timedelta:
    return min(max(value, low), high)


def _as_delta(value: Interval) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got naive {value.isoformat()}")
