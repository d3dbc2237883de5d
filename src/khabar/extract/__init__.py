"""Page extraction: page HTML (+ feed entry) -> ``ExtractedArticle``; the sanitizing policy."""

from khabar.extract.article import extract_article, fallback_from_entry
from khabar.extract.sanitize import sanitize_html
from khabar.extract.text import paragraphs_from_html
from khabar.extract.textmode import clean_text

__all__ = [
    "clean_text",
    "extract_article",
    "fallback_from_entry",
    "paragraphs_from_html",
    "sanitize_html",
]
