"""Trending entities and daily series (pure)."""

from __future__ import annotations

from datetime import date

from khabar.analyze.trending import daily_series, rank_trending, trend_score
from khabar.types import EntityCount


def _count(key: str, recent: int, before: int) -> EntityCount:
    return EntityCount(key, "place", key, recent, before)


def test_a_jump_above_the_usual_day_trends_and_a_steady_name_does_not() -> None:
    steady = _count("steady", 10, 70)  # ten a day, as always
    jump = _count("jump", 6, 7)  # one a day usually, six today
    new = _count("new", 3, 0)
    once = _count("once", 1, 0)  # one article is not a trend
    falling = _count("falling", 2, 70)
    ranked = rank_trending([steady, jump, new, once, falling])
    assert [c.key for c in ranked] == ["jump", "new"]
    assert trend_score(steady) == 0.0 and trend_score(falling) < 0


def test_the_same_rise_counts_more_from_a_small_usual_day() -> None:
    small, big = _count("small", 12, 7), _count("big", 21, 70)  # both +11 over usual
    assert [c.key for c in rank_trending([big, small])] == ["small", "big"]
    assert [c.key for c in rank_trending([big, small], limit=1)] == ["small"]


def test_daily_series_fills_missing_days_with_zero() -> None:
    days = [(date(2024, 5, 2), 3), (date(2024, 5, 4), 1)]
    assert daily_series(days, date(2024, 5, 1), date(2024, 5, 4)) == [
        (date(2024, 5, 1), 0),
        (date(2024, 5, 2), 3),
        (date(2024, 5, 3), 0),
        (date(2024, 5, 4), 1),
    ]


def test_an_outlet_naming_itself_does_not_trend() -> None:
    def org(name: str, kind: str = "organization") -> EntityCount:
        return EntityCount(name, kind, name, 5, 0)

    counts = [org("بي بي سي"), org("الجزيرة"), org("الجزيرة", "place"), org("الأمم المتحدة")]
    outlets = ["بي بي سي نيوز عربي", "الجزيره نت", "سي إن إن بالعربية"]
    ranked = rank_trending(counts, outlets=outlets)
    assert [(c.name, c.type) for c in ranked] == [
        ("الأمم المتحدة", "organization"),
        ("الجزيرة", "place"),
    ]
    assert len(rank_trending(counts)) == 4
