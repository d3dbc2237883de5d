"""The analyzer: text → indexed terms. Index and query use the same function.

``analyze`` = normalize (``stem`` profile) → tokenize → drop URLs → light-stem each Arabic
word → fold ة → ه (the ``search`` profile's last step, applied after stemming so the
stemmer sees ة). Latin words are only lowercased; numbers keep their decimal point and lose
thousands commas (``١٬٠٠٠`` = ``1,000`` = ``1000``; ``٣٫٥`` = ``3.5``).

Stopwords stay in the index (phrase search needs every position); :func:`query_terms` drops
them from a query that has other terms, and keeps them when the query is only stopwords.

Bump :data:`ANALYZER_VERSION` whenever the terms produced for some text change: search
backends store the version they indexed with and rebuild their index when it differs.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from khabar.arabic.normalize import fold_after_stem, normalize
from khabar.arabic.stem import CACHE_SIZE, stem
from khabar.arabic.stopwords import is_stopword
from khabar.arabic.tokenize import is_url, tokenize

__all__ = ["ANALYZER_VERSION", "analyze", "query_terms", "term"]

ANALYZER_VERSION: Final = 2
"""1: normalize + tokenize only. 2: light stemming, hamza seats, numbers, URLs dropped."""

_THOUSANDS: Final = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def analyze(text: str) -> list[str]:
    """Terms to index for ``text``, in order (one term per word; URLs dropped)."""
    return [t for t in map(_term_or_empty, tokenize(normalize(text, "stem"))) if t]


def _tokens(text: str) -> list[str]:
    return [t for t in tokenize(normalize(text, "stem")) if not is_url(t)]


def term(token: str) -> str:
    """The indexed term of one ``stem``-normalized token ("" for a URL)."""
    return _term_or_empty(token)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _term_or_empty(token: str) -> str:
    if token[0].isdigit():
        return token.replace(",", "") if _THOUSANDS.fullmatch(token) else token
    if is_url(token):
        return ""
    return fold_after_stem(stem(token))


def query_terms(query: str) -> list[str]:
    """Distinct terms of a user query, in order; stopwords dropped if other terms remain."""
    tokens = _tokens(query)
    content = [t for t in tokens if not is_stopword(t)]
    return list(dict.fromkeys(term(t) for t in content or tokens))
