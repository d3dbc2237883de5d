"""Light stemming of Arabic words for search.

:func:`stem` takes one token in the ``stem`` normalization profile (see
:mod:`khabar.arabic.normalize`) and returns its light stem: proclitics stripped
(:func:`~khabar.arabic.proclitics.strip_proclitics`), then suffixes (plural, dual, feminine,
nisba, a few pronouns and the tanween alef of هاتفاً). Infixes and the م/ت/ي/ن prefixes of
derived forms are never touched, so كتاب/مكتب/كاتب and علم/عالم/معلم stay apart. Tokens that
are not Arabic words (Latin, digits) come back unchanged: the normalizer already lowercased
them, and no Arabic rule applies to them.

Why not Snowball Arabic (PyStemmer)? Measured on the variant table in
``tests/unit/search/test_variant_recall.py``, it misses chains and strips root letters
(فلسطين → لسط, وزارة → زار, والمدرسة → والمدرس, القاهره ≠ القاهرة); see that test's docstring
for the numbers. The light stemmer here passes the whole table and the negative table.
"""

from __future__ import annotations

import functools
from typing import Final

from khabar.arabic.proclitics import strip_proclitics, strip_suffixes

__all__ = ["CACHE_SIZE", "is_arabic_word", "stem"]

CACHE_SIZE: Final = 200_000
"""Distinct words whose stems are remembered (news text repeats words heavily)."""


def is_arabic_word(token: str) -> bool:
    """True when ``token`` starts with an Arabic letter (ء … ي)."""
    return "\u0621" <= token[:1] <= "\u064a"


def stem(token: str) -> str:
    """The light stem of a ``stem``-normalized token; non-Arabic tokens are returned as is."""
    if not is_arabic_word(token):
        return token
    return _light_stem(token)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _light_stem(word: str) -> str:
    return strip_suffixes(strip_proclitics(word))
