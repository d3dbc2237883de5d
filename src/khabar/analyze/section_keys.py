"""Khabar's fixed section keys and their Arabic names (stable: the API and CLI use the keys)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from khabar.arabic.normalize import normalize

__all__ = ["OTHER", "SECTIONS", "SECTION_NAMES", "section_key"]

SECTION_NAMES: Final[Mapping[str, str]] = {
    "politics": "سياسة",
    "economy": "اقتصاد",
    "sports": "رياضة",
    "culture": "ثقافة وفن",
    "technology": "تكنولوجيا وعلوم",
    "health": "صحة",
    "society": "مجتمع ومنوعات",
    "other": "غير مصنف",
}
SECTIONS: Final = tuple(SECTION_NAMES)
OTHER: Final = "other"

# What a user may type for a section: the key, its Arabic name, or the name's first word.
_ALIASES: Final[Mapping[str, str]] = {
    **{key: key for key in SECTIONS},
    **{normalize(name): key for key, name in SECTION_NAMES.items()},
    **{normalize(name.split()[0]): key for key, name in SECTION_NAMES.items()},
    "sport": "sports",
    "tech": "technology",
}


def section_key(value: str) -> str | None:
    """The section key ``value`` names (``رياضة`` → ``sports``), or None."""
    cleaned = " ".join(value.replace("_", " ").split())
    folded = normalize(cleaned)
    return (
        _ALIASES.get(cleaned.lower())
        or _ALIASES.get(folded)
        or _ALIASES.get(folded.removeprefix("ال"))
    )
