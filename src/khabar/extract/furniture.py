"""Page furniture around the article -> structured data, taken out of the page tree.

Runs on the parsed page before trafilatura (the same tree, no second parse). A *marker* is an
element whose own leading text is a furniture phrase of ``data/extract/markers.toml``
("اقرأ أيضاً", "مقالات ذات صلة", "الأكثر قراءة", "كلمات دلالية" …, folded with the Arabic
core). From the marker, the reader climbs to its *box*:

* a **wrapped box** is the lowest ancestor holding links besides the marker, with (almost) no
  text before the marker: its links are the read-also/related items or the tags; when a
  read-also box holds long paragraphs, they are another article glued in: one item whose
  ``text`` is that article, which then never reaches the body;
* when the climb reaches a container that holds article text before the marker (or a lot of
  text), the marker's block sits *inside the article*: the block after it is the list of
  links, or the glued article's title followed by its paragraphs up to the next marker.

Boxes are removed from the tree, so trafilatura never sees them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv

from khabar.extract.metadata import absolute_http_url
from khabar.extract.rules import (
    MAX_MARKER_WORDS,
    MarkerKind,
    Rules,
    fold,
    fold_words,
    marker_kind,
)
from khabar.extract.tags import clean_tags
from khabar.extract.tree import remove_keeping_tail, text_of
from khabar.types import Link

__all__ = ["NAV_XPATH", "Furniture", "take_furniture"]

MAX_MARKER_CHARS: Final = 80
"""An element whose own text is longer than this is not a furniture heading."""
MAX_MARKER_TAIL_WORDS: Final = 3
"""Words a read-also/related heading may carry after its phrase ("الأكثر قراءة اليوم")."""
MAX_TEXT_BEFORE: Final = 30
"""More text than this before the marker inside a container: the container is the article."""
MAX_BOX_TEXT: Final = 1500
"""A wrapper holding more text than this is treated as a container, not a box."""
MAX_LIST_PROSE: Final = 300
"""Non-link text a related list or tag line may hold; more means it is not one."""
MIN_GLUED_CHARS: Final = 150
"""Paragraph text under a read-also heading from which it is a glued article."""
MAX_TITLE_CHARS: Final = 200
MAX_CLIMB: Final = 6
_SENTENCE_ENDS: Final = (".", "!", "؟", "?", "…", ":", '"', "»")

NAV_XPATH: Final = (
    "//nav//a | //header//a | //@class[contains(., 'menu') or contains(., 'breadcrumb')"
    " or contains(., 'nav')]/..//a | //@id[contains(., 'menu')]/..//a"
)
"""Where a page's navigation links are; their words are never tags. The attribute nodes are
tested, not every element (same links on all 181 AEB pages; 1.3 -> 0.7 ms a page)."""

_SKIPPED: Final = frozenset({"title", "script", "style", "option", "textarea", "noscript"})
_LISTS: Final = frozenset({"ul", "ol", "dl"})
_PROSE_BLOCKS: Final = frozenset({"p", "div", "blockquote", "section"})


@dataclass(frozen=True, slots=True)
class Furniture:
    read_also: tuple[Link, ...] = ()
    related: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Marker:
    elem: etree._Element
    kind: MarkerKind
    size: int
    """Words the marker phrase takes."""


@dataclass(slots=True)
class _Found:
    read_also: list[Link] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def take_furniture(
    tree: etree._Element, base_url: str, rules: Rules, meta_tags: Sequence[str] = ()
) -> Furniture:
    """Read and remove the furniture of ``tree``; ``meta_tags`` join the tag line's tags."""
    markers = _markers(tree, rules)
    found = _Found()
    removed: set[etree._Element] = set()
    marked = {m for m, _, _ in markers}
    for marker, kind, size in markers:
        if removed.intersection(marker.iterancestors()) or marker in removed:
            continue
        removed.update(_take(_Marker(marker, kind, size), base_url, marked, found))
    for elem in removed:
        remove_keeping_tail(elem)
    raw_tags = [*found.tags, *meta_tags]
    nav = _nav_words(tree) if raw_tags else ()
    return Furniture(
        read_also=tuple(_unique_links(found.read_also)),
        related=tuple(_unique_links(found.related)),
        tags=clean_tags(raw_tags, rules, nav),
    )


