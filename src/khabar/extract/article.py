"""Page HTML (+ the feed entry) -> ``ExtractedArticle``: one parse, one trafilatura pass.

Bad pages never raise: an empty, non-HTML, unreadable or article-less page gives the feed
entry's own title and summary back, with ``error`` saying why the page was not used.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from types import MappingProxyType
from typing import Any, Final

import nh3
import trafilatura
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from trafilatura.settings import Document

from khabar.arabic.langid import MAX_CHARS, detect_language
from khabar.extract.body import Body, read_body
from khabar.extract.embeds import take_embeds
from khabar.extract.furniture import Furniture, take_furniture
from khabar.extract.metadata import PageMetadata, read_page_metadata
from khabar.extract.quality import page_problem, rejection_reason
from khabar.extract.rules import load_rules
from khabar.extract.sanitize import sanitize_html
from khabar.extract.text import paragraphs_from_html
from khabar.types import Embed, ExtractedArticle, FeedEntry

__all__ = [
    "NOTHING_EXTRACTED",
    "NOT_PARSED",
    "TRAFILATURA_OPTIONS",
    "extract_article",
    "fallback_from_entry",
]

TRAFILATURA_OPTIONS: Final[MappingProxyType[str, Any]] = MappingProxyType(
    {
        "with_metadata": False,  # read once, cheaply, by metadata.read_page_metadata
        "include_comments": False,
        "include_formatting": True,
        "include_links": True,
        "include_images": False,  # the lead image comes from metadata; inline images cost F1
        "include_tables": True,
        "favor_precision": True,  # AEB: P 0.963 R 0.972 F1 0.963 vs balanced F1 0.958
        "output_format": "xml",  # keeps the body tree, skips the unused plain-text rendering
    }
)

ESCALATION_MAX_CHARS: Final = 3000
ESCALATION_PAGE_SHARE: Final = 0.2
ESCALATION_ACCEPT_RATIO: Final = 1.5
ESCALATION_MIN_KEPT: Final = 0.8
"""trafilatura's own under-extraction rule (``core.trafilatura_sequence``, stage 4), which it
skips in precision mode: a non-empty body shorter than ``ESCALATION_MAX_CHARS`` covering less than
``ESCALATION_PAGE_SHARE`` of the page text is extracted again in balanced mode, and the retry
wins when its text outside headings is ``ESCALATION_ACCEPT_RATIO`` times longer and it still
holds ``ESCALATION_MIN_KEPT`` of the precise body's words (more of the article, not another block).

Evidence (bench/extraction.py, 2026-11-27): on AEB 17 of 181 pages are retried and 2 change,
both for the better (a paywall teaser layout: 261 characters in precision mode, 3,146 balanced,
page F1 0.00 -> 0.86; a market report whose linked figures precision mode cut out, 0.64 ->
1.00); AEB F1 0.962 -> 0.969. Counting headings in the ratio, a third page got worse (a teaser
whose retry only added the headline and standfirst). trafilatura's eval set (990 pages): 31
pages change; "with" snippets found 0.915 -> 0.924, "without" snippets absent 0.924 -> 0.919,
F1 0.919 -> 0.922; without the kept-words test two pages lost all their "with" snippets."""

NOTHING_EXTRACTED: Final = "page had no extractable article text (trafilatura returned nothing)"
NOT_PARSED: Final = "page is not HTML (lxml could not build a document from it)"

# What a hostile or broken page can make trafilatura/lxml raise; anything else is a bug.
_PAGE_FAILURES: Final = (etree.LxmlError, RecursionError, ValueError, UnicodeError)


def extract_article(html: str, url: str, entry: FeedEntry | None = None) -> ExtractedArticle:
    """The article in page ``html`` fetched from ``url``; the entry's text when the page fails."""
    problem = page_problem(html)
    if problem is not None:
        return fallback_from_entry(entry, url, problem)
    found = _extract(html, url, entry)
    if isinstance(found, str):
        return fallback_from_entry(entry, url, found)
    return _article(*found, url, entry)


def fallback_from_entry(entry: FeedEntry | None, url: str, reason: str) -> ExtractedArticle:
    """The feed entry's own title and summary as an article, marked with ``error=reason``."""
    if entry is None:
        return ExtractedArticle(url=url, title=None, paragraphs=(), error=reason)
    summary = entry.summary or ""
    paragraphs = paragraphs_from_html(summary)
    return ExtractedArticle(
        url=url,
        title=entry.title,
        paragraphs=paragraphs,
        html=_summary_html(summary, paragraphs, url),
        author=entry.author,
        published=entry.published,
        updated=entry.updated,
        image=entry.image,
        language=detect_language(_sample(paragraphs)) or entry.language,
        error=reason,
    )


_Found = tuple[PageMetadata, Body, Furniture, tuple[Embed, ...]]


