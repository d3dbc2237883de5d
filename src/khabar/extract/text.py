"""Turn markup into plain paragraphs, in document order.

One walker serves two vocabularies: ordinary HTML (feed summaries) and trafilatura's XML body
(``<p>``, ``<head>``, ``<list>/<item>``, ``<quote>``, ``<lb/>`` …). A block element ends the
current paragraph, a line break ends it too, a table cell is separated from its neighbour by a
space, and script-like elements are skipped with their content.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import nh3
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from lxml import html as lxml_html

__all__ = [
    "HTML_LAYOUT",
    "TRAFILATURA_LAYOUT",
    "BlockLayout",
    "clean_paragraph",
    "paragraphs_from_html",
    "paragraphs_from_tree",
]


@dataclass(frozen=True, slots=True)
class BlockLayout:
    """Which tags of a markup vocabulary start paragraphs, break lines, separate cells, or hide."""

    blocks: frozenset[str]
    breaks: frozenset[str]
    cells: frozenset[str]
    skipped: frozenset[str] = frozenset()


_HTML_BLOCKS: Final = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip

HTML_LAYOUT: Final = BlockLayout(
    blocks=_HTML_BLOCKS,
    breaks=frozenset({"br"}),
    cells=frozenset({"td", "th"}),
    skipped=frozenset({"script", "style", "template", "noscript", "iframe", "svg", "head"}),
)

TRAFILATURA_LAYOUT: Final = BlockLayout(
    blocks=frozenset({"p", "head", "list", "item", "quote", "table", "row", "code", "div"}),
    breaks=frozenset({"lb"}),
    cells=frozenset({"cell"}),
)

_ZERO_WIDTH: Final = "\ufeff\u200b\u2060"
_BLANK_LINES: Final = re.compile(r"\n\s*\n")


def clean_paragraph(text: str) -> str | None:
    """Collapse whitespace; None when nothing readable is left."""
    collapsed = " ".join(text.split()).strip(_ZERO_WIDTH).strip()
    return collapsed or None


def paragraphs_from_tree(root: etree._Element, layout: BlockLayout) -> tuple[str, ...]:
    """The paragraphs of an already parsed tree, in document order."""
    out: list[str] = []
    buf: list[str] = []
    _walk(root, layout, buf, out)
    _flush(buf, out)
    return tuple(out)


def paragraphs_from_html(markup: str) -> tuple[str, ...]:
    """The paragraphs of an HTML fragment (or plain text split at blank lines)."""
    if not markup.strip():
        return ()
    if not nh3.is_html(markup):
        return _keep_readable(_BLANK_LINES.split(html_lib.unescape(markup)))
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        # lxml refused the fragment; a tag-free nh3 pass still yields its text as one block.
        return _keep_readable([html_lib.unescape(nh3.clean(markup, tags=set()))])
    return paragraphs_from_tree(root, HTML_LAYOUT)


def _walk(elem: etree._Element, layout: BlockLayout, buf: list[str], out: list[str]) -> None:
    if elem.text:
        buf.append(elem.text)
    for child in elem:
        tag = child.tag if isinstance(child.tag, str) else None  # comments, PIs: tail only
        if tag is None or tag in layout.skipped:
            pass
        elif tag in layout.breaks:
            _flush(buf, out)
        elif tag in layout.blocks:
            _flush(buf, out)
            _walk(child, layout, buf, out)
            _flush(buf, out)
        else:
            if tag in layout.cells:
                buf.append(" ")
            _walk(child, layout, buf, out)
        if child.tail:
            buf.append(child.tail)


def _flush(buf: list[str], out: list[str]) -> None:
    if buf:
        paragraph = clean_paragraph("".join(buf))
        if paragraph:
            out.append(paragraph)
        buf.clear()


def _keep_readable(chunks: Iterable[str]) -> tuple[str, ...]:
    return tuple(p for p in map(clean_paragraph, chunks) if p)
