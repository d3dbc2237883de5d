"""The recall escalation: precision mode under-extracts -> balanced mode, by trafilatura's rule.

trafilatura is replaced by a stand-in that answers by mode, so each branch of the rule is hit
exactly (no real page under-extracts in precision mode and is small enough for a unit test).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from trafilatura.settings import Document

from khabar.extract import article
from khabar.extract.article import ESCALATION_ACCEPT_RATIO, ESCALATION_MAX_CHARS

SENTENCE = "The ministry opened a new hospital in the city centre on Monday morning. "
PAGE = (
    "<html><body><article><h1>Hospital</h1>"
    + "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(40))
    + "</article></body></html>"
)


def _paragraph(chars: int) -> str:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars].strip()


def _document(chars: int) -> Document:
    body = etree.Element("body")
    if chars:
        etree.SubElement(body, "p").text = _paragraph(chars)
    document = Document()
    document.body = body
    return document


def _stand_in(precise: int, balanced: int, calls: list[bool]) -> Callable[..., Document]:
    def bare_extraction(tree: Any, **options: Any) -> Document:
        calls.append(bool(options["favor_precision"]))
        return _document(precise if options["favor_precision"] else balanced)

    return bare_extraction


def _patch(monkeypatch: pytest.MonkeyPatch, bare_extraction: Callable[..., Document]) -> None:
    """``bare_extraction`` stands in for the balanced retry and for the precision pass (whose
    fast/full split and retry are tested in test_fast_precision and test_precision)."""
    monkeypatch.setattr(
        article,
        "_precise",
        lambda run, *_: bare_extraction(None, favor_precision=True),
    )
    monkeypatch.setattr(article, "_retry", lambda run: bare_extraction(None, favor_precision=False))


def _run(monkeypatch: pytest.MonkeyPatch, precise: int, balanced: int) -> tuple[str, list[bool]]:
    calls: list[bool] = []
    _patch(monkeypatch, _stand_in(precise, balanced, calls))
    return article.extract_article(PAGE, "https://example.org/a").text, calls


def test_short_precise_body_on_a_long_page_is_extracted_again_balanced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text, calls = _run(monkeypatch, precise=200, balanced=2500)
    assert calls == [True, False]
    assert text == _paragraph(2500)


def test_retry_that_is_not_clearly_longer_keeps_the_precise_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text, calls = _run(monkeypatch, precise=400, balanced=int(400 * ESCALATION_ACCEPT_RATIO) - 20)
    assert calls == [True, False]
    assert text == _paragraph(400)


def test_long_precise_body_is_not_extracted_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text, calls = _run(monkeypatch, precise=ESCALATION_MAX_CHARS, balanced=9000)
    assert calls == [True]
    assert text == _paragraph(ESCALATION_MAX_CHARS)


def test_empty_precise_body_is_not_rescued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing found stays nothing (a bare menu page must not be rescued by balanced mode)."""
    _text, calls = _run(monkeypatch, precise=0, balanced=2500)
    assert calls == [True]


def test_short_body_covering_the_page_is_not_extracted_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[bool] = []
    _patch(monkeypatch, _stand_in(300, 2500, calls))
    small_page = f"<html><body><p>{SENTENCE * 5}</p></body></html>"
    assert article.extract_article(small_page, "https://example.org/b").text == _paragraph(300)
    assert calls == [True]


def test_retry_that_only_adds_headings_keeps_the_precise_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A paywalled teaser: balanced mode adds the headline and standfirst, no more article."""

    def bare_extraction(tree: Any, **options: Any) -> Document:
        document = _document(300)
        if not options["favor_precision"]:
            head = etree.Element("head")
            head.text = _paragraph(600)
            document.body.insert(0, head)
        return document

    _patch(monkeypatch, bare_extraction)
    assert article.extract_article(PAGE, "https://example.org/a").text == _paragraph(300)


def test_retry_that_lost_the_precise_body_keeps_the_precise_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Balanced mode found a longer, different block (a sidebar): not more of the article."""

    def bare_extraction(tree: Any, **options: Any) -> Document:
        if options["favor_precision"]:
            return _document(300)
        document = Document()
        document.body = etree.Element("body")
        etree.SubElement(document.body, "p").text = "Sidebar teaser about other things. " * 40
        return document

    _patch(monkeypatch, bare_extraction)
    assert article.extract_article(PAGE, "https://example.org/a").text == _paragraph(300)
