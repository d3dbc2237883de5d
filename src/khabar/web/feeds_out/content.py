"""The HTML body of a feed item: the lead, the credit to the original outlet, and the links.

Feeds carry the lead, never the whole text: the text belongs to the outlet, and the reader
follows the link to read it there (or in Khabar). Every piece of article data is escaped
here; the writers then escape the whole fragment once more as XML text (``type="html"``).
"""

from __future__ import annotations

from html import escape
from typing import Final

from khabar.types import Article
from khabar.web.format import SOURCES, arabic_count, lead_text

__all__ = ["LEAD_LIMIT", "content_html"]

LEAD_LIMIT: Final = 600  # characters of the lead in an item's summary and content


def content_html(article: Article, *, url: str, page_url: str, outlet: str) -> str:
    """``<p>`` paragraphs: lead, "نُشر أولاً في …", other outlets' copies, read-more links."""
    lang = escape(article.language or "ar")
    parts: list[str] = []
    lead = lead_text(article, LEAD_LIMIT)
    if lead:
        parts.append(f'<p lang="{lang}" dir="auto">{escape(lead)}</p>')
    if article.original_outlet:
        credit = escape(article.original_outlet)
        parts.append(f'<p lang="ar" dir="rtl">نُشر أولاً في <bdi>{credit}</bdi>.</p>')
    if article.copies > 0:
        others = arabic_count(article.copies, SOURCES)
        parts.append(f'<p lang="ar" dir="rtl">نشرته مصادر أخرى أيضاً: +{others}.</p>')
    parts.append(
        f'<p lang="ar" dir="rtl"><a href="{escape(url)}">اقرأ الخبر في '
        f'<bdi>{escape(outlet)}</bdi></a> · <a href="{escape(page_url)}">اقرأه في خبر</a></p>'
    )
    return "\n".join(parts)
