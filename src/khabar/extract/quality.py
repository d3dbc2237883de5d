"""When a page is not worth keeping as an article: the checks, as data, with their evidence.

Each check returns a reason (shown to the operator as ``ExtractedArticle.error``) or None.
Evidence for the thresholds (``bench/extraction.py``, scrapinghub AEB, 181 real article pages):
the shortest real body Khabar extracts there is far above ``MIN_TEXT_CHARS`` and the highest
link share of a real body is far below ``MAX_LINK_SHARE``; a 12-link menu page is 1.0.
"""

from __future__ import annotations

from typing import Final

from khabar.extract.body import Body

__all__ = ["MAX_LINK_SHARE", "MIN_TEXT_CHARS", "page_problem", "rejection_reason"]

MIN_TEXT_CHARS: Final = 120
"""Less body text than this is a teaser, a menu or an error page, not an article."""

MAX_LINK_SHARE: Final = 0.6
"""A body whose text is mostly link text is a menu, a tag cloud or an index page."""

_SNIFF_CHARS: Final = 1024


def page_problem(markup: str) -> str | None:
    """Why ``markup`` is not an HTML page at all, or None."""
    head = markup[:_SNIFF_CHARS]
    if not markup.strip():
        return "page was empty"
    if head.lstrip().startswith("%PDF"):
        return "page is not HTML (a PDF document)"
    if "\x00" in head:
        return "page is not HTML (binary content)"
    if "<" not in head and "<" not in markup:
        return "page is not HTML (no markup at all)"
    return None


def rejection_reason(body: Body) -> str | None:
    """Why the extracted ``body`` is not an article, or None when it is one."""
    if body.chars < MIN_TEXT_CHARS:
        return (
            f"page had too little article text ({body.chars} characters, "
            f"fewer than {MIN_TEXT_CHARS})"
        )
    if body.link_share > MAX_LINK_SHARE:
        return (
            f"page text was mostly links ({body.link_share:.0%} of it), "
            "a menu or index page rather than an article"
        )
    return None
