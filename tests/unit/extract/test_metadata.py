from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import lxml.html
import pytest
from trafilatura.xpaths import AUTHOR_XPATHS

from khabar.extract import metadata
from khabar.extract.metadata import (
    BYLINE_XPATHS,
    absolute_http_url,
    parse_page_date,
    read_page_metadata,
    split_tags,
)


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


# Every branch of trafilatura's byline XPaths, with near misses (wrong tag, other case, other
# attribute) that must stay out, in an order that checks document order is kept.
BYLINE_PAGE = """<html><body>
<author>Jane Roe</author><div><rel>me</rel>Rel Me</div><em><rel>me</rel>not a byline tag</em>
<span class="x authorName">Camel Case</span><span class="AUTHORNAME">upper case</span>
<a rel="author">Rel Author</a><p id="author">Id Author</p>
<strong itemprop="author name">I N</strong>
<div data-testid="AuthorCard">Card</div><i class="author">tag i, class author</i>
<h3 class="byline">H3 Byline</h3><h4 id="post-zuozhe">Zuozhe</h4><p class="posted-by x">Posted</p>
<p class="journalist-name">J</p><b class="writer">Writer</b><b data-component="TheByline">DC</b>
<b id="mainAuthor">Main</b><b class="screenname">Screen</b><b itemprop="xauthorx">Prop</b>
<b class="WRITER">not this</b><b title="author">nor this</b>
</body></html>"""


def test_byline_xpaths_select_what_trafilaturas_author_xpaths_select() -> None:
    tree = lxml.html.fromstring(BYLINE_PAGE)
    for ours, theirs in zip(BYLINE_XPATHS, AUTHOR_XPATHS, strict=True):
        assert ours(tree) == theirs(tree)
    first = [e.text_content() for e in BYLINE_XPATHS[0](tree)]
    assert first[:3] == ["Jane Roe", "meRel Me", "Camel Case"]
    assert "upper case" not in first
    assert "not this" not in [e.text for e in BYLINE_XPATHS[2](tree)]


@pytest.mark.parametrize("line", [line for line in BYLINE_PAGE.splitlines() if "<" in line])
def test_every_byline_branch_is_spelled_by_the_string_test(line: str) -> None:
    """Each line of BYLINE_PAGE holds an element some byline XPath selects (or a near miss):
    the string test must never call a page without a byline string byline-free."""
    page = f"<html><body>{line}</body></html>"
    if any(xpath(lxml.html.fromstring(page)) for xpath in BYLINE_XPATHS):
        assert metadata._may_name_author(page)


def test_rel_element_in_any_case_counts_as_a_byline_string() -> None:
    assert metadata._may_name_author("<div><REL>me</REL>Jane Roe</div>")
    assert not metadata._may_name_author("<div><a rel='nofollow' href='/x'>related</a></div>")


def test_byline_search_is_skipped_when_the_page_spells_none_of_its_strings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    searched: list[bool] = []
    real = metadata.trafilatura_metadata.extract_metainfo

    def extract_metainfo(tree: Any, expressions: Any, **kwargs: Any) -> Any:
        if expressions == list(BYLINE_XPATHS):  # extract_title uses it too
            searched.append(True)
        return real(tree, expressions, **kwargs)

    monkeypatch.setattr(metadata.trafilatura_metadata, "extract_metainfo", extract_metainfo)
    plain = "<html><body><p>Just a story, nobody signed it.</p></body></html>"
    url = "https://news.example/a"
    assert read_page_metadata(lxml.html.fromstring(plain), url, source=plain).author is None
    assert searched == []
    signed = "<html><body><span class='byline'>John Smith</span><p>Story.</p></body></html>"
    found = read_page_metadata(lxml.html.fromstring(signed), url, source=signed)
    assert found.author == "John Smith"
    assert searched == [True]
