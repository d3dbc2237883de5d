"""Which articles a tag feed holds: those whose outlet tags (``categories``) contain the tag.

Storage has no tag filter, so the candidates come from search: the tag as a phrase
(:func:`tag_query`), newest first; :func:`has_tag` then keeps the articles actually tagged
with it. Tags compare after search normalization (``غزه`` = ``غزة``, harakat ignored).
An article tagged with a word its title and text never use is missed (see docs/feeds.md).
"""

from __future__ import annotations

from khabar.arabic.normalize import normalize
from khabar.types import Article

__all__ = ["clean_tag", "has_tag", "tag_query"]


def clean_tag(tag: str) -> str:
    """The tag as shown: whitespace collapsed, quote marks dropped (they would end a phrase)."""
    return " ".join(tag.replace('"', " ").split())


def tag_query(tag: str) -> str:
    """The search query for articles that mention ``tag`` as a phrase."""
    return f'"{clean_tag(tag)}"'


def has_tag(article: Article, tag: str) -> bool:
    """Whether one of the article's tags is ``tag`` (normalized, whole tag)."""
    wanted = normalize(clean_tag(tag))
    return bool(wanted) and any(normalize(clean_tag(c)) == wanted for c in article.categories)
