"""Bad pages never raise and never drop the item: the feed entry's text comes back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from khabar.extract import extract_article, fallback_from_entry
from khabar.types import FeedEntry

URL = "https://news.example/2024/05/story"
ENTRY = FeedEntry(
    url=URL,
    title="الحكومة تعلن خطة جديدة",
    summary='<p>أعلنت الحكومة خطة جديدة.</p><p>وتشمل <a href="/plan">الخطة</a> ثلاثة محاور.'
    "<script>alert(1)</script></p>",
    published=datetime(2024, 5, 1, 8, 30, tzinfo=UTC),
    author="وكالة الأنباء",
    image="https://news.example/img.jpg",
    language="ar",
)

MENU = (
    "<html><body><nav><ul>"
    + "".join(f'<li><a href="/section/{i}">قسم الأخبار رقم {i}</a></li>' for i in range(40))
    + "</ul></nav><footer>© 2024</footer></body></html>"
)
SHORT_MENU = "<html><body><ul><li><a href='/'>الرئيسية</a></li><li><a href='/s'>رياضة</a></li></ul></body></html>"  # noqa: E501
PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02\xff"
).decode("latin-1")
BINARY = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR<" + "\x00" * 20
DEEP = "<html><body>" + "<div>" * 100_000 + "<p>" + "نص " * 100 + "</p>" + "</div>" * 100_000


@pytest.mark.parametrize(
    ("page", "reason_part"),
    [
        ("", "page was empty"),
        ("   \n\t", "page was empty"),
        (PDF, "not HTML (a PDF document)"),
        (BINARY, "not HTML (binary content)"),
        ("just some words and no markup at all", "not HTML (no markup at all)"),
        (MENU, "page had"),  # trafilatura (precision mode) already drops a bare menu
        (SHORT_MENU, "page had"),
        (DEEP, "no extractable article text (trafilatura returned nothing)"),
    ],
    ids=["empty", "blank", "pdf", "binary", "plain-text", "menu", "short-menu", "deep-nesting"],
)
def test_bad_page_falls_back_to_the_entry(page: str, reason_part: str) -> None:
    article = extract_article(page, URL, ENTRY)
    assert article.error is not None and reason_part in article.error
    assert article.title == ENTRY.title
    assert article.paragraphs == ("أعلنت الحكومة خطة جديدة.", "وتشمل الخطة ثلاثة محاور.")
    assert article.published == ENTRY.published
    assert article.author == ENTRY.author
    assert article.image == ENTRY.image
    assert article.language == "ar"
    assert "<script" not in article.html and "alert" not in article.html
    assert '<a href="https://news.example/plan" rel="noopener nofollow">' in article.html


def test_bad_page_without_entry_still_says_why() -> None:
    article = extract_article("", URL)
    assert article.url == URL
    assert article.paragraphs == ()
    assert article.error == "page was empty"


def test_plain_text_summary_is_escaped_into_paragraphs() -> None:
    entry = FeedEntry(url=URL, title="t", summary="سطر <أول> & مهم\n\nسطر ثان")
    article = fallback_from_entry(entry, URL, "page was empty")
    assert article.paragraphs == ("سطر <أول> & مهم", "سطر ثان")
    assert article.html == "<p>سطر &lt;أول&gt; &amp; مهم</p><p>سطر ثان</p>"
