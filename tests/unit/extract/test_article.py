"""extract_article on real pages (tests/fixtures/pages, see CREDITS.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from khabar.extract import extract_article
from khabar.types import ExtractedArticle, FeedEntry

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
CNN_URL = "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"
ASSABAH_URL = "http://www.assabah.com.tn/article/164913/"
ARS_URL = "https://arstechnica.com/security/2015/04/just-released-minecraft-exploit/"
LEMONDE_URL = "http://www.lemonde.fr/pixels/article/2015/05/05/loi-renseignement_4627735.html"


def read(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cnn() -> ExtractedArticle:
    return extract_article(read("cnn_arabic_syria.html"), CNN_URL)


def test_cnn_arabic_body_is_exactly_the_expected_text(cnn: ExtractedArticle) -> None:
    expected = read("cnn_arabic_syria.txt")
    assert cnn.error is None
    assert cnn.paragraphs == tuple(p.strip() for p in expected.split("\n\n"))


def test_cnn_arabic_boilerplate_is_absent(cnn: ExtractedArticle) -> None:
    for furniture in ("ترحب شبكة CNN بالنقاش", "الآراء الواردة أدناه", "سياسة الخصوصية"):
        assert furniture not in cnn.text
        assert furniture not in cnn.html


def test_cnn_arabic_metadata(cnn: ExtractedArticle) -> None:
    assert cnn.title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    assert cnn.language == "ar"
    assert cnn.site_name == "CNNArabic"
    assert cnn.canonical_url == CNN_URL
    assert cnn.image is not None and cnn.image.endswith("Gal.syria.assad.army.jpg_-1_-1.jpg")
    assert cnn.published is None  # the page's date is written in Arabic; no guessed year


def test_cnn_arabic_html_is_the_body(cnn: ExtractedArticle) -> None:
    assert cnn.html.startswith("<p><strong>دمشق، سوريا (CNN)")
    assert cnn.html.count("<p>") == 7
    assert 'rel="noopener nofollow"' in cnn.html  # inline links kept, made safe


def test_feed_entry_values_fill_in_and_its_date_wins(cnn: ExtractedArticle) -> None:
    published = datetime(2013, 8, 28, 10, 0, tzinfo=UTC)
    entry = FeedEntry(url=CNN_URL, title="عنوان الخلاصة", author="سي إن إن", published=published)
    article = extract_article(read("cnn_arabic_syria.html"), CNN_URL, entry)
    assert article.published == published
    assert article.author == "سي إن إن"  # the page names nobody
    assert article.title == cnn.title  # the page's title wins
    assert article.paragraphs == cnn.paragraphs


def test_assabah_interview() -> None:
    article = extract_article(read("assabah_interview.html"), ASSABAH_URL)
    assert article.error is None
    assert article.language == "ar"
    assert article.title is not None and article.title.startswith("الناشط الحقوقي السوداني")
    for wanted in ("منذ بدء", "كل المجالات", "وماذا عن حقيقة"):  # trafilatura's eval snippets
        assert wanted in article.text
    for unwanted in ("كورونا يقتل", "غائم جزئيا", "إضافة تعليق جديد"):
        assert unwanted not in article.text
    assert article.published is not None and article.published.tzinfo is UTC


def test_ars_technica_english() -> None:
    article = extract_article(read("ars_minecraft.html"), ARS_URL)
    assert article.title == "Just-released Minecraft exploit makes it easy to crash game servers"
    assert article.author == "Dan Goodin"
    assert article.language == "en"
    assert article.site_name == "Ars Technica"
    assert article.published is not None and article.published.date() == date(2015, 4, 16)
    assert article.canonical_url is not None
    assert article.canonical_url.startswith("https://arstechnica.com/")
    assert article.paragraphs[0].startswith("A flaw in the wildly popular online game Minecraft")
    assert "Ars is asking Mojang for comment" in article.text
    assert "Reader comments" not in article.text


def test_le_monde_french() -> None:
    article = extract_article(read("lemonde_renseignement.html"), LEMONDE_URL)
    assert article.language == "fr"
    assert (
        article.title == "Le projet de loi sur le renseignement massivement approuvé à l'Assemblée"
    )
    assert article.author is not None and "Martin Untersinger" in article.author
    assert "Un dispositif pour les lanceurs d’alerte" in article.paragraphs


def test_hostile_payloads_in_the_body_are_sanitized() -> None:
    sentence = "وقال المتحدث باسم الوزارة إن المفاوضات ستستأنف الأسبوع المقبل في العاصمة. "
    page = f"""<html lang="ar"><head><title>خبر</title>
    <script>document.cookie</script></head><body><article>
    <h1>خبر عاجل</h1>
    <p onclick="steal()">{sentence * 3}<a href="javascript:alert(1)">اضغط</a></p>
    <p style="x" onmouseover="alert(2)">{sentence * 3}<img src="x" onerror="alert(3)"></p>
    <p>{sentence * 2}<a href="/more" onclick="x()">المزيد</a><script>alert(4)</script></p>
    </article></body></html>"""
    article = extract_article(page, "https://news.example/a/1")
    assert article.error is None
    assert "المفاوضات ستستأنف" in article.html
    for payload in ("<script", "alert(", "onclick", "onerror", "onmouseover", "javascript:"):
        assert payload not in article.html
    assert '<a href="https://news.example/more" rel="noopener nofollow">' in article.html


def test_html_lang_is_the_fallback_language() -> None:
    numbers = " ".join(str(n) for n in range(400))
    page = f'<html lang="ar-EG"><body><article><p>{numbers}</p></article></body></html>'
    assert extract_article(page, "https://news.example/n").language == "ar"
