"""Split text into tokens: Arabic words, other-script words, numbers and URLs.

Works on raw text (the snippet builder finds the original words with :data:`WORD_PATTERN`) and
on normalized text (the analyzer). Rules:

- An Arabic word is a run of Arabic letters together with the harakat, Quranic marks, tatweel
  and zero-width joiners written inside it: a word is never split at a short vowel.
- A word in another script is a run of letters and digits (``covid19``, ``g20``, ``mp3``).
- A number is a run of digits (any script) with inner ``.`` ``,`` ``٫`` ``٬`` separators, so
  ``3.5``, ``1,000`` and ``٣٫٥`` are one token each. Digits glued to Arabic letters are split
  from them (``2024م`` → ``2024`` ``م``), since ``م``/``هـ`` mark the calendar, not the word.
- Hashtags and mentions lose their sign and split at ``_``: ``#عاصي_الحلاني`` → ``عاصي``
  ``الحلاني``.
- A URL (``http://…``, ``https://…``, ``www.…``) is ONE token; :func:`is_url` tells it apart.
  The search analyzer drops URL tokens (a link in a body is noise, and slugs would otherwise
  add every word of another article's title); :func:`tokenize` keeps them.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["URL_PATTERN", "WORD_PATTERN", "is_url", "tokenize"]

_ARABIC_LETTERS: Final = (
    "\u0621-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdff\ufe70-\ufefc"
)
_ARABIC_INNER: Final = (
    _ARABIC_LETTERS
    + "\u0610-\u061a\u0640\u064b-\u065f\u0670\u0674\u06d6-\u06ed\u08ca-\u08ff\u200c\u200d"
)
# A word character that is neither a digit, nor "_", nor Arabic (letters of other scripts).
_OTHER_LETTER: Final = rf"[^\W\d_{_ARABIC_LETTERS}\u0600-\u06ff]"
_OTHER_INNER: Final = rf"(?:[^\W_{_ARABIC_LETTERS}\u0600-\u06ff]|[\u0300-\u036f])"

_URL: Final = r"(?:https?://|www\.)[^\s<>\"«»]*[^\s<>\"«».,;:!?)\]}'،؛؟]"
_NUMBER: Final = r"\d+(?:[.,\u066b\u066c]\d+)*"
_ARABIC_WORD: Final = rf"[{_ARABIC_LETTERS}][{_ARABIC_INNER}]*"
_OTHER_WORD: Final = rf"{_OTHER_LETTER}{_OTHER_INNER}*"

URL_PATTERN: Final = re.compile(_URL, re.IGNORECASE)
WORD_PATTERN: Final = re.compile(f"{_URL}|{_NUMBER}|{_ARABIC_WORD}|{_OTHER_WORD}", re.IGNORECASE)
"""One token: a URL, a number, an Arabic word or a word in another script (in that order)."""


def tokenize(text: str) -> list[str]:
    """Tokens of ``text`` in order (URLs included, see :func:`is_url`)."""
    return WORD_PATTERN.findall(text)


def is_url(token: str) -> bool:
    """True for a token that :data:`WORD_PATTERN` matched as a URL."""
    return URL_PATTERN.fullmatch(token) is not None
