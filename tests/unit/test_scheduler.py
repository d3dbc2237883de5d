"""The scheduler's pure decisions: adaptive interval, error backoff, Retry-After, due-ness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from khabar.scheduler import MAX_RETRY_AFTER, UNKNOWN_RATE_INTERVAL, is_due, next_fetch_at

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
MIN, MAX = 300.0, 86400.0


def _every(gap: timedelta, count: int = 10, last: timedelta = timedelta(0)) -> list[datetime]:
    newest = NOW - last
    return [newest - gap * n for n in range(count)]


def _interval(
    times: list[datetime] | None = None, errors: int = 0, retry_after: float | None = None
) -> timedelta:
    when = next_fetch_at(
        NOW,
        recent_publish_times=times or [],
        error_count=errors,
        retry_after=retry_after,
        min_interval=MIN,
        max_interval=MAX,
    )
    return when - NOW


def test_interval_is_half_the_median_gap() -> None:
    assert _interval(_every(timedelta(hours=2))) == timedelta(hours=1)
    assert _interval(_every(timedelta(minutes=40))) == timedelta(minutes=20)


def test_interval_is_clamped_to_min_and_max() -> None:
    assert _interval(_every(timedelta(minutes=1))) == timedelta(minutes=5)
    assert _interval(_every(timedelta(days=5))) == timedelta(hours=24)


def test_median_resists_one_burst() -> None:
    times = _every(timedelta(hours=2)) + [NOW - timedelta(seconds=s) for s in (1, 2, 3)]
    assert timedelta(minutes=5) <= _interval(times) <= timedelta(hours=1)


def test_a_source_gone_quiet_is_polled_less() -> None:
    quiet = _every(timedelta(minutes=30), last=timedelta(days=2))
    assert _interval(quiet) == timedelta(hours=12)


def test_without_enough_dates_a_default_is_used() -> None:
    assert _interval([]) == UNKNOWN_RATE_INTERVAL
    assert _interval([NOW - timedelta(hours=1)]) == UNKNOWN_RATE_INTERVAL
    future_only = [NOW + timedelta(hours=1), NOW + timedelta(hours=2)]
    assert _interval(future_only) == UNKNOWN_RATE_INTERVAL


@pytest.mark.parametrize(
    ("errors", "expected"),
    [(1, timedelta(minutes=10)), (3, timedelta(minutes=40)), (9, timedelta(hours=24))],
)
def test_errors_back_off_exponentially(errors: int, expected: timedelta) -> None:
    assert _interval(_every(timedelta(minutes=1)), errors=errors) == expected


def test_backoff_never_polls_a_slow_source_sooner() -> None:
    assert _interval(_every(timedelta(hours=8)), errors=1) == timedelta(hours=4)


def test_huge_error_counts_do_not_overflow() -> None:
    assert _interval(errors=10**6) == timedelta(hours=24)


def test_retry_after_is_a_lower_bound() -> None:
    assert _interval(_every(timedelta(minutes=1)), retry_after=3600) == timedelta(hours=1)
    assert _interval(_every(timedelta(hours=8)), retry_after=60) == timedelta(hours=4)
    assert _interval(retry_after=2 * 86400) == timedelta(days=2)
    assert _interval(retry_after=10**9) == MAX_RETRY_AFTER


def test_timedeltas_are_accepted_as_intervals() -> None:
    when = next_fetch_at(
        NOW,
        recent_publish_times=[],
        error_count=0,
        retry_after=None,
        min_interval=timedelta(hours=2),
        max_interval=timedelta(hours=3),
    )
    assert when == NOW + timedelta(hours=2)


def test_naive_datetimes_and_bad_bounds_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _interval([datetime(2025, 1, 1), datetime(2025, 1, 2)])
    with pytest.raises(ValueError, match="max_interval"):
        next_fetch_at(
            NOW,
            recent_publish_times=[],
            error_count=0,
            retry_after=None,
            min_interval=600,
            max_interval=60,
        )


def test_is_due() -> None:
    assert is_due(None, NOW)
    assert is_due(NOW, NOW)
    assert is_due(NOW - timedelta(seconds=1), NOW)
    assert not is_due(NOW + timedelta(seconds=1), NOW)
    with pytest.raises(ValueError):
        is_due(None, datetime(2025, 1, 1))
