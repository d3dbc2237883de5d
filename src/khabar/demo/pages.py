"""HTML pages of the mirror, rendered from per-outlet Jinja2 templates."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from khabar.demo.arabic_dates import arabic_date
from khabar.demo.catalog import Catalog, Link
from khabar.demo.corpus import DemoArticle
from khabar.demo.outlets import OUTLETS, Outlet, Section, outlet_by_slug

__all__ = ["PageRenderer", "tags_for"]

# Characters stripped from title words before they become tags.
TAG_PUNCTUATION = "\"'«»“”‘’،,.:؛;!؟?()[]{}-–—_/#|"
TAG_MIN_LENGTH = 5
TAG_TITLE_WORDS = 3
COMMENT_COUNTS = (0, 3, 7, 12, 25, 48)


def tags_for(article: DemoArticle) -> list[str]:
    """The "كلمات دلالية" line: section names mixed with long words of the title."""
    tags = [outlet_by_slug(article.outlet).section(article.section).name_ar]
    for word in article.title.split():
        word = word.strip(TAG_PUNCTUATION)
        if len(word) >= TAG_MIN_LENGTH and word not in tags:
            tags.append(word)
        if len(tags) > TAG_TITLE_WORDS:
            break
    return tags


class PageRenderer:
    """Renders the index, outlet home/section listings and article pages."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.env = Environment(
            loader=PackageLoader("khabar.demo", "templates"),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def index(self) -> str:
        outlets = [(o, self.catalog.url(self.catalog.home_path(o))) for o in OUTLETS]
        feeds = self.catalog.feeds(include_sections=True)
        return self.env.get_template("index.html").render(outlets=outlets, feeds=feeds)

    def listing(self, outlet: Outlet, section: Section | None = None) -> str:
        if section is None:
            articles = self.catalog.by_outlet[outlet.slug]
        else:
            articles = self.catalog.by_section.get((outlet.slug, section.key), [])
        context = self._outlet_context(outlet)
        context.update(
            section=section,
            items=[(self.catalog.link(a), a) for a in articles],
            url=self.catalog.url(
                self.catalog.home_path(outlet)
                if section is None
                else self.catalog.section_path(outlet, section)
            ),
        )
        return self.env.get_template("listing.html").render(context)

    def article(self, article: DemoArticle) -> str:
        outlet = outlet_by_slug(article.outlet)
        section = outlet.section(article.section)
        context = self._outlet_context(outlet)
        context.update(self._article_context(article, outlet, section))
        return self.env.get_template(f"article_{outlet.slug}.html").render(context)

    def _outlet_context(self, outlet: Outlet) -> dict[str, Any]:
        catalog = self.catalog
        menu = [
            Link(s.name_ar, catalog.url(catalog.section_path(outlet, s))) for s in outlet.sections
        ]
        feed_path = catalog.feed_path(outlet)
        return {
            "outlet": outlet,
            "menu": menu,
            "home_url": catalog.url(catalog.home_path(outlet)),
            "feed_url": catalog.url(feed_path) if feed_path else "",
            "feed_type": "application/atom+xml"
            if outlet.feed_format == "atom"
            else "application/rss+xml",
            "most_read": catalog.most_read(outlet),
            "base_url": catalog.base_url,
        }

    def _article_context(
        self, article: DemoArticle, outlet: Outlet, section: Section
    ) -> dict[str, Any]:
        catalog = self.catalog
        return {
            "article": article,
            "section": section,
            "section_url": catalog.url(catalog.section_path(outlet, section)),
            "url": catalog.url(catalog.article_path(article)),
            "image_url": catalog.url(catalog.image_path(article)),
            "date_text": arabic_date(article.published, outlet.date_style),
            "iso_date": article.published.isoformat(),
            "paragraphs": article.paragraphs,
            "read_also": catalog.read_also(article),
            "related": catalog.related(article),
            "tags": tags_for(article),
            "comment_count": COMMENT_COUNTS[len(article.slug) % len(COMMENT_COUNTS)],
            "json_ld": {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": article.title,
                "datePublished": article.published.isoformat(),
                "author": {"@type": "Person", "name": article.author or outlet.name_ar},
                "publisher": {"@type": "Organization", "name": outlet.name_ar},
                "articleSection": section.name_ar,
                "inLanguage": "ar",
            },
        }
