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
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from trafilatura.external import SANITIZED_XPATH
from trafilatura.settings import DEFAULT_CONFIG, Document

from khabar.arabic.langid import MAX_CHARS, detect_language
from khabar.extract.body import Body, read_body
from khabar.extract.embeds import take_embeds
from khabar.extract.furniture import Furniture, take_furniture
from khabar.extract.metadata import PageMetadata, read_page_metadata
from khabar.extract.precision import PrecisionPass, balanced_options, precision_options
from khabar.extract.quality import page_problem, rejection_reason
from khabar.extract.rules import load_rules
from khabar.extract.sanitize import sanitize_html
from khabar.extract.text import paragraphs_from_html
from khabar.extract.tree import parse_page, text_of
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

_FAST_PRECISION: Final = precision_options(TRAFILATURA_OPTIONS, fast=True)
_FULL_PRECISION: Final = precision_options(TRAFILATURA_OPTIONS, fast=False)
_BALANCED: Final = balanced_options(TRAFILATURA_OPTIONS)

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

FAST_PAGE_SHARE: Final = 0.25
"""The precision pass runs in trafilatura's fast mode first (no readability/jusText comparison:
12.5 against 22.9 ms a page on AEB). The comparison can only change that body when trafilatura's
own tests would call it in: the body is short (``MIN_EXTRACTED_SIZE``), holds "unclean" elements
(``SANITIZED_XPATH``), has no paragraph text or more tables than paragraphs, or readability finds
twice its text, which needs more than half of the page's text while the body holds
``FAST_PAGE_SHARE`` of it. Fast mode also keeps teaser-class blocks when it recovers loose text:
a body holding text of a teaser-class element is not taken either. In all these cases the full
pass runs. Evidence (bench/extraction.py pages, 2026-11-27): the fast body is taken on 151 of
181 AEB pages, 748 of 990 trafilatura-eval pages and all 48 constructed Arabic pages, and every
field of every extracted article is the same as with the full pass alone. With 0.2, two eval
pages changed (shares 0.21 and 0.24, readability's longer text lost): 0.25 was chosen on them."""

_MIN_EXTRACTED_SIZE: Final = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")
_PARAGRAPH_TEXT: Final = etree.XPath(".//p//text()")
_UNCLEAN: Final = etree.XPath(SANITIZED_XPATH)
_TEASERS: Final = etree.XPath(
    "//@class[contains(translate(., 'T', 't'), 'teaser')]/.."
    " | //@id[contains(translate(., 'T', 't'), 'teaser')]/.."
)
"""trafilatura's ``TEASER_DISCARD_XPATH`` test, on any element (a superset). A page whose HTML
never spells "teaser"/"Teaser" has none (``_teaser_free``, a string search; 3 of 4 eval-set
pages, where the XPath test averaged 0.6 ms a page). Two ``in`` tests: 0.12 ms a page on the
eval set, where the regex ``[tT]easer`` took 0.7 ms."""


def _teaser_free(html: str) -> bool:
    return "teaser" not in html and "Teaser" not in html


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
        tree = parse_page(html)
        if tree is None:
            return NOT_PARSED
        page = read_page_metadata(tree, url, entry, source=html)
        rules = load_rules()
        embeds = tuple(take_embeds(tree, url, rules))
        furniture = take_furniture(tree, url, rules, page.tags)
        document = _body_document(tree, teaser_free=_teaser_free(html))
        if document is None:
            return NOTHING_EXTRACTED
        body = read_body(document.body, url, title=page.title or (entry.title if entry else None))
    except _PAGE_FAILURES as err:
        return f"page could not be parsed ({type(err).__name__}: {err})"
    reason = rejection_reason(body)
    return reason if reason is not None else (page, body, furniture, embeds)


