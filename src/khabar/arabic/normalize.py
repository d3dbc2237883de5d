"""Arabic text normalization: one table-driven function used everywhere.

Profiles:
- ``display``: light — removes invisible controls and tatweel, keeps letters and harakat.
- ``search``: full — also strips harakat, unifies alef forms, folds ى→ي and ة→ه, maps
  Arabic-Indic and Persian digits to ASCII and lowercases Latin text.

Both the search index and the query go through the ``search`` profile, so every spelling the
table folds together finds the others.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

__all__ = ["Profile", "normalize"]

Profile = Literal["display", "search"]

# Invisible characters: zero-width, bidi controls, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(
    [
        0x200B,
        0x200C,
        0x200D,
        0x200E,
        0x200F,
        0x202A,
        0x202B,
        0x202C,
        0x202D,
        0x202E,
        0x2066,
        0x2067,
        0x2068,
        0x2069,
        0xFEFF,
        0x00AD,
        0x061C,
    ],
    None,
)
_TATWEEL = {0x0640: None}
# Harakat and Quranic marks: fathatan … sukun, superscript alef, small high marks.
_HARAKAT = dict.fromkeys(
    [
        *range(0x064B, 0x0660),
        0x0670,
        *range(0x06D6, 0x06DD),
        *range(0x06DF, 0x06E9),
        *range(0x06EA, 0x06EE),
    ],
    None,
)
_LETTER_FOLDS = {
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ة"): "ه",
}
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}

_DISPLAY_TABLE = str.maketrans(_INVISIBLE | _TATWEEL)
_SEARCH_TABLE = str.maketrans(_INVISIBLE | _TATWEEL | _HARAKAT | _LETTER_FOLDS | _DIGITS)


def normalize(text: str, profile: Profile = "search") -> str:
    """Normalize ``text`` for display or for search (see the module docstring)."""
    if profile == "display":
        return text.translate(_DISPLAY_TABLE)
    # NFKC turns presentation forms (ﻻ, ﷲ …) into plain letters; harakat are stripped after.
    return unicodedata.normalize("NFKC", text).translate(_SEARCH_TABLE).lower()
