"""Time rules every backend applies the same way (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["sort_time", "window_around"]

_FIRST = datetime.min.replace(tzinfo=UTC)
_LAST = datetime.max.replace(tzinfo=UTC)


def sort_time(published: datetime | None, now: datetime) -> datetime:
    """Where an article sorts in lists: its publication time, but never later than when it
    was stored — an entry dated 2099 must not stay at the top for ever (``published`` itself
    is kept as given)."""
    return min(published, now) if published is not None else now


def window_around(moment: datetime, window: timedelta) -> tuple[datetime, datetime]:
    """``moment ± window``, clamped to the calendar (an article dated 0001-01-01 is valid)."""
    low = moment - window if moment - _FIRST > window else _FIRST
    high = moment + window if _LAST - moment > window else _LAST
    return low, high
