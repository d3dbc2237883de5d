"""Arabic stopwords: function words plus news-reporting verbs, shipped as data.

The lists (``data/arabic/stopwords.txt`` and ``news_stopwords.txt``) hold words as usually
spelled; the loader normalizes them (``stem`` profile, then ة → ه) and adds the forms with a
و or ف conjunction in front (وفي، فإن، وقال …). Lookups take a word in the same normalized
form (:func:`is_stopword`), or a raw word (:func:`is_stopword_text`).

Policy (see :mod:`khabar.search.analyzer`): stopwords stay in the search index, so phrase
search sees every word; only queries drop them, when the query has other words.
"""

from __future__ import annotations

import functools

from khabar.arabic.affixes import read_data_lines
from khabar.arabic.normalize import fold_after_stem, normalize

__all__ = ["LISTS", "is_stopword", "is_stopword_text", "stopwords"]

LISTS = ("stopwords.txt", "news_stopwords.txt")
_CLITICS = ("", "و", "ف")


@functools.cache
def stopwords() -> frozenset[str]:
    """Every stopword, normalized, with its و/ف clitic forms."""
    words = {
        fold_after_stem(normalize(word, "stem"))
        for name in LISTS
        for line in read_data_lines(name)
        for word in line.split()
    }
    return frozenset(clitic + word for word in words for clitic in _CLITICS)


def is_stopword(token: str) -> bool:
    """True for a ``stem``-normalized token (ة may be folded or not) that is a stopword."""
    return fold_after_stem(token) in stopwords()


def is_stopword_text(word: str) -> bool:
    """True for a raw word (any spelling, with or without harakat) that is a stopword."""
    return is_stopword(normalize(word, "stem"))