def _markers(tree: etree._Element, rules: Rules) -> list[tuple[etree._Element, MarkerKind, int]]:
    found = []
    for elem in tree.iter():
        text = elem.text
        # Most texts are indentation between tags: isspace() rules them out before the regex.
        if not text or text.isspace() or not rules.marker_start.match(text):
            continue
        if not isinstance(elem.tag, str):
            continue
        if elem.tag in _SKIPPED:
            continue
        words = fold_words(text[:MAX_MARKER_CHARS])[: MAX_MARKER_WORDS + MAX_MARKER_TAIL_WORDS + 1]
        match = marker_kind(words, rules)
        if match is None:
            continue
        kind, size = match
        short = len(text) <= MAX_MARKER_CHARS and len(words) - size <= MAX_MARKER_TAIL_WORDS
        if kind == "tags" or short:
            found.append((elem, kind, size))
    return found


def _take(
    mark: _Marker, base_url: str, marked: set[etree._Element], found: _Found
) -> list[etree._Element]:
    """Read the furniture ``mark`` heads into ``found``; the elements to remove."""
    marker, kind = mark.elem, mark.kind
    if kind == "tags" and not _has_links(marker, marker):
        inline = _text_after_marker(marker, mark.size)
        if inline:  # "الكلمات المفتاحية: صحة، مستشفيات" written as plain text
            found.tags.extend(inline)
            return [marker]
    node = marker
    for _ in range(MAX_CLIMB):
        if _has_links(node, marker):
            return _wrapped(node, mark, base_url, found)
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return []
        if _text_before(parent, node) > MAX_TEXT_BEFORE or _too_big(parent):
            return _inside(node, kind, base_url, marked, found)
        node = parent
    return []


def _wrapped(
    box: etree._Element, mark: _Marker, base_url: str, found: _Found
) -> list[etree._Element]:
    marker, kind = mark.elem, mark.kind
    links = _links(box, marker, base_url)
    prose = _prose(box, marker)
    if kind == "read_also" and sum(len(p) for p in prose) >= MIN_GLUED_CHARS:
        title = links[0] if links else Link(title=_heading_after(box, marker))
        body = [p for p in prose if p != title.title]
        found.read_also.append(Link(title.title, title.url, "\n\n".join(body)))
        return [box]
    if sum(len(p) for p in prose) > MAX_LIST_PROSE:
        return []  # a paragraph that merely starts with the phrase
    if kind == "tags":
        found.tags.extend(link.title for link in links)
        if not links:
            found.tags.extend(_text_after_marker(box, mark.size))
    else:
        getattr(found, kind).extend(links)
    return [box]


def _inside(
    block: etree._Element,
    kind: MarkerKind,
    base_url: str,
    marked: set[etree._Element],
    found: _Found,
) -> list[etree._Element]:
    """The marker's ``block`` sits in the article container: read the blocks after it."""
    following = []
    for sibling in block.itersiblings():
        if not isinstance(sibling.tag, str) or not text_of(sibling):
            continue
        if marked.intersection(sibling.iter()):
            break
        following.append(sibling)
    if not following:
        return [block]
    first = following[0]
    links = _links(first, None, base_url)
    headlines = _leading_headlines(following)
    if kind == "read_also" and len(headlines) >= 2:  # "اقرأ أيضاً:" + headlines, then the text
        found.read_also.extend(_headline_link(h, base_url) for h in headlines)
        return [block, *headlines]
    if kind != "read_also" or first.tag in _LISTS or len(links) > 1:
        if not links or _link_share(first) < 0.5:
            return [block]
        if kind == "tags":
            found.tags.extend(link.title for link in links)
        else:
            getattr(found, kind).extend(links)
        return [block, first]
    return _glued(block, following, links, found)


