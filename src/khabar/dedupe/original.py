"""Which outlet an article credits as its original, by one canonical name.

Names go through the agency/outlet table of extraction (``data/extract/agencies.toml``), so
"واس", "SPA" and "وكالة الأنباء السعودية" are one outlet. A byline as published often names
the agency ("الرياض - واس", "واس - جدة"): a byline part that is a known agency or outlet counts;
a person's name does not.
"""

from __future__ import annotations

import html
import re
from typing import Final

from khabar.extract.attribution import find_attribution, known_outlet
from khabar.types import Attribution

__all__ = ["credited_in_text", "credited_outlet", "outlet_name", "same_outlet"]

BYLINE_CHARS: Final = 60  # a first line this short, with no byline given, is read as the byline
_BYLINE_PARTS: Final = re.compile(r"[-–—/|،,()\[\]:«»]|\s+و\s+")


def outlet_name(name: str) -> str:
    """The canonical name of an outlet: the table's name when known, else spacing cleaned."""
    return known_outlet(name) or " ".join(name.split())


def same_outlet(a: str, b: str) -> bool:
    return outlet_name(a) == outlet_name(b)


def credited_outlet(
    attribution: Attribution | None, byline: str | None = None, own: str | None = None
) -> str | None:
    """The outlet an article credits: its extracted attribution, else a known outlet in its byline.

    ``own`` is the article's own outlet: a byline naming it and an agency ("الجزيرة - واس")
    credits the agency.
    """
    if attribution is not None:
        return attribution.normalized_name
    if not byline:
        return None
    mine = outlet_name(own) if own else None
    for part in _BYLINE_PARTS.split(html.unescape(byline).replace("\xa0", " ")):
        known = known_outlet(part.strip()) if part.strip() else None
        if known is not None and known != mine:
            return known
    return None


def credited_in_text(text: str, byline: str | None = None, own: str | None = None) -> str | None:
    """The outlet an already-extracted text credits (``khabar process``, benchmarks).

    Extraction's attribution rules run over the paragraphs. Some outlets print the byline as
    the text's first line ("تبوك -واس"): with no byline given, a short first line is read as
    the byline, as an extractor reading the page's byline would.
    """
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    found = find_attribution(paragraphs)
    if not (byline or "").strip() and paragraphs and len(paragraphs[0]) <= BYLINE_CHARS:
        byline = paragraphs[0]
    return credited_outlet(found.attribution if found else None, byline, own)
