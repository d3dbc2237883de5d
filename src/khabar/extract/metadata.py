"""Page metadata: read from the parsed page once, typed the way Khabar stores it.

The cheap readers of trafilatura's metadata module are used (meta tags, OpenGraph, JSON-LD,
``<title>``, canonical link, htmldate without extensive search). Its expensive ones are left
out on purpose to keep extraction within 0.8x of bare ``trafilatura.extract``: tag/category
link scans and licence links. When meta tags and JSON-LD name no author, trafilatura's byline
XPaths run on the tree as it is (its ``extract_author`` first deep-copies and prunes the whole
tree: ~14 ms a page, which alone cost 0.1 of the speed ratio on the AEB bench).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from trafilatura import metadata as trafilatura_metadata
from trafilatura.json_metadata import normalize_authors

from khabar.arabic.dates import parse_arabic_date
from khabar.types import FeedEntry

__all__ = [
    "BYLINE_XPATHS",
    "DATE_PARAMS",
    "PageMetadata",
    "absolute_http_url",
    "parse_page_date",
    "read_page_metadata",
    "split_tags",
]

DATE_PARAMS: Final[dict[str, Any]] = {
    "original_date": True,
    # Extensive search guesses from loose text and, on Arabic pages whose dates are written in
    # Arabic, falls back to "<year>-01-01" (CNN Arabic fixture). On trafilatura's eval set
    # (706 dated pages) it finds 610 right / 96 wrong vs 582 right / 85 wrong / 39 none here:
    # we prefer no date (the feed's date comes first anyway) to a made-up one.
    "extensive_search": False,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}

_TAG_SEPARATORS: Final = re.compile(r"[,،;؛|]")
_MAX_TAG_CHARS: Final = 80


# JSON-LD readers choke on odd publisher JSON; trafilatura itself guards this call the same way.
_JSON_LD_FAILURES: Final = (ValueError, TypeError, KeyError, IndexError, AttributeError)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page says about itself; URLs are absolute http(s), dates UTC."""

    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    image: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None


def read_page_metadata(
    tree: etree._Element, url: str, entry: FeedEntry | None = None, source: str | None = None
) -> PageMetadata:
    """Read the metadata of the parsed page ``tree`` fetched from ``url`` (cheap readers only).

    The two costly searches are skipped when the feed ``entry`` already answers them: the
    date search when it has a date (the feed's date wins anyway), the byline search when it
    names an author (meta tags and JSON-LD still win over the feed). ``source``, the page's
    HTML when known, also skips the byline search when it spells none of what it looks for.
    """
    feed = entry or FeedEntry(url=url)
    found = trafilatura_metadata.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # trafilatura's rule: one-word "authors" are handles or site names
    with contextlib.suppress(*_JSON_LD_FAILURES):  # keep what the meta tags said
        found = trafilatura_metadata.extract_meta_json(tree, found)
    canonical = absolute_http_url(found.url or trafilatura_metadata.extract_url(tree), url)
    return PageMetadata(
        title=found.title or trafilatura_metadata.extract_title(tree),
        author=found.author or (None if feed.author else _byline(tree, source)),
        published=None if feed.published else _page_date(tree, canonical or url),
        image=absolute_http_url(found.image, url),
        canonical_url=canonical,
        site_name=(found.sitename or trafilatura_metadata.extract_sitename(tree) or "").lstrip("@")
        or None,
        tags=split_tags(found.tags or ()),
        language=_lang_attribute(tree),
    )


def parse_page_date(value: str | None) -> datetime | None:
    """An htmldate string (``2024-03-05T14:30:00+0300``) as UTC; naive values are taken as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None  # htmldate only emits the format we asked for; anything else is unusable
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def split_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Split keyword strings at Latin/Arabic commas and semicolons; dedupe case-insensitively."""
    seen: dict[str, str] = {}
    for value in values:
        for part in _TAG_SEPARATORS.split(value):
            tag = " ".join(part.split())
            if tag and len(tag) <= _MAX_TAG_CHARS:
                seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())


def absolute_http_url(value: str | None, base_url: str) -> str | None:
    """``value`` resolved against ``base_url``; None unless the result is an http(s) URL."""
    if not value or not value.strip():
        return None
    resolved = urljoin(base_url, value.strip())
    parts = urlsplit(resolved)
    if parts.scheme in ("http", "https") and parts.netloc:
        return resolved
    return None


def _page_date(tree: etree._Element, url: str) -> datetime | None:
    return parse_page_date(find_date(tree, url=url, **DATE_PARAMS)) or _arabic_byline_date(tree)


# Elements whose class or id names one of these (lower or capitalized), and <time>, may hold a
# date written in words («الأحد 12 أيار/مايو 2024 - 10:30») that htmldate cannot read. Testing the
# attribute nodes is ~4x faster than a predicate on every element (1-2 ms on the fixture pages).
_DATE_ELEMENT_MARKERS: Final = ("date", "time", "byline", "publish", "posted")
_MARKER_TEST: Final = " or ".join(
    f"contains(., '{form}')" for m in _DATE_ELEMENT_MARKERS for form in (m, m.capitalize())
)
_DATE_ELEMENTS: Final = etree.XPath(
    f"//@class[{_MARKER_TEST}]/.. | //@id[{_MARKER_TEST}]/.. | //time"
)
_MAX_DATE_ELEMENTS: Final = 20
_MAX_DATE_TEXT: Final = 160  # a byline, not a section of the page


