"""The offline demo: a bundled corpus of real Arabic articles and a local mirror serving it.

``DemoMirror`` serves the outlets' feeds and article pages on 127.0.0.1; ``load_corpus`` gives the
articles themselves. See ``corpus/CREDITS.md`` for where the texts come from.
"""

from khabar.demo.catalog import DemoFeed
from khabar.demo.corpus import DemoArticle, load_corpus
from khabar.demo.outlets import OUTLETS, Outlet, Section, outlet_by_slug
from khabar.demo.server import DemoMirror

__all__ = [
    "OUTLETS",
    "DemoArticle",
    "DemoFeed",
    "DemoMirror",
    "Outlet",
    "Section",
    "load_corpus",
    "outlet_by_slug",
]
