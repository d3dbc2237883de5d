"""Feed documents: RSS/Atom/RDF/JSON Feed and sitemap parsing, discovery, OPML.

Nothing here does network I/O: parsers take bytes, and ``discover`` fetches through the
function it is given.
"""

from khabar.feeds.discovery import COMMON_FEED_PATHS, FEED_LINK_TYPES, discover, find_feed_links
from khabar.feeds.opml import OpmlImport, parse_opml, read_opml, write_opml
from khabar.feeds.parse import parse_feed, parse_fetch_result
from khabar.feeds.sitemap import CHILD_SITEMAP_CATEGORY, is_child_sitemap

__all__ = [
    "CHILD_SITEMAP_CATEGORY",
    "COMMON_FEED_PATHS",
    "FEED_LINK_TYPES",
    "OpmlImport",
    "discover",
    "find_feed_links",
    "is_child_sitemap",
    "parse_feed",
    "parse_fetch_result",
    "parse_opml",
    "read_opml",
    "write_opml",
]
