"""Arabic text normalization: one table-driven function used everywhere.

Profiles (each one includes everything the lighter one does):

- ``display``: light and lossless for reading. Removes zero-width and bidi controls and
  tatweel, and turns Arabic *presentation forms* (legacy glyph code points such as ﻻ ﺍ ﻡ) into
  the plain letters they stand for. Harakat, hamza, digits and case are kept.
- ``stem``: what the stemmer reads. NFKC (compatibility forms, ligatures), harakat and Quranic
  marks stripped, alef forms أ إ آ ٱ ٲ ٳ → ا, hamza seats folded (below), ى → ي, Arabic-Indic
  and Persian digits → ASCII, Arabic decimal separator ٫ → ``.`` and thousands separator
  ٬ → ``,``, Latin lowercased. Ta marbuta ة is kept so that the stemmer can tell it apart.
- ``search``: ``stem`` plus ة → ه. The analyzer applies the ة fold *after* stemming (see
  :func:`fold_after_stem`); normalizing whole text with ``search`` gives the same letters.

Hamza seats: ؤ and ئ both become a bare ء, and a ء written on a ي/ى seat (``يء``/``ىء``) also
becomes ء. Egyptian and older spellings write the same word on different seats (مسؤول/مسئول,
شؤون/شئون, شاطئ/شاطىء, شيء/شئ); folding every seat to ء makes them meet. Alef-seat hamza
(أ إ) folds to ا instead, because a bare ا is how most writers type it.

ى → ي is applied in ``stem`` already (not only in ``search``): Egyptian spelling writes final
ي as ى and the reverse (في/فى, مصطفى/مصطفي), so the stemmer must see one letter for both.

Arabic punctuation (، ؛ ؟ ٪ ۔ « ») is left in place: it is not a word character, so the
tokenizer treats it as punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

__all__ = ["PROFILES", "Profile", "fold_after_stem", "normalize"]

Profile = Literal["display", "stem", "search"]
PROFILES: Final[tuple[Profile, ...]] = ("display", "stem", "search")

# Invisible characters: zero-width, bidi controls and isolates, BOM, soft hyphen, ALM.
_INVISIBLE: Final = dict.fromkeys(
    [
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *(0xFEFF, 0x00AD, 0x061C, 0x180E),
    ],
    None,
)
_TATWEEL: Final = {0x0640: None}
# Harakat (fathatan … sukun, maddah/hamza marks), superscript alef, high hamza, honorific
# signs, Quranic annotation marks (small high/low letters, rub el hizb excluded) and the
# extended-A Quranic marks.
_MARKS: Final = dict.fromkeys(
    [
        *range(0x0610, 0x061B),
        *range(0x064B, 0x0660),
        0x0670,
        0x0674,
        *range(0x06D6, 0x06DD),
        *range(0x06DF, 0x06E9),
        *range(0x06EA, 0x06EE),
        *range(0x08CA, 0x08E2),
        *range(0x08E3, 0x0900),
    ],
    None,
)
_ALEF_FOLDS: Final = {ord(c): "ا" for c in "أإآٱٲٳ"}
_HAMZA_FOLDS: Final = {ord("ؤ"): "ء", ord("ئ"): "ء"}
_YA_FOLDS: Final = {ord("ى"): "ي", ord("ی"): "ي", ord("ې"): "ي"}  # + Persian/Urdu ya
_KAF_FOLDS: Final = {ord("ک"): "ك"}  # Persian keheh, common in copied text
_DIGITS: Final = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_SEPARATORS: Final = {0x066B: ".", 0x066C: ","}  # Arabic decimal / thousands separators
_TA_MARBUTA: Final = {ord("ة"): "ه"}


def _presentation_forms() -> dict[int, str]:
    """Arabic presentation forms A/B → their NFKC letters (word ligatures ﷺ ﷻ … excluded)."""
    table: dict[int, str] = {}
    for cp in [*range(0xFB50, 0xFDF0), *range(0xFE70, 0xFEFD)]:
        plain = unicodedata.normalize("NFKC", chr(cp))
        if plain != chr(cp):
            table[cp] = plain
    return table


_DISPLAY_TABLE: Final = str.maketrans(_INVISIBLE | _TATWEEL | _presentation_forms())
_STEM_MAP: Final = (
    _INVISIBLE | _TATWEEL | _MARKS | _ALEF_FOLDS | _HAMZA_FOLDS | _YA_FOLDS | _KAF_FOLDS
) | (_DIGITS | _SEPARATORS)
_STEM_TABLE: Final = str.maketrans(_STEM_MAP)
_SEARCH_TABLE: Final = str.maketrans(_STEM_MAP | _TA_MARBUTA)
_AFTER_STEM_TABLE: Final = str.maketrans(_TA_MARBUTA)
# Sequences folded after the character table: hamza on a ya seat written as two letters.
_SEQUENCE_FOLDS: Final = re.compile("يء")


def normalize(text: str, profile: Profile = "search") -> str:
    """Normalize ``text`` with ``profile`` (see the module docstring for what each does)."""
    if profile == "display":
        return text.translate(_DISPLAY_TABLE)
    if profile not in ("stem", "search"):
        raise ValueError(f"unknown normalization profile {profile!r}; use one of {PROFILES}")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_SEARCH_TABLE if profile == "search" else _STEM_TABLE)
    if "ء" in text:
        text = _SEQUENCE_FOLDS.sub("ء", text)
    text = text.lower()
    # "İ".lower() is "i" + combining dot above; Turkish dotted capital I searches as i.
    return text.replace("i\u0307", "i") if "\u0307" in text else text


def fold_after_stem(term: str) -> str:
    """The folds the ``search`` profile adds to ``stem``, applied to a stemmed term (ة → ه)."""
    return term.translate(_AFTER_STEM_TABLE)
