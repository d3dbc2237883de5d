"""Social posts and media embedded in a page -> ``Embed`` items, taken out of the page tree.

The selectors per kind are data (``data/extract/embeds.toml``). A tweet keeps its text, the
author's handle, its date and language (the standard embed code: ``<blockquote
class="twitter-tweet"><p lang="ar">…</p>— Name (@handle) <a href=".../status/ID">March 5,
2024</a></blockquote>``); YouTube, Instagram and Facebook keep their URL (and caption/title).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final
from urllib.parse import parse_qs, urlsplit

from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv

from khabar.extract.metadata import absolute_http_url
from khabar.extract.rules import Rules, fold, load_rules
from khabar.extract.tree import remove_keeping_tail, text_of
from khabar.types import Embed, EmbedKind

__all__ = ["parse_post_date", "take_embeds"]

_HANDLE: Final = re.compile(r"\(@([A-Za-z0-9_.]{1,30})\)|@([A-Za-z0-9_.]{1,30})")
_DAY_MONTH_YEAR: Final = re.compile(r"(\d{1,2})\s+(\D+?)\s*,?\s+(\d{4})")
_MONTH_DAY_YEAR: Final = re.compile(r"(\D+?)\s+(\d{1,2})\s*,?\s+(\d{4})")
_YOUTUBE_ID: Final = re.compile(r"/embed/([A-Za-z0-9_-]{6,20})")
_KINDS: Final[tuple[EmbedKind, ...]] = ("tweet", "instagram", "facebook", "youtube")


def take_embeds(tree: etree._Element, base_url: str, rules: Rules | None = None) -> list[Embed]:
    """The embeds of ``tree`` in document order; their elements are removed from it."""
    rules = rules or load_rules()
    found = [
        (elem, _READERS[kind](elem, base_url, rules))
        for kind in _KINDS
        for elem in tree.xpath(rules.embed_selectors[kind])
    ]
    if len(found) > 1:
        order = {elem: i for i, elem in enumerate(_candidates(tree, rules))}
        found.sort(key=lambda item: order.get(item[0], 0))
    for elem, _ in found:
        remove_keeping_tail(elem)
    return [embed for _, embed in found]


def _candidates(tree: etree._Element, rules: Rules) -> list[etree._Element]:
    union = " | ".join(rules.embed_selectors[kind] for kind in _KINDS)
    result: list[etree._Element] = tree.xpath(union)  # XPath unions come in document order
    return result


def parse_post_date(text: str, rules: Rules | None = None) -> date | None:
    """ "March 5, 2024", "5 مارس 2024", "٥ آذار ٢٠٢٤" -> a date; None when unreadable."""
    rules = rules or load_rules()
    folded = fold(text)
    for pattern, day_at, month_at in ((_DAY_MONTH_YEAR, 1, 2), (_MONTH_DAY_YEAR, 2, 1)):
        match = pattern.search(folded)
        if match is None:
            continue
        month = rules.months.get(match.group(month_at).strip())
        if month is None:
            continue
        try:
            return date(int(match.group(3)), month, int(match.group(day_at)))
        except ValueError:
            return None
    return None


def _tweet(elem: etree._Element, base_url: str, rules: Rules) -> Embed:
    paragraph = next(iter(elem.iter("p")), None)
    status = [a for a in elem.iter("a") if "/status/" in (a.get("href") or "")]
    link = status[-1] if status else None
    url = absolute_http_url(link.get("href"), base_url) if link is not None else None
    return Embed(
        kind="tweet",
        url=url.split("?")[0] if url else None,
        text=text_of(paragraph) if paragraph is not None else "",
        author=_handle(text_of(elem)) or _handle_from_url(url),
        published=parse_post_date(text_of(link), rules) if link is not None else None,
        language=_language(paragraph if paragraph is not None else elem) or elem.get("data-lang"),
    )


def _instagram(elem: etree._Element, base_url: str, rules: Rules) -> Embed:
    url = elem.get("data-instgrm-permalink") or next(
        (a.get("href") for a in elem.iter("a") if "instagram.com" in (a.get("href") or "")), None
    )
    caption = " ".join(text_of(p) for p in elem.iter("p")).strip()
    resolved = absolute_http_url(url, base_url)
    return Embed(
        kind="instagram",
        url=resolved.split("?")[0] if resolved else None,
        text=caption,
        author=_handle(caption),
    )


def _facebook(elem: etree._Element, base_url: str, rules: Rules) -> Embed:
    url = elem.get("data-href")
    if url is None and elem.get("src"):
        url = parse_qs(urlsplit(elem.get("src")).query).get("href", [None])[0]
    return Embed(kind="facebook", url=absolute_http_url(url, base_url), text=text_of(elem))


def _youtube(elem: etree._Element, base_url: str, rules: Rules) -> Embed:
    match = _YOUTUBE_ID.search(elem.get("src") or "")
    url = f"https://www.youtube.com/watch?v={match.group(1)}" if match else None
    return Embed(kind="youtube", url=url, text=" ".join((elem.get("title") or "").split()))


_READERS: Final = {
    "tweet": _tweet,
    "instagram": _instagram,
    "facebook": _facebook,
    "youtube": _youtube,
}


def _handle(text: str) -> str | None:
    match = _HANDLE.search(text)
    return (match.group(1) or match.group(2)) if match else None


def _handle_from_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return parts[0] if len(parts) >= 3 and parts[1] == "status" else None


def _language(elem: etree._Element) -> str | None:
    value = (elem.get("lang") or "").strip().lower()
    return value.split("-")[0] or None
