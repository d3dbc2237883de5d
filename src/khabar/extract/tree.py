"""Small helpers over lxml trees shared by the readers, and the page parser."""

from __future__ import annotations

from typing import Final

from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from lxml import html as lxml_html
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, is_dubious_html, repair_faulty_html

__all__ = ["parse_page", "remove_keeping_tail", "text_of"]

_PARSER: Final = etree.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
"""trafilatura's ``utils.HTML_PARSER`` (same options), with its element classes looked up in C.

``lxml.html`` picks each element's Python class with a Python method
(``HtmlElementClassLookup.lookup``), called every time lxml hands an element to Python: by
every ``iter()``, XPath result and copy, in trafilatura as in Khabar (about 5,000 calls a page
on trafilatura's eval set). The default lookup here gives the same ``HtmlElement``,
``HtmlComment``, ``HtmlProcessingInstruction`` and ``HtmlEntity`` classes without that call; only
the form-specific classes (``FormElement``, ``InputElement`` …, whose form APIs nothing here
uses) become plain ``HtmlElement``. Same extracted article, every field, on all 1,219 AEB,
trafilatura-eval and constructed Arabic pages (2026-11-27); 3-4 % of Khabar's time."""
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement,
        comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
)


# The characters trafilatura's ``INVALID_XML_CHARS`` (2.3.1) strips before parsing.
_INVALID_XML_CHARS: Final = (
    *map(chr, range(0x00, 0x09)),
    "\x0b",
    "\x0c",
    *map(chr, range(0x0E, 0x20)),
    "\ufffe",
    "\uffff",
)


def parse_page(html: str) -> lxml_html.HtmlElement | None:
    """``trafilatura.load_html`` of a decoded page (same repairs, fallbacks and rejection),
    parsed with :data:`_PARSER`; None when it is not HTML."""
    beginning = html[:50].lower()
    html = _repaired(html, beginning)
    try:
        tree = lxml_html.fromstring(html, parser=_PARSER)
    except (ValueError, etree.LxmlError):  # e.g. "Unicode strings with encoding declaration"
        tree = _from_bytes(html)
    else:
        if tree is None or len(tree) < 1:
            tree = _from_bytes(html)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None  # trafilatura's test: not (well-formed) HTML at all
    return tree


def _repaired(html: str, beginning: str) -> str:
    """``trafilatura.utils.repair_faulty_html``. Its first step, a regex substitution of the
    invalid XML characters over the whole page, scans 0.44 ms a page on trafilatura's eval set,
    which 3 of its 990 pages need; one substring test per character takes 0.16 ms. Pages that
    hold one go through trafilatura's function itself."""
    if any(char in html for char in _INVALID_XML_CHARS):
        return repair_faulty_html(html, beginning)
    if "doctype" in beginning:  # the rest is repair_faulty_html's, step for step
        firstline, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return str(FAULTY_HTML.sub(r"\1>", html, count=1))
    return html


def _from_bytes(html: str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
    except (etree.LxmlError, ValueError):
        return None


def text_of(elem: etree._Element) -> str:
    """All text inside ``elem``, whitespace collapsed."""
    return " ".join("".join(elem.itertext()).split())


def remove_keeping_tail(elem: etree._Element) -> None:
    """Remove ``elem`` from its parent; the text that followed it stays where it was."""
    parent = elem.getparent()
    if parent is None:
        return
    tail = elem.tail
    if tail and tail.strip():
        previous = elem.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(elem)