def _glued(
    block: etree._Element, following: list[etree._Element], links: list[Link], found: _Found
) -> list[etree._Element]:
    title = text_of(following[0])
    rest = [text_of(s) for s in following[1:]]
    if len(title) > MAX_TITLE_CHARS:
        return [block]
    if sum(len(p) for p in rest) < MIN_GLUED_CHARS:
        if links:
            found.read_also.append(links[0])
            return [block, following[0]]
        return [block]
    url = links[0].url if links else None
    found.read_also.append(Link(title, url, "\n\n".join(p for p in rest if p)))
    return [block, *following]


def _leading_headlines(blocks: list[etree._Element]) -> list[etree._Element]:
    """The blocks at the start of ``blocks`` that read as headlines (short, no full stop)."""
    out = []
    for block in blocks:
        text = text_of(block)
        if block.tag in _LISTS or len(text) > MAX_TITLE_CHARS or text.endswith(_SENTENCE_ENDS):
            break
        out.append(block)
    return out


def _headline_link(block: etree._Element, base_url: str) -> Link:
    links = _links(block, None, base_url)
    return Link(title=text_of(block), url=links[0].url if len(links) == 1 else None)


def _has_links(node: etree._Element, marker: etree._Element) -> bool:
    return any(a is not marker and a.get("href") for a in node.iter("a"))


def _links(box: etree._Element, marker: etree._Element | None, base_url: str) -> list[Link]:
    links = []
    for anchor in box.iter("a"):
        if anchor is marker or marker in anchor.iterdescendants():
            continue
        title = text_of(anchor)
        url = absolute_http_url(anchor.get("href"), base_url)
        if url and title and not title.isdigit():
            links.append(Link(title=title, url=url))
    return links


def _prose(box: etree._Element, marker: etree._Element) -> list[str]:
    """Texts of the box's blocks that hold no links (a glued article's paragraphs)."""
    out = []
    for elem in box.iter(*_PROSE_BLOCKS):
        if elem is marker or any(True for _ in elem.iter("a")):
            continue
        if any(child.tag in _PROSE_BLOCKS for child in elem):
            continue
        text = text_of(elem)
        if text:
            out.append(text)
    return out


def _heading_after(box: etree._Element, marker: etree._Element) -> str:
    for elem in box.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b"):
        if elem is not marker and marker not in elem.iterdescendants():
            text = text_of(elem)
            if text and len(text) <= MAX_TITLE_CHARS:
                return text
    return ""


def _text_after_marker(box: etree._Element, size: int) -> list[str]:
    """The text of ``box`` after its first ``size`` words (the marker phrase)."""
    words = [w for w in text_of(box).split() if fold(w)]
    return [" ".join(words[size:])] if len(words) > size else []


def _text_before(parent: etree._Element, node: etree._Element) -> int:
    size = len((parent.text or "").strip())
    for sibling in node.itersiblings(preceding=True):
        size += len(text_of(sibling)) + len((sibling.tail or "").strip())
        if size > MAX_TEXT_BEFORE:
            break
    return size


def _too_big(elem: etree._Element) -> bool:
    size = 0
    for text in elem.itertext():
        size += len(text)
        if size > MAX_BOX_TEXT * 2:  # raw text still holds indentation
            return len(text_of(elem)) > MAX_BOX_TEXT
    return False


def _link_share(elem: etree._Element) -> float:
    total = len(text_of(elem))
    linked = sum(len(text_of(a)) for a in elem.iter("a"))
    return linked / total if total else 0.0


def _unique_links(links: Iterable[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        seen.setdefault(link.url or link.title, link)
    return list(seen.values())


def _nav_words(tree: etree._Element) -> list[str]:
    return [text_of(a) for a in tree.xpath(NAV_XPATH)]
