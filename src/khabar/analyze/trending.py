"""Trending entities: whose mentions rose most in the last day against the week before (pure).

``recent`` = articles naming the entity in the last 24 h; ``before`` = in the 7 days before
that, so ``before / 7`` is its usual day. Score = ``(recent − usual) / √(usual + 1)``: a jump
from nothing counts, a jump over a big usual day counts less than the same jump from a small
one. Only entities named in at least ``MIN_RECENT`` articles today and above their usual day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from khabar.types import EntityCount

__all__ = ["BASELINE", "MIN_RECENT", "RECENT", "daily_series", "rank_trending", "trend_score"]

RECENT = timedelta(hours=24)
BASELINE = timedelta(days=7)
MIN_RECENT = 2


def trend_score(count: EntityCount) -> float:
    usual = count.before / (BASELINE / RECENT)
    return (count.recent - usual) / math.sqrt(usual + 1.0)


def rank_trending(counts: Sequence[EntityCount], limit: int = 20) -> list[EntityCount]:
    """The entities rising most, best first (ties: more recent mentions, then key)."""
    rising = [c for c in counts if c.recent >= MIN_RECENT and trend_score(c) > 0]
    rising.sort(key=lambda c: (-trend_score(c), -c.recent, c.key))
    return rising[:limit]


def daily_series(
    days: Sequence[tuple[date, int]], first: date, last: date
) -> list[tuple[date, int]]:
    """Counts for every day from ``first`` to ``last``, zero where ``days`` has none."""
    counts = dict(days)
    span = (last - first).days
    return [(d, counts.get(d, 0)) for d in (first + timedelta(n) for n in range(span + 1))]
