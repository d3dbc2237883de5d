"""Which of a page's read-also and related links are kept with the article (pure)."""

from __future__ import annotations

from khabar.types import ExtractedArticle, Link, PageLink
from khabar.writer import MAX_LINKS, page_links


def _article(read_also: tuple[Link, ...] = (), related: tuple[Link, ...] = ()) -> ExtractedArticle:
    return ExtractedArticle(
        url="https://a.example/1", title="t", paragraphs=(), read_also=read_also, related=related
    )


def test_web_links_with_a_title_are_kept_once_in_page_order() -> None:
    read_also = (
        Link("  أول\n عنوان ", "https://a.example/2", "نص مقال ملصق"),
        Link("بلا رابط"),
        Link("مكرر", "https://a.example/2"),
        Link("", "https://a.example/3"),
        Link("بريد", "mailto:x@a.example"),
    )
    related = (Link("ذات صلة", "https://a.example/2"), Link("ثان", "http://b.example/4"))
    assert page_links(_article(read_also, related)) == (
        PageLink("read_also", "أول عنوان", "https://a.example/2"),
        PageLink("related", "ذات صلة", "https://a.example/2"),
        PageLink("related", "ثان", "http://b.example/4"),
    )


def test_at_most_max_links_of_each_kind() -> None:
    many = tuple(Link(f"عنوان {n}", f"https://a.example/{n}") for n in range(MAX_LINKS + 5))
    kept = page_links(_article(many, many))
    assert len(kept) == 2 * MAX_LINKS
    assert kept[MAX_LINKS - 1].url == f"https://a.example/{MAX_LINKS - 1}"
