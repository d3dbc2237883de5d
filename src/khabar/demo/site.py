"""The mirror's URL space: path -> resource, rendered on first request and then cached."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from khabar.demo.catalog import Catalog, DemoFeed
from khabar.demo.corpus import DemoArticle
from khabar.demo.feeds import opml, render_feed
from khabar.demo.images import placeholder_png
from khabar.demo.outlets import OUTLETS, Outlet, Section
from khabar.demo.pages import PageRenderer

__all__ = ["OPML_PATH", "Resource", "Site"]

OPML_PATH = "/feeds.opml"
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
# Fixed so that conditional GETs keep matching across mirror restarts.
LAST_MODIFIED = format_datetime(datetime(2018, 11, 1, tzinfo=UTC), usegmt=True)

PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">'
    '<rect width="640" height="360" fill="{color}"/>'
    '<text x="320" y="190" font-size="40" text-anchor="middle" fill="#fff">{label}</text></svg>'
)


@dataclass(frozen=True, slots=True)
class Resource:
    """A response body with its type and a strong ETag."""

    body: bytes
    content_type: str
    etag: str
    last_modified: str = LAST_MODIFIED

    @classmethod
    def of(cls, text: str, content_type: str) -> Resource:
        return cls.of_bytes(text.encode("utf-8"), content_type)

    @classmethod
    def of_bytes(cls, body: bytes, content_type: str) -> Resource:
        digest = hashlib.sha256(body).hexdigest()[:32]
        return cls(body, content_type, f'"{digest}"')


class Site:
    """Every page and feed of the mirror; thread-safe, each resource built once."""

    def __init__(self, articles: Sequence[DemoArticle], base_url: str) -> None:
        self.catalog = Catalog(articles, base_url)
        self.renderer = PageRenderer(self.catalog)
        self._routes: dict[str, Callable[[], Resource]] = {}
        self._cache: dict[str, Resource] = {}
        self._images: dict[str, Resource] = {}  # outlet slug → its lead image
        self._lock = threading.Lock()
        self._add_static_routes()
        self._add_outlet_routes()
        for article in self.catalog.articles:
            self._add(self.catalog.article_path(article), self._article_builder(article))

    @property
    def paths(self) -> list[str]:
        return list(self._routes)

    def get(self, path: str) -> Resource | None:
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        build = self._routes.get(path)
        if build is None:
            return self._image(path)
        resource = build()
        with self._lock:
            return self._cache.setdefault(path, resource)

    def _add(self, path: str, build: Callable[[], Resource]) -> None:
        if path in self._routes:
            raise ValueError(f"two demo resources at {path}")
        self._routes[path] = build

    def _add_static_routes(self) -> None:
        self._add("/", lambda: Resource.of(self.renderer.index(), HTML))
        self._add("/robots.txt", lambda: Resource.of(robots_txt(), "text/plain; charset=utf-8"))
        self._add(OPML_PATH, lambda: Resource.of(self.opml(), "text/x-opml; charset=utf-8"))
        self._add("/static/thumb.svg", lambda: _svg("#888888", "khabar"))
        self._add("/favicon.ico", lambda: _svg("#444444", "K"))

    def _add_outlet_routes(self) -> None:
        catalog = self.catalog
        for outlet in OUTLETS:
            self._add(catalog.home_path(outlet), self._listing_builder(outlet, None))
            for section in outlet.sections:
                builder = self._listing_builder(outlet, section)
                self._add(catalog.section_path(outlet, section), builder)
        for feed in catalog.feeds(include_sections=True):
            self._add(feed.url.removeprefix(catalog.base_url), self._feed_builder(feed))

    def _feed_builder(self, feed: DemoFeed) -> Callable[[], Resource]:
        kind = ATOM if feed.outlet.feed_format == "atom" else RSS
        return lambda: Resource.of(render_feed(feed, self.catalog), kind)

    def _listing_builder(self, outlet: Outlet, section: Section | None) -> Callable[[], Resource]:
        return lambda: Resource.of(self.renderer.listing(outlet, section), HTML)

    def _article_builder(self, article: DemoArticle) -> Callable[[], Resource]:
        return lambda: Resource.of(self.renderer.article(article), HTML)

    def _image(self, path: str) -> Resource | None:
        """``/<outlet>/images/<anything>.png``: the outlet's placeholder lead image."""
        parts = path.split("/")
        if len(parts) != 4 or parts[2] != "images" or not parts[3].endswith(".png"):
            return None
        for outlet in OUTLETS:
            if outlet.slug == parts[1]:
                return self._lead_image(outlet)
        return None

    def _lead_image(self, outlet: Outlet) -> Resource:
        with self._lock:
            if outlet.slug not in self._images:
                png = placeholder_png(outlet.color)
                self._images[outlet.slug] = Resource.of_bytes(png, "image/png")
            return self._images[outlet.slug]

    def opml(self, *, include_sections: bool = False) -> str:
        return opml(self.catalog.feeds(include_sections=include_sections))


def robots_txt() -> str:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: /{outlet.slug}/admin/" for outlet in OUTLETS]
    lines.append("")
    return "\n".join(lines)


def _svg(color: str, label: str) -> Resource:
    return Resource.of(PLACEHOLDER_SVG.format(color=color, label=label), "image/svg+xml")
