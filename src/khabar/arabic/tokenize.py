"""Split normalized text into word tokens (Arabic, Latin and digits alike).

Runs on text already normalized with the ``search`` profile, where harakat are gone, so a
word is never split at a short vowel.
"""

from __future__ import annotations

import re

__all__ = ["WORD_PATTERN", "tokenize"]

# Letters/digits of any script plus the combining marks that belong to a word.
WORD_PATTERN = re.compile(r"[^\W_][\w\u064B-\u065F\u0670]*", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Word tokens of ``text`` in order."""
    return WORD_PATTERN.findall(text)
