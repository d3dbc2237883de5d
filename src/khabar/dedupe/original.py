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

from khabar.extract.attribution import known_outlet
from khabar.types import Attribution

__all__ = ["credited_outlet", "outlet_name", "same_outlet"]

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
