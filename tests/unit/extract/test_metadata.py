from __future__ import annotations

from datetime import UTC, datetime

from khabar.extract.metadata import absolute_http_url, parse_page_date, split_tags


def test_page_dates_become_utc() -> None:
    assert parse_page_date("2024-03-05T14:30:00+0300") == datetime(2024, 3, 5, 11, 30, tzinfo=UTC)
    assert parse_page_date("2024-03-05T00:00:00") == datetime(2024, 3, 5, tzinfo=UTC)
    assert parse_page_date(None) is None
    assert parse_page_date("not a date") is None


def test_tags_split_at_latin_and_arabic_commas_and_dedupe() -> None:
    assert split_tags(["سوريا، دمشق, Syria", "syria; دمشق", " "]) == ("سوريا", "دمشق", "Syria")


def test_urls_are_resolved_and_must_be_http() -> None:
    base = "https://news.example/a/b.html"
    assert absolute_http_url("/img.jpg", base) == "https://news.example/img.jpg"
    assert absolute_http_url("//cdn.example/i.png", base) == "https://cdn.example/i.png"
    assert absolute_http_url("javascript:alert(1)", base) is None
    assert absolute_http_url("", base) is None
