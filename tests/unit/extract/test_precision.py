"""The split precision pass gives exactly what trafilatura's ``bare_extraction`` gives, fast and
full, and the page parser builds the same tree as ``trafilatura.load_html`` (real trafilatura,
real lxml, real pages from tests/fixtures/pages)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
import trafilatura
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from trafilatura.settings import Document

from khabar.extract import article, precision
from khabar.extract.precision import PrecisionPass, balanced_options, precision_options
from khabar.extract.tree import parse_page

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
SENTENCE = "The ministry opened a new hospital in the city centre on Monday morning. "


def _page(body: str, head: str = "") -> str:
    return f"<html><head><title>Hospital</title>{head}</head><body>{body}</body></html>"


_MENU = "".join(
    f"<li><a href='/n{i}'>Menu item number {i} of the site</a></li>" for i in range(400)
)
_FORUM = '<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>'
_COMMENTS = '<div id="comments"><p>' + "A reader wrote this comment at length. " * 8 + "</p></div>"
CONSTRUCTED = {
    "long article": _page(
        "<article><h1>Hospital</h1>"
        + "".join(f"<p>Paragraph {i}. {SENTENCE * 3}</p>" for i in range(12))
        + "</article>"
    ),
    "short body (jusText called in)": _page(f"<article><p>{SENTENCE * 2}</p></article>"),
    "small share of the page (readability called in)": _page(
        "<article>"
        + "".join(f"<p>Part {i}. {SENTENCE * 2}</p>" for i in range(4))
        + "</article><aside>"
        + "".join(f"<p>Other story {i}. {SENTENCE * 4}</p>" for i in range(30))
        + "</aside>"
    ),
    "teaser blocks recovered as wild text": _page(
        "".join(f'<div class="news-Teaser"><p>{i}. {SENTENCE}</p></div>' for i in range(3))
        + f"<div><p>{SENTENCE}</p></div>"
    ),
    "comment section": _page(
        "<article>" + "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(5)) + "</article>" + _COMMENTS
    ),
    "forum thread": _page(
        "<article>"
        + "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(5))
        + "</article>"
        + _COMMENTS,
        _FORUM,
    ),
    "no text": _page("<div><a href='/a'>Home</a></div>"),
    # Balanced mode finds under a fifth of the page (the menu): its recall escalation runs.
    "escalated, recall retry wins": _page(
        f"<ul>{_MENU}</ul><div class='entry-content'><p>{SENTENCE * 3}</p></div>"
        f"<div class='entry-content'><p><span>{SENTENCE * 5}</span></p><p>{SENTENCE * 5}</p></div>"
    ),
    "escalated, jusText wins": _page(
        f"<p>{SENTENCE * 3}</p>"
        + "".join(
            f"<section><div><div>{SENTENCE * 5}</div><br/>{SENTENCE * 3}</div></section>"
            for _ in range(15)
        )
    ),
    "escalated, balanced body kept": _page(
        f"<nav><ul>{_MENU}</ul></nav><article><p>{SENTENCE * 3}</p>"
        f"<p><a href='/x'>{SENTENCE * 4}</a></p><p><a href='/y'>{SENTENCE * 4}</a></p></article>"
    ),
}
PAGES = {
    **CONSTRUCTED,
    **{path.name: path.read_text(encoding="utf-8") for path in FIXTURES.glob("*.html")},
}


def _same(ours: Document | None, theirs: object) -> None:
    if ours is None:
        assert theirs is None
        return
    assert isinstance(theirs, Document)
    assert ours.raw_text == theirs.raw_text
    assert etree.tostring(ours.body) == etree.tostring(theirs.body)


def _pass_over(tree: etree._Element, *, teaser_free: bool, owned: bool = False) -> PrecisionPass:
    """A pass over ``tree`` with Khabar's options, as extraction builds it."""
    options = dict(article.TRAFILATURA_OPTIONS)
    return PrecisionPass(
        tree,
        precision_options(options, fast=True),
        precision_options(options, fast=False),
        teaser_free=teaser_free,
        balanced=balanced_options(options),
        owned=owned,
    )


