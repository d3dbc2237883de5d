"""The precision pass runs trafilatura's fast mode first and the full pass only when the
readability/jusText comparison could change the body (real trafilatura, real pages)."""

from __future__ import annotations

from typing import Any

import pytest
import trafilatura
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from trafilatura.settings import Document

from khabar.extract import article

SENTENCE = "The ministry opened a new hospital in the city centre on Monday morning. "
URL = "https://example.org/news/hospital"


def _page(article_html: str, aside: str = "") -> str:
    return (
        "<html><head><title>Hospital</title></head><body>"
        f"<article><h1>Hospital</h1>{article_html}</article>{aside}</body></html>"
    )


LONG_PAGE = _page("".join(f"<p>Paragraph {i}. {SENTENCE * 3}</p>" for i in range(12)))


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each trafilatura pass: ``precise-fast`` (the fast body), ``precise`` (the full
    precision pass, compared with readability/jusText) and ``balanced`` (the retry)."""
    calls: list[str] = []
    real = trafilatura.bare_extraction

    class Spied(article.PrecisionPass):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            calls.append("precise-fast")
            super().__init__(*args, **kwargs)

        def full(self) -> Document | None:
            calls.append("precise")
            return super().full()

        def balanced(self) -> Document | None:
            calls.append("balanced")
            return super().balanced()

    def bare_extraction(tree: Any, **options: Any) -> Any:
        calls.append("precise" if options["favor_precision"] else "balanced")
        return real(tree, **options)

    monkeypatch.setattr(article, "PrecisionPass", Spied)
    monkeypatch.setattr(trafilatura, "bare_extraction", bare_extraction)
    return calls


def _full_pass_text(monkeypatch: pytest.MonkeyPatch, html: str) -> str:
    """The text with the fast shortcut switched off (the full pass always runs)."""
    with monkeypatch.context() as patch:
        patch.setattr(article, "_comparison_moot", lambda *_, **__: False)
        return article.extract_article(html, URL).text


def test_article_filling_the_page_takes_the_fast_body_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _full_pass_text(monkeypatch, LONG_PAGE)
    calls = _spy(monkeypatch)
    assert article.extract_article(LONG_PAGE, URL).text == expected
    assert calls == ["precise-fast"]
    assert expected.count("ministry opened") == 36


def test_short_body_runs_the_full_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below trafilatura's MIN_EXTRACTED_SIZE the comparison may call in jusText."""
    html = _page(f"<p>{SENTENCE * 2}</p>")
    calls = _spy(monkeypatch)
    article.extract_article(html, URL)
    assert calls[:2] == ["precise-fast", "precise"]


def test_body_that_is_a_small_share_of_the_page_runs_the_full_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Readability might find twice the text: the comparison has to run."""
    aside = "<aside>" + "".join(f"<p>Other story {i}. {SENTENCE * 4}</p>" for i in range(30))
    html = _page("".join(f"<p>Part {i}. {SENTENCE * 2}</p>" for i in range(4)), aside + "</aside>")
    calls = _spy(monkeypatch)
    article.extract_article(html, URL)
    assert calls[:2] == ["precise-fast", "precise"]


def test_body_holding_teaser_text_runs_the_full_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast mode keeps teaser-class blocks that the full pass prunes."""
    teaser = "".join(
        f'<div class="news-Teaser"><p>{i}. {SENTENCE * 3}</p></div>' for i in range(12)
    )
    html = _page(teaser)
    calls = _spy(monkeypatch)
    article.extract_article(html, URL)
    assert calls[:2] == ["precise-fast", "precise"]


def _document(body_xml: str, text_chars: int) -> Document:
    document = Document()
    document.body = etree.fromstring(body_xml)
    document.raw_text = "x" * text_chars
    return document


@pytest.mark.parametrize(
    ("body_xml", "moot"),
    [
        ("<body><p>text</p><p>more</p></body>", True),
        ("<body><p>text</p><table><row><cell>1</cell></row></table>"
         "<table><row><cell>2</cell></row></table></body>", False),  # tables outnumber paragraphs
        ("<body><head>title</head><list><item>only items</item></list></body>", False),  # no <p>
        ("<body><p>text</p><figure>caption</figure></body>", False),  # "unclean" for jusText
    ],
)  # fmt: skip
def test_comparison_is_moot_only_for_clean_paragraph_bodies(body_xml: str, moot: bool) -> None:
    document = _document(body_xml, 2000)
    assert article._comparison_moot(document, 4000, None) is moot


def test_comparison_is_not_moot_when_readability_could_double_the_body() -> None:
    document = _document("<body><p>text</p></body>", 999)
    assert article._comparison_moot(document, 999 * 4, None) is True
    assert article._comparison_moot(document, 999 * 4 + 4, None) is False


def test_comparison_is_not_moot_when_a_block_is_teaser_text() -> None:
    document = _document("<body><p>text</p><p>A teaser of another story</p></body>", 2000)
    assert article._comparison_moot(document, 4000, []) is True
    teasers = ["Elsewhere: A teaser of another story"]
    assert article._comparison_moot(document, 4000, teasers) is False
    assert article._comparison_moot(document, 4000, ["Something else entirely"]) is True


def test_teaser_test_is_skipped_only_when_the_page_never_spells_teaser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    looked: list[bool] = []
    real = article._holds_teaser_text

    def holds_teaser_text(body: Any, teasers: list[str]) -> bool:
        looked.append(True)
        return real(body, teasers)

    monkeypatch.setattr(article, "_holds_teaser_text", holds_teaser_text)
    article.extract_article(LONG_PAGE, URL)
    assert looked == []
    article.extract_article(LONG_PAGE.replace("<article>", '<article class="Teaser-box">'), URL)
    assert looked == [True]