def _extract(html: str, url: str, entry: FeedEntry | None) -> _Found | str:
    """The page's metadata, article body, furniture and embeds, or why there is no body.

    Embeds and furniture are read from the parsed tree and removed from it before trafilatura
    runs on the same tree, so neither is ever part of the body.
    """
    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            return NOT_PARSED
        page = read_page_metadata(tree, url, entry)
        rules = load_rules()
        embeds = tuple(take_embeds(tree, url, rules))
        furniture = take_furniture(tree, url, rules, page.tags)
        document = _body_document(tree)
        if document is None:
            return NOTHING_EXTRACTED
        body = read_body(document.body, url, title=page.title or (entry.title if entry else None))
    except _PAGE_FAILURES as err:
        return f"page could not be parsed ({type(err).__name__}: {err})"
    reason = rejection_reason(body)
    return reason if reason is not None else (page, body, furniture, embeds)


def _body_document(tree: etree._Element) -> Document | None:
    """trafilatura's body of ``tree`` in precision mode, or balanced when that under-extracts.

    ``bare_extraction`` copies a tree it is given before pruning, so the retry runs on the same
    furniture-free tree, with no second parse.
    """
    document = _bare(tree, favor_precision=True)
    found = _text_chars(document)
    if not 0 < found < ESCALATION_MAX_CHARS:  # nothing found stays nothing: a menu page
        return document
    if found >= ESCALATION_PAGE_SHARE * _page_chars(tree):
        return document
    retry = _bare(tree, favor_precision=False)  # trafilatura works on its own copy
    if retry is None or _text_chars(retry) < ESCALATION_ACCEPT_RATIO * found:
        return document
    return retry if _kept_share(document, retry) >= ESCALATION_MIN_KEPT else document


def _kept_share(document: Document | None, retry: Document) -> float:
    """Share of the precise body's words that the retry holds too (1.0 when it had none)."""
    precise = Counter(" ".join(document.body.itertext()).split()) if document else Counter()
    total = sum(precise.values())
    if not total:
        return 1.0
    kept = precise & Counter(" ".join(retry.body.itertext()).split())
    return sum(kept.values()) / total


# The page's visible text. trafilatura measures it with ``baseline.html2txt``, which copies and
# cleans the whole tree first: 4.8 ms a page on AEB against 1.4 ms for this. This count also
# holds the text of asides and footers, so more pages are retried (17 of 181 on AEB)
# and the acceptance ratio decides; by estimate the retries cost about what html2txt did.
# Plain strings (``smart_strings=False``): no parent link kept per node, 1.6 -> 1.0 ms a page.
_PAGE_TEXT: Final = etree.XPath(
    "//body//text()[not(parent::script or parent::style or parent::noscript or parent::template)]",
    smart_strings=False,
)


def _page_chars(tree: etree._Element) -> int:
    return sum(len(part.strip()) for part in _PAGE_TEXT(tree))


def _bare(tree: etree._Element | None, *, favor_precision: bool) -> Document | None:
    """trafilatura's body, its links left relative: ``sanitize_html`` resolves the few links of
    the final body on the page URL, where trafilatura would resolve every link of the page with
    courlan (0.9-2.0 ms a page on AEB; bare ``extract`` drops links and never pays it)."""
    if tree is None:
        return None
    options = {**TRAFILATURA_OPTIONS, "favor_precision": favor_precision}
    document = trafilatura.bare_extraction(tree, **options)
    if not isinstance(document, Document) or document.body is None:
        return None
    return document


def _text_chars(document: Document | None) -> int:
    """Characters of body text outside headings (a retry that only adds the headline and the
    standfirst of a paywalled teaser has not found more of the article)."""
    if document is None:
        return 0
    total = sum(len(part.strip()) for part in document.body.itertext())
    return total - sum(
        len(part.strip()) for h in document.body.iter("head") for part in h.itertext()
    )


def _article(
    page: PageMetadata,
    body: Body,
    furniture: Furniture,
    embeds: tuple[Embed, ...],
    url: str,
    entry: FeedEntry | None,
) -> ExtractedArticle:
    feed = entry or FeedEntry(url=url)  # an empty entry: every feed value is None
    return ExtractedArticle(
        url=url,
        title=page.title or feed.title,
        paragraphs=body.paragraphs,
        html=body.html,
        author=page.author or feed.author,
        published=feed.published or page.published,
        updated=feed.updated,
        image=page.image or feed.image,
        canonical_url=page.canonical_url,
        language=detect_language(_sample(body.paragraphs)) or page.language or feed.language,
        site_name=page.site_name,
        tags=furniture.tags,
        attribution=body.attribution,
        read_also=furniture.read_also,
        related=furniture.related,
        embeds=embeds,
    )


def _sample(paragraphs: tuple[str, ...]) -> str:
    """The first ``MAX_CHARS`` characters of the text, without joining all of it."""
    taken: list[str] = []
    size = 0
    for paragraph in paragraphs:
        if size >= MAX_CHARS:
            break
        taken.append(paragraph)
        size += len(paragraph) + 1
    return " ".join(taken)[:MAX_CHARS]


def _summary_html(summary: str, paragraphs: tuple[str, ...], url: str) -> str:
    if nh3.is_html(summary):
        return sanitize_html(summary, url)
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