def _pass(html: str, *, owned: bool) -> PrecisionPass:
    tree = parse_page(html)
    assert tree is not None
    return _pass_over(tree, teaser_free=article._teaser_free(html), owned=owned)


def _theirs(html: str, **change: bool) -> object:
    """``bare_extraction`` of a fresh parse of ``html``, with Khabar's options and ``change``."""
    return trafilatura.bare_extraction(
        parse_page(html), **{**article.TRAFILATURA_OPTIONS, **change}
    )


@pytest.mark.parametrize("owned", [False, True], ids=["copied", "handed over"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_split_pass_equals_bare_extraction_fast_and_full(name: str, owned: bool) -> None:
    html = PAGES[name]
    run = _pass(html, owned=owned)
    _same(run.fast, _theirs(html, fast=True))
    _same(run.full(), _theirs(html))


def test_a_pass_leaves_a_tree_it_does_not_own_as_it_was() -> None:
    html = PAGES["comment section"]
    tree = parse_page(html)
    before = etree.tostring(tree)
    run = _pass_over(tree, teaser_free=True)
    run.full()
    run.balanced()
    assert etree.tostring(tree) == before


def test_teaser_page_full_pass_runs_the_main_extractor_again() -> None:
    """Fast mode kept the teaser blocks as wild text; the full pass must not reuse that body."""
    html = CONSTRUCTED["teaser blocks recovered as wild text"]
    tree = parse_page(html)
    run = _pass_over(tree, teaser_free=False)
    full = run.full()
    assert run.fast is not None and full is not None
    assert run.fast.raw_text.startswith("0. ")
    assert full.raw_text == SENTENCE.strip()


@pytest.mark.parametrize(
    "change",
    [{"favor_precision": False}, {"include_comments": True}, {"with_metadata": True}],
)
def test_split_pass_refuses_options_it_does_not_reproduce(change: dict[str, bool]) -> None:
    with pytest.raises(ValueError, match="split sequence"):
        precision_options({**article.TRAFILATURA_OPTIONS, **change}, fast=True)


PARSER_INPUTS = {
    **PAGES,
    "doctype": "<!DOCTYPE html>\n" + CONSTRUCTED["long article"],
    "xml declaration": '<?xml version="1.0" encoding="utf-8"?>' + CONSTRUCTED["long article"],
    "form": _page("<form action='/s'><input name='q'><select><option>a</option></select></form>"),
    "not html": "just some words, no markup at all",
    "fragment": "<p>one paragraph</p>",
}


@pytest.mark.parametrize("name", sorted(PARSER_INPUTS))
def test_page_parser_builds_trafilaturas_tree(name: str) -> None:
    html = PARSER_INPUTS[name]
    ours, theirs = parse_page(html), trafilatura.load_html(html)
    if theirs is None:
        assert ours is None
        return
    assert ours is not None
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_page_parser_gives_html_elements_without_the_python_lookup() -> None:
    tree = parse_page(PARSER_INPUTS["form"])
    assert tree is not None
    assert all(type(elem) is lxml.html.HtmlElement for elem in tree.iter())
    assert tree.find(".//form").text_content() == "a"


@pytest.mark.parametrize("owned", [False, True], ids=["copied", "handed over"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_balanced_retry_equals_bare_extraction_in_balanced_mode(name: str, owned: bool) -> None:
    """The retry starts from the tree the precision pass pruned, and gives trafilatura's own
    balanced result (forum threads go through bare_extraction itself)."""
    html = PAGES[name]
    run = _pass(html, owned=owned)
    run.full()  # the full pass first, as in extraction: it must leave the raw tree as it was
    _same(run.balanced(), _theirs(html, favor_precision=False))


def test_a_failing_escalation_candidate_gives_no_text() -> None:
    """trafilatura goes on without a candidate that raised; so does the retry."""

    def fails() -> tuple[etree._Element, str]:
        raise RuntimeError("readability broke")

    assert precision._attempt(fails) == (None, "")
