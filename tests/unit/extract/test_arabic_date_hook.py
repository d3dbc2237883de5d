"""The page's date written in Arabic words, found in its byline when the metadata has none."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import html  # type: ignore[import-untyped]  # no lxml stubs in the venv

from khabar.extract.metadata import read_page_metadata

URL = "https://news.example/politics/story-1234"
PARAGRAPH = "قال المتحدث باسم الوزارة إن المفاوضات ستستأنف الأسبوع المقبل في العاصمة. " * 4


def _page(byline: str) -> str:
    return f"""<html lang="ar"><head><title>خبر</title></head><body>
    <header><div class="timeline-nav">{"أخبار " * 60}</div></header>
    <article><h1>خبر عاجل</h1>
    <div class="post-meta"><span class="entry-date">{byline}</span></div>
    <p>{PARAGRAPH}</p></article></body></html>"""


def test_a_byline_date_in_arabic_words_is_the_published_date() -> None:
    tree = html.fromstring(_page("الأحد 12 أيار/مايو 2024 - 10:30"))
    assert read_page_metadata(tree, URL).published == datetime(2024, 5, 12, 10, 30, tzinfo=UTC)


def test_a_time_element_is_read_too() -> None:
    page = _page("").replace("<h1>", "<time>8 فيفري 2019</time><h1>")
    tree = html.fromstring(page)
    assert read_page_metadata(tree, URL).published == datetime(2019, 2, 8, tzinfo=UTC)


def test_no_date_and_long_elements_give_none() -> None:
    tree = html.fromstring(_page("بقلم محرر الشؤون السياسية"))
    assert read_page_metadata(tree, URL).published is None
    long_text = "كلام " * 50 + "12 مايو 2024"
    assert read_page_metadata(html.fromstring(_page(long_text)), URL).published is None


def test_a_future_date_is_not_a_published_date() -> None:
    tree = html.fromstring(_page("الموعد: 12 مايو 2999"))
    assert read_page_metadata(tree, URL).published is None
