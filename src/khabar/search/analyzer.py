"""The analyzer: text → indexed terms. Index and query use the same function.

Swapping in a better analyzer (stemming, stopwords) means changing this module and
re-indexing; the search backends only see the terms.
"""

from __future__ import annotations

from khabar.arabic.normalize import normalize
from khabar.arabic.tokenize import tokenize

__all__ = ["analyze", "query_terms"]


def analyze(text: str) -> list[str]:
    """Terms to index for ``text``."""
    return tokenize(normalize(text, "search"))


def query_terms(query: str) -> list[str]:
    """Distinct terms of a user query, in order."""
    return list(dict.fromkeys(analyze(query)))
