"""RSS 2.0, Atom and OPML documents for the mirror (plain string building, escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from khabar.demo.catalog import Catalog, DemoFeed
from khabar.demo.corpus import DemoArticle
from khabar.demo.outlets import SECTION_NAMES_AR, Outlet

__all__ = ["atom_feed", "opml", "render_feed", "rss_feed"]

# Outlets whose RSS GUID is the article URL; the others use an opaque URN.
PERMALINK_GUIDS = frozenset({"skynews", "bbc"})
# Outlets whose RSS items carry a media:content lead image.
MEDIA_RSS = frozenset({"alarabiya", "skynews"})

EPOCH = datetime(2018, 1, 1, tzinfo=UTC)


def _text(tag: str, value: str) -> str:
    return f"<{tag}>{escape(value)}</{tag}>"


def render_feed(feed: DemoFeed, catalog: Catalog) -> str:
    outlet = feed.outlet
    if feed.section is None:
        articles = catalog.by_outlet[outlet.slug]
    else:
        articles = catalog.by_section.get((outlet.slug, feed.section.key), [])
    if outlet.feed_format == "atom":
        return atom_feed(feed, articles, catalog)
    return rss_feed(feed, articles, catalog)


def rss_feed(feed: DemoFeed, articles: Sequence[DemoArticle], catalog: Catalog) -> str:
    newest = articles[0].published if articles else EPOCH
    head = [
        _text("title", feed.title),
        _text("link", feed.html_url),
        _text("description", f"آخر الأخبار من {feed.title}"),
        "<language>ar</language>",
        _text("lastBuildDate", format_datetime(newest.astimezone(UTC), usegmt=True)),
        f'<atom:link href={quoteattr(feed.url)} rel="self" type="application/rss+xml"/>',
    ]
    items = [_rss_item(feed.outlet, article, catalog) for article in articles]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n'
        + "\n".join(head + items)
        + "\n</channel>\n</rss>\n"
    )


def _rss_item(outlet: Outlet, article: DemoArticle, catalog: Catalog) -> str:
    url = catalog.url(catalog.article_path(article))
    if outlet.slug in PERMALINK_GUIDS:
        guid = f'<guid isPermaLink="true">{escape(url)}</guid>'
    else:
        guid = f'<guid isPermaLink="false">{escape(_urn(article))}</guid>'
    parts = [
        _text("title", article.title),
        _text("link", url),
        _text("description", article.abstract),
        _text("pubDate", article.pub_date),
        guid,
        *(_text("category", SECTION_NAMES_AR[key]) for key in article.sections),
    ]
    if article.author:
        parts.append(_text("dc:creator", article.author))
    if outlet.slug in MEDIA_RSS:
        image = quoteattr(catalog.url(catalog.image_path(article)))
        parts.append(f'<media:content url={image} medium="image" type="image/png"/>')
    return "<item>" + "".join(parts) + "</item>"


def _urn(article: DemoArticle) -> str:
    return f"urn:khabar-demo:{article.outlet}:{article.slug}"


def atom_feed(feed: DemoFeed, articles: Sequence[DemoArticle], catalog: Catalog) -> str:
    newest = articles[0].published if articles else EPOCH
    head = [
        _text("title", feed.title),
        _text("subtitle", f"آخر الأخبار من {feed.title}"),
        _text("id", feed.url),
        _text("updated", newest.isoformat()),
        f'<link rel="self" type="application/atom+xml" href={quoteattr(feed.url)}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(feed.html_url)}/>',
    ]
    entries = [_atom_entry(feed.outlet, article, catalog) for article in articles]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">\n'
        + "\n".join(head + entries)
        + "\n</feed>\n"
    )


def _atom_entry(outlet: Outlet, article: DemoArticle, catalog: Catalog) -> str:
    url = catalog.url(catalog.article_path(article))
    stamp = article.published.isoformat()
    parts = [
        _text("title", article.title),
        _text("id", _urn(article)),
        f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>',
        _text("published", stamp),
        _text("updated", stamp),
        _text("summary", article.abstract),
        "<author>" + _text("name", article.author or outlet.name_ar) + "</author>",
        *(f"<category term={quoteattr(SECTION_NAMES_AR[k])}/>" for k in article.sections),
    ]
    return "<entry>" + "".join(parts) + "</entry>"


def opml(feeds: Sequence[DemoFeed], title: str = "Khabar demo outlets") -> str:
    """An OPML 2.0 subscription list; each outline has category, country and language."""
    outlines = []
    for feed in feeds:
        category = f"/{feed.section.name_ar}" if feed.section else "/أخبار"
        outlines.append(
            f"<outline text={quoteattr(feed.title)} title={quoteattr(feed.title)}"
            f' type="rss" xmlUrl={quoteattr(feed.url)}'
            f" htmlUrl={quoteattr(feed.html_url)} category={quoteattr(category)}"
            f' country={quoteattr(feed.outlet.country)} language="ar"'
            f" description={quoteattr(feed.outlet.name_en)}/>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n<head>'
        + _text("title", title)
        + "</head>\n<body>\n"
        + "\n".join(outlines)
        + "\n</body>\n</opml>\n"
    )
