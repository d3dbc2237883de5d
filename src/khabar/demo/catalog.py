"""Where everything lives on the mirror, and which articles link to which (no I/O)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from khabar.demo.corpus import DemoArticle
from khabar.demo.outlets import OUTLETS, Outlet, Section, outlet_by_slug

__all__ = ["Catalog", "DemoFeed", "Link"]

READ_ALSO_COUNT = 3
RELATED_COUNT = 4
MOST_READ_COUNT = 5


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class DemoFeed:
    """One feed the mirror serves; ``section`` is None for an outlet's main feed."""

    url: str
    title: str
    outlet: Outlet
    section: Section | None
    html_url: str


class Catalog:
    """URLs of every page and feed, and the article lists each page shows."""

    def __init__(self, articles: Sequence[DemoArticle], base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.articles = tuple(articles)
        newest_first = sorted(self.articles, key=lambda a: (a.published, a.slug), reverse=True)
        self.by_outlet: dict[str, list[DemoArticle]] = {o.slug: [] for o in OUTLETS}
        self.by_section: dict[tuple[str, str], list[DemoArticle]] = {}
        self._position: dict[str, int] = {}
        for article in newest_first:
            self.by_outlet[article.outlet].append(article)
            pool = self.by_section.setdefault((article.outlet, article.section), [])
            self._position[article.slug] = len(pool)
            pool.append(article)

    # -- paths (absolute paths on the mirror) and URLs -------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    @staticmethod
    def home_path(outlet: Outlet) -> str:
        return f"/{outlet.slug}/"

    @staticmethod
    def section_path(outlet: Outlet, section: Section) -> str:
        return f"/{outlet.slug}/{section.path}/"

    @staticmethod
    def article_path(article: DemoArticle) -> str:
        outlet = outlet_by_slug(article.outlet)
        when = article.published
        relative = outlet.article_path.format(
            section=outlet.section(article.section).path,
            slug=article.slug,
            yyyy=f"{when.year:04d}",
            mm=f"{when.month:02d}",
            dd=f"{when.day:02d}",
        )
        return f"/{outlet.slug}/{relative}"

    @staticmethod
    def image_path(article: DemoArticle) -> str:
        return f"/{article.outlet}/images/{article.slug}.png"

    @staticmethod
    def feed_path(outlet: Outlet, section: Section | None = None) -> str | None:
        if section is None:
            return f"/{outlet.slug}/{outlet.feed_path}"
        if outlet.section_feed_path is None:
            return None
        return f"/{outlet.slug}/" + outlet.section_feed_path.format(section=section.path)

    def feeds(self, *, include_sections: bool = True) -> list[DemoFeed]:
        feeds: list[DemoFeed] = []
        for outlet in OUTLETS:
            main = self.feed_path(outlet)
            if main is not None:
                home = self.url(self.home_path(outlet))
                feeds.append(DemoFeed(self.url(main), outlet.name_ar, outlet, None, home))
            if include_sections:
                feeds.extend(self._section_feeds(outlet))
        return feeds

    def _section_feeds(self, outlet: Outlet) -> list[DemoFeed]:
        feeds: list[DemoFeed] = []
        for section in outlet.sections:
            path = self.feed_path(outlet, section)
            if path is not None:
                title = f"{outlet.name_ar} - {section.name_ar}"
                html = self.url(self.section_path(outlet, section))
                feeds.append(DemoFeed(self.url(path), title, outlet, section, html))
        return feeds

    # -- link lists shown on pages ----------------------------------------------------------

    def link(self, article: DemoArticle) -> Link:
        return Link(article.title, self.url(self.article_path(article)))

    def read_also(self, article: DemoArticle) -> list[Link]:
        return self._neighbours(article, 1, READ_ALSO_COUNT)

    def related(self, article: DemoArticle) -> list[Link]:
        return self._neighbours(article, 1 + READ_ALSO_COUNT, RELATED_COUNT)

    def most_read(self, outlet: Outlet) -> list[Link]:
        ranked = sorted(self.by_outlet[outlet.slug], key=lambda a: _rank(a.slug))
        return [self.link(a) for a in ranked[:MOST_READ_COUNT]]

    def _neighbours(self, article: DemoArticle, start: int, count: int) -> list[Link]:
        pool = self.by_section[(article.outlet, article.section)]
        index = self._position[article.slug]
        picks = [pool[(index + k) % len(pool)] for k in range(start, start + count)]
        return [self.link(a) for a in picks if a is not article]


def _rank(slug: str) -> str:
    return hashlib.sha1(slug.encode(), usedforsecurity=False).hexdigest()
