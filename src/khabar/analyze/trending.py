"""Trending entities: whose mentions rose most in the last day against the week before (pure).

``recent`` = articles naming the entity in the last 24 h; ``before`` = in the 7 days before
that, so ``before / 7`` is its usual day. Score = ``(recent − usual) / √(usual + 1)``: a jump
from nothing counts, a jump over a big usual day counts less than the same jump from a small
one. Only entities named in at least ``MIN_RECENT`` articles today and above their usual day.
An outlet naming itself ("قالت بي بي سي") is not news: organizations whose name starts one of
the followed outlets' names are left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from khabar.arabic.normalize import normalize
from khabar.arabic.tokenize import tokenize
from khabar.types import EntityCount

__all__ = ["BASELINE", "MIN_RECENT", "RECENT", "daily_series", "rank_trending", "trend_score"]

RECENT = timedelta(hours=24)
BASELINE = timedelta(days=7)
MIN_RECENT = 2


def trend_score(count: EntityCount) -> float:
    usual = count.before / (BASELINE / RECENT)
    return (count.recent - usual) / math.sqrt(usual + 1.0)


def rank_trending(
    counts: Sequence[EntityCount], limit: int = 20, outlets: Iterable[str] = ()
) -> list[EntityCount]:
    """The entities rising most, best first (ties: more recent mentions, then key), without
    the ``outlets`` (names of the followed sources) themselves."""
    names = [_words(n) for n in outlets]
    rising = [
        c
        for c in counts
        if c.recent >= MIN_RECENT and trend_score(c) > 0 and not _names_an_outlet(c, names)
    ]
    rising.sort(key=lambda c: (-trend_score(c), -c.recent, c.key))
    return rising[:limit]


def _names_an_outlet(count: EntityCount, outlets: Sequence[tuple[str, ...]]) -> bool:
    """An organization whose words begin an outlet's name: بي بي سي of بي بي سي نيوز عربي,
    الجزيرة of الجزيرة نت (never a person or place: الجزيرة the peninsula stays)."""
    if count.type != "organization":
        return False
    words = _words(count.name)
    return bool(words) and any(name[: len(words)] == words for name in outlets)


def _words(name: str) -> tuple[str, ...]:
    return tuple(tokenize(normalize(name, "search")))


def daily_series(
    days: Sequence[tuple[date, int]], first: date, last: date
) -> list[tuple[date, int]]:
    """Counts for every day from ``first`` to ``last``, zero where ``days`` has none."""
    counts = dict(days)
    span = (last - first).days
    return [(d, counts.get(d, 0)) for d in (first + timedelta(n) for n in range(span + 1))]