def _arabic_byline_date(tree: etree._Element) -> datetime | None:
    """The first date written in a short date/byline element (a date after now is ignored)."""
    now = datetime.now(UTC)
    for element in _DATE_ELEMENTS(tree)[:_MAX_DATE_ELEMENTS]:
        text = _short_text(element)
        found = parse_arabic_date(text, now=now) if text else None
        if found is not None and found <= now + timedelta(days=1):
            return found
    return None


def _short_text(element: etree._Element) -> str | None:
    parts: list[str] = []
    size = 0
    for part in element.itertext():
        size += len(part)
        if size > _MAX_DATE_TEXT:
            return None
        parts.append(part)
    return " ".join("".join(parts).split()) or None


_Tests = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
"""(attribute, values it may equal, substrings it may contain)."""


def _elements_with(
    tests: _Tests, tags: tuple[str, ...] = (), extra: str = "", untagged: str = ""
) -> etree.XPath:
    """Elements (among ``tags``) having one of the attribute values of ``tests``, in page order.

    ``extra`` joins the selection before the tag filter, ``untagged`` after it.

    Selecting the attribute nodes and going up to their element (``//@class[…]/..``) skips the
    predicate on every element of the page: several times faster on real pages.
    """
    selections = []
    for attribute, equal, contained in tests:
        checks = [f".='{v}'" for v in equal] + [f"contains(., '{v}')" for v in contained]
        selections.append(f"//@{attribute}[{' or '.join(checks)}]/..")
    union = " | ".join([*selections, *([extra] if extra else [])])
    if tags:
        union = f"({union})[{' or '.join(f'self::{tag}' for tag in tags)}]"
    return etree.XPath(f"{union} | {untagged}" if untagged else union)


# trafilatura's three ``AUTHOR_XPATHS`` (2.3.1), the same tests written over attribute nodes:
# each EXSLT ``re:test`` as the ``contains()`` its alternatives amount to (plain case-sensitive
# substring searches), its ``rel='me'`` (a child element, sic) as ``//rel[.='me']/..``. Same
# elements in the same order on all 1,171 AEB and trafilatura-eval pages; checked against
# trafilatura's own by tests/unit/extract/test_metadata.py. 5.1 -> 2.2 ms a call there.
_BYLINE_SELECTIONS: Final[tuple[tuple[Any, ...], ...]] = (
    (
        (
            ("rel", ("author",), ()),
            ("id", ("author",), ()),
            ("class", ("author",), ("authorname", "author-name", "AuthorName", "authorName")),
            ("itemprop", ("author name",), ()),
            ("data-testid", ("AuthorCard", "AuthorURL"), ()),
        ),
        ("a", "address", "div", "link", "p", "span", "strong"),
        "//rel[.='me']/..",
        "//author",
    ),
    (
        (
            ("class", ("byline", "username", "byl", "BBL"), ()),
            ("itemprop", (), ("author",)),
            ("id", (), ("author", "zuozhe", "bianji", "xiaobian")),
            (
                "class",
                (),
                (
                    "author",
                    "channel-name",
                    "zuozhe",
                    "bianji",
                    "xiaobian",
                    "submitted-by",
                    "posted-by",
                    "journalist-name",
                ),
            ),
        ),
        ("a", "div", "h3", "h4", "p", "span"),
    ),
    (
        (
            ("data-component", (), ("Byline",)),
            ("itemprop", (), ("author",)),
            ("id", (), ("Author", "author")),
            ("class", (), ("Author", "author", "screenname", "writer", "Byline", "byline")),
        ),
    ),
)
"""(tests, tags, extra, untagged) of each byline XPath, see ``_elements_with``."""
BYLINE_XPATHS: Final = tuple(_elements_with(*selection) for selection in _BYLINE_SELECTIONS)
_BYLINE_VALUES: Final = {
    value
    for tests, *_ in _BYLINE_SELECTIONS
    for _attribute, equal, contained in tests
    for value in (*equal, *contained)
}
_BYLINE_STRINGS: Final = tuple(
    sorted(
        (v for v in _BYLINE_VALUES if not any(o != v and o in v for o in _BYLINE_VALUES)),
        key=lambda v: (v != "author", v),
    )
)
"""The attribute values the byline XPaths test, each left out when a shorter one is part of it;
"author" first: most pages spell it (``<meta name="author">``), so the search stops there
instead of scanning the whole page for the rarer ones first (0.29 -> 0.14 ms a call, eval set).
A byline XPath selects nothing unless the page's HTML spells one of them (tests are
case-sensitive ``contains()``/``=``) or holds a ``<rel>`` element (``//author`` elements spell
"author"). 143 of 990 trafilatura-eval pages and 42 of the 48 constructed Arabic pages spell
none: the search (2.3 ms a page where it runs) is skipped for 0.1-0.3 ms of string tests. An
attribute written with character references (``&#97;uthor``) would be missed; none of the
1,219 bench pages has one."""
_REL_ELEMENT: Final = re.compile(r"<rel\b", re.IGNORECASE)


def _may_name_author(source: str) -> bool:
    return any(value in source for value in _BYLINE_STRINGS) or bool(_REL_ELEMENT.search(source))


def _byline(tree: etree._Element, source: str | None = None) -> str | None:
    if source is not None and not _may_name_author(source):
        return None
    found = trafilatura_metadata.extract_metainfo(tree, list(BYLINE_XPATHS), len_limit=120)
    return normalize_authors(None, found) if found else None


def _lang_attribute(tree: etree._Element) -> str | None:
    root = tree.getroottree().getroot()
    value = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None
