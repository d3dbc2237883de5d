"""Time rules shared by the backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from khabar.storage.times import sort_time, window_around

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_articles_sort_by_publication_but_never_after_they_were_stored() -> None:
    past = NOW - timedelta(days=3)
    assert sort_time(past, NOW) == past
    assert sort_time(datetime(2099, 1, 1, tzinfo=UTC), NOW) == NOW
    assert sort_time(None, NOW) == NOW


def test_windows_are_clamped_to_the_calendar() -> None:
    week = timedelta(days=7)
    assert window_around(NOW, week) == (NOW - week, NOW + week)
    first = datetime.min.replace(tzinfo=UTC)
    last = datetime.max.replace(tzinfo=UTC)
    assert window_around(first, week) == (first, first + week)
    assert window_around(last, week) == (last - week, last)
