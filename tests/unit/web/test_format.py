from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from khabar.errors import InvalidInputError
from khabar.types import Article
from khabar.web.format import (
    ARTICLES,
    absolute_time,
    arabic_count,
    arabic_digits,
    decode_cursor,
    encode_cursor,
    hijri_date,
    lead_text,
    plural_category,
    reader_zone,
    relative_time,
    safe_url,
)

RIYADH = ZoneInfo("Asia/Riyadh")
NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)  # 15:00 in Riyadh


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "لا مقالات"),
        (1, "مقال واحد"),
        (2, "مقالان"),
        (3, "٣ مقالات"),
        (10, "١٠ مقالات"),
        (11, "١١ مقالاً"),
        (99, "٩٩ مقالاً"),
        (100, "١٠٠ مقال"),
        (101, "١٠١ مقال"),
        (102, "١٠٢ مقال"),
        (103, "١٠٣ مقالات"),
        (111, "١١١ مقالاً"),
        (1000, "١٠٠٠ مقال"),
    ],
)
def test_arabic_count_uses_the_six_plural_forms(n: int, expected: str) -> None:
    assert arabic_count(n, ARTICLES) == expected


def test_plural_categories() -> None:
    cats = [plural_category(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 203, 1011)]
    assert cats == [
        "zero",
        "one",
        "two",
        "few",
        "few",
        "many",
        "many",
        "other",
        "other",
        "few",
        "many",
    ]


def test_arabic_digits() -> None:
    assert arabic_digits("صفحة 12 من 2024") == "صفحة ١٢ من ٢٠٢٤"


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=5), "الآن"),
        (timedelta(seconds=-30), "الآن"),
        (timedelta(minutes=1), "منذ دقيقة"),
        (timedelta(minutes=2), "منذ دقيقتين"),
        (timedelta(minutes=5), "منذ ٥ دقائق"),
        (timedelta(minutes=25), "منذ ٢٥ دقيقة"),
        (timedelta(hours=1), "منذ ساعة"),
        (timedelta(hours=2), "منذ ساعتين"),
        (timedelta(hours=3, minutes=59), "منذ ٣ ساعات"),
        (timedelta(hours=14), "منذ ١٤ ساعة"),
        (timedelta(hours=30), "أمس"),
        (timedelta(days=2), "منذ يومين"),
        (timedelta(days=4), "منذ ٤ أيام"),
        (timedelta(days=12), "منذ ١٢ يوماً"),
        (timedelta(days=31), "منذ شهر"),
        (timedelta(days=65), "منذ شهرين"),
        (timedelta(days=400), "منذ سنة"),
        (timedelta(days=365 * 3 + 5), "منذ ٣ سنوات"),
    ],
)
def test_relative_time(delta: timedelta, expected: str) -> None:
    assert relative_time(NOW - delta, NOW, RIYADH) == expected


def test_yesterday_follows_the_readers_calendar() -> None:
    now = datetime(2024, 3, 10, 0, 30, tzinfo=RIYADH)
    late_yesterday = datetime(2024, 3, 9, 0, 10, tzinfo=RIYADH)  # 24h20m ago
    assert relative_time(late_yesterday, now, RIYADH) == "أمس"
    two_days = datetime(2024, 3, 8, 23, 0, tzinfo=RIYADH)  # 25h30m ago, but two days back
    assert relative_time(two_days, now, RIYADH) == "منذ يومين"


def test_absolute_time_in_the_readers_zone() -> None:
    assert absolute_time(NOW, RIYADH) == "١٠ مارس ٢٠٢٤، ١٥:٠٠"
    assert absolute_time(NOW, UTC) == "١٠ مارس ٢٠٢٤، ١٢:٠٠"


def test_unknown_zone_falls_back_to_utc() -> None:
    assert reader_zone("Nowhere/Atlantis") is UTC
    assert reader_zone("Africa/Cairo") == ZoneInfo("Africa/Cairo")


def test_cursor_round_trip() -> None:
    moment = datetime(2024, 3, 10, 15, 0, 1, 500, tzinfo=RIYADH)
    cursor = encode_cursor(moment, 42)
    assert "+" not in cursor and cursor.endswith("Z_42")
    assert decode_cursor(cursor) == (moment.astimezone(UTC), 42)


@pytest.mark.parametrize("bad", ["", "42", "nodate_42", "2024-01-01T00:00:00Z_x", "2024-13-01_4"])
def test_bad_cursor_is_invalid_input(bad: str) -> None:
    with pytest.raises(InvalidInputError):
        decode_cursor(bad)


def _article(summary: str | None, text: str) -> Article:
    return Article(
        id=1, source_id=1, key="k", url="https://x.example/1", title="t", text=text, html="",
        summary=summary, canonical_url=None, guid=None, author=None, published=None,
        updated=None, image=None, language="ar", categories=(), extraction_error=None,
        fetched_at=NOW,
    )  # fmt: skip


def test_lead_text_prefers_summary_then_first_paragraph() -> None:
    assert lead_text(_article("  ملخص  الخبر ", "فقرة")) == "ملخص الخبر"
    assert lead_text(_article(None, "\n\nالأولى\n\nالثانية")) == "الأولى"
    long = lead_text(_article(None, "كلمة " * 200), limit=50)
    assert len(long) <= 51 and long.endswith("…")


def test_safe_url_refuses_other_schemes() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    assert safe_url("javascript:alert(1)") == "#"
    assert safe_url(None) == "#"


def test_hijri_date_in_arabic_digits_umm_al_qura() -> None:
    moment = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert hijri_date(moment, UTC) == "١٦ جمادى الآخرة ١٤٤٨ هـ"
    assert absolute_time(moment, UTC) == "٢٦ نوفمبر ٢٠٢٦، ١٢:٠٠"
    assert hijri_date(datetime(2024, 4, 10, 12, tzinfo=UTC), UTC) == "١ شوال ١٤٤٥ هـ"


def test_hijri_date_is_the_readers_day() -> None:
    late = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)  # already 27 November in Riyadh
    assert hijri_date(late, UTC) == "١٦ جمادى الآخرة ١٤٤٨ هـ"
    assert hijri_date(late, RIYADH) == "١٧ جمادى الآخرة ١٤٤٨ هـ"


def test_hijri_date_outside_the_table_is_empty() -> None:
    assert hijri_date(datetime(1900, 1, 1, tzinfo=UTC), UTC) == ""
    assert hijri_date(datetime(2100, 1, 1, tzinfo=UTC), UTC) == ""
