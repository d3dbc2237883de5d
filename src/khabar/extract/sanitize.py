"""The one HTML sanitizing policy for article bodies and feed summaries (nh3 / ammonia).

Only an allow-list of structural and inline tags survives; every attribute not listed is dropped
(so no ``on*`` handlers, ``style`` or ``class``); URLs must be http(s) after relative ones are
resolved against the page URL; links get ``rel="noopener nofollow"``.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

import nh3

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "LINK_REL", "URL_SCHEMES", "sanitize_html"]

ALLOWED_TAGS: Final = frozenset(
    {
        "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img",
        "a", "strong", "em", "b", "i", "br",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: Final[dict[str, set[str]]] = {
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}

URL_SCHEMES: Final = frozenset({"http", "https"})
LINK_REL: Final = "noopener nofollow"

# Removed together with their content (everything else outside ALLOWED_TAGS keeps its text).
_DROP_WITH_CONTENT: Final = frozenset({"script", "style", "template", "noscript", "iframe"})


def sanitize_html(html: str, base_url: str) -> str:
    """Return ``html`` reduced to the safe allow-list; relative URLs resolved on ``base_url``.

    When ``base_url`` is not an absolute http(s) URL, relative URLs are dropped instead.
    """
    if not html.strip():
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative=_relative_policy(base_url),
    ).strip()


def _relative_policy(base_url: str) -> nh3.UrlRelative:
    parts = urlsplit(base_url)
    if parts.scheme in URL_SCHEMES and parts.netloc:
        return ("rewrite_with_base", base_url)
    return "deny"
