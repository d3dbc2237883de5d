"""The article body trafilatura found (its XML tree) -> paragraphs, link share, safe HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from trafilatura.htmlprocessing import convert_to_html

from khabar.arabic.normalize import normalize
from khabar.extract.attribution import find_attribution
from khabar.extract.boilerplate import drop_boilerplate
from khabar.extract.sanitize import sanitize_html
from khabar.extract.text import TRAFILATURA_LAYOUT, paragraphs_from_tree
from khabar.extract.tree import remove_keeping_tail, text_of
from khabar.types import Attribution

__all__ = ["Body", "read_body"]

# Headings outside the allowed h2-h4 range are folded into it instead of losing their level.
_HEADING_FOLD: Final = {"h1": "h2", "h5": "h4", "h6": "h4"}
# Blocks of trafilatura's XML that hold text, outermost first (a title may sit in a cell).
_TEXT_BLOCKS: Final = ("cell", "p", "head", "item", "quote")


@dataclass(frozen=True, slots=True)
class Body:
    """What the article body holds."""

    paragraphs: tuple[str, ...]
    html: str
    link_share: float
    """Share of the body's characters that sit inside links (menus and index pages are ~1.0)."""
    attribution: Attribution | None = None

    @property
    def chars(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def read_body(body: etree._Element, base_url: str, title: str | None = None) -> Body:
    """Read trafilatura's XML ``body``. The tree is converted in place: do not reuse it.

    A leading heading or paragraph that repeats ``title`` is dropped: the title is its own field.
    The source the text names is read; a paragraph that is only that credit is dropped.
    """
    drop_boilerplate(body)
    if title:
        _drop_leading_title(body, title)
    attribution = _take_attribution(body)
    paragraphs = paragraphs_from_tree(body, TRAFILATURA_LAYOUT)
    total = sum(len(p) for p in paragraphs)
    linked = sum(_text_len(ref) for ref in body.iter("ref"))
    return Body(
        paragraphs=paragraphs,
        html=_to_safe_html(body, base_url),
        link_share=min(1.0, linked / total) if total else 0.0,
        attribution=attribution,
    )


def _take_attribution(body: etree._Element) -> Attribution | None:
    blocks = [(block, text) for block in body.iter("p", "head", "item") if (text := text_of(block))]
    found = find_attribution([text for _, text in blocks])
    if found is None:
        return None
    if found.line is not None:
        remove_keeping_tail(blocks[found.line][0])
    return found.attribution


def _same_text(a: str, b: str) -> bool:
    return " ".join(normalize(a, "search").split()) == " ".join(normalize(b, "search").split())


def _drop_leading_title(body: etree._Element, title: str) -> None:
    for child in body.iter(*_TEXT_BLOCKS):
        text = "".join(child.itertext()).strip()
        if not text:
            continue
        if _same_text(text, title):
            remove_keeping_tail(child)
        return


def _text_len(elem: etree._Element) -> int:
    return len(" ".join("".join(elem.itertext()).split()))


def _to_safe_html(body: etree._Element, base_url: str) -> str:
    convert_to_html(body)
    for heading in body.iter(*_HEADING_FOLD):
        heading.tag = _HEADING_FOLD[str(heading.tag)]
    markup = etree.tostring(body, encoding="unicode", method="html")
    return sanitize_html(markup, base_url)