def _body_document(tree: etree._Element, *, teaser_free: bool = False) -> Document | None:
    """trafilatura's body of ``tree`` in precision mode, or balanced when that under-extracts.

    ``tree`` is handed over: the precision pass prunes it in place (see ``precision``), so what
    the decisions read from the page as it is (its text size, its teasers) is read first. The
    retry starts from the tree the precision pass pruned; neither mode parses the page again.
    """
    page_chars = _page_chars(tree)
    teasers = None if teaser_free else _teaser_texts(tree)
    run = PrecisionPass(
        tree,
        _FAST_PRECISION,
        _FULL_PRECISION,
        teaser_free=teaser_free,
        balanced=_BALANCED,
        owned=True,
    )
    document = _precise(run, page_chars, teasers)
    found = _text_chars(document)
    if not 0 < found < ESCALATION_MAX_CHARS:  # nothing found stays nothing: a menu page
        return document
    if found >= ESCALATION_PAGE_SHARE * page_chars:
        return document
    retry = _retry(run)
    if retry is None or _text_chars(retry) < ESCALATION_ACCEPT_RATIO * found:
        return document
    return retry if _kept_share(document, retry) >= ESCALATION_MIN_KEPT else document


def _precise(run: PrecisionPass, page_chars: int, teasers: list[str] | None) -> Document | None:
    """The precision-mode body: fast mode's, unless the comparison could change it (then the
    comparison runs on the trees the fast pass prepared, see ``precision``)."""
    fast = run.fast
    if fast is not None and _comparison_moot(fast, page_chars, teasers):
        return fast
    return run.full()


def _retry(run: PrecisionPass) -> Document | None:
    """The balanced-mode body of the page ``run`` read in precision mode."""
    return run.balanced()


def _comparison_moot(document: Document, page_chars: int, teasers: list[str] | None) -> bool:
    """Whether trafilatura's readability/jusText comparison would keep ``document`` as it is.

    ``page_chars``: the page's text size; ``teasers``: the texts of its teaser-class elements,
    None when the page is known to hold none."""
    body, size = document.body, len(document.raw_text or "")
    if size < _MIN_EXTRACTED_SIZE or _UNCLEAN(body) or not _PARAGRAPH_TEXT(body):
        return False
    if len(body.findall(".//table")) > len(body.findall(".//p")):
        return False
    if size < FAST_PAGE_SHARE * page_chars:
        return False
    return not teasers or not _holds_teaser_text(body, teasers)


def _teaser_texts(tree: etree._Element) -> list[str]:
    return [text for elem in _TEASERS(tree) if (text := text_of(elem))]


def _holds_teaser_text(body: etree._Element, teasers: list[str]) -> bool:
    """Whether a block of ``body`` is text of one of the page's ``teasers``."""
    blocks = [text for b in body.iter("p", "head", "item", "quote", "cell") if (text := text_of(b))]
    return any(block in teaser for block in blocks for teaser in teasers)


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
# Counted as all the body's text (``itertext``, in C) less the text whose parent is script-like:
# the same number as the XPath ``//body//text()[not(parent::script or …)]`` on all 1,219 AEB,
# eval and constructed Arabic pages; 1.4 -> 1.05 ms a page on the eval set (it now runs on most
# pages, see ``FAST_PAGE_SHARE``).
_HIDDEN_TEXT: Final = ("script", "style", "noscript", "template")


def _page_chars(tree: etree._Element) -> int:
    total = 0
    for body in tree.iter("body"):
        total += sum(map(len, map(str.strip, body.itertext())))
        for hidden in body.iter(_HIDDEN_TEXT):
            total -= len((hidden.text or "").strip())
            total -= sum(len((child.tail or "").strip()) for child in hidden)
    return total


def _text_chars(document: Document | None) -> int:
    """Characters of body text outside headings (a retry that only adds the headline and the
    standfirst of a paywalled teaser has not found more of the article)."""
    if document is None:
        return 0
    body = document.body
    total = sum(map(len, map(str.strip, body.itertext())))
    return total - sum(sum(map(len, map(str.strip, h.itertext()))) for h in body.iter("head"))


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
