"""Conformance on public test suites kept in ``../shared/data/feeds`` (skipped when absent).

* feed-rs fixtures: every ``X.<ext>`` is parsed and compared with feed-rs's own parse in
  ``X.serde.json`` (feed title; entry count, ids, titles, links, published/updated dates).
  Files without an expectation (``xml/*``: XML-reader tests, not feeds; ``rss_2.0_invalid_1``:
  a truncated feed) must raise ``FeedParseError``.
* miniflux test data: encodings — decoded titles must be in the right script.
* trafilatura resources: JSON Feed, Atom/RSS and sitemaps (plain, gzipped, hreflang, index).

Where feed-rs and Khabar (feedparser underneath) legitimately disagree, the comparison applies
the rule in this table instead of skipping the field:

| #   | case                       | feed-rs             | Khabar             | rule             |
|-----|----------------------------|---------------------|--------------------|------------------|
| D1  | entry without any web URL  | kept                | skipped + warning  | drop; warn count |
|     | (no link, id not http(s))  |                     | (url is required)  |                  |
| D2  | no GUID (RSS, RDF)         | generated hash id   | None / rdf:about   | hash id: any     |
| D3  | RSS item, pubDate only     | updated = pubDate   | updated None       | compare if set   |
| D4  | URL spelling               | url crate lowers    | as published,      | normalize both   |
|     |                            | host, adds '/' path | then resolved      |                  |
| D5  | sub-second timestamps      | kept                | dropped            | compare to 1 s   |
| D6  | no link; permalink GUID    | links: []           | GUID/id is the URL | URL = feed-rs id |
|     | or http(s) atom:id         |                     |                    |                  |
| D7  | dc:date in RSS 1.0/2.0     | published           | published (moved   | none needed      |
|     |                            |                     | from 'updated')    |                  |
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest

from khabar.errors import FeedParseError
from khabar.feeds import is_child_sitemap, parse_feed
from khabar.feeds.text import html_to_text
from khabar.types import FeedEntry, ParsedFeed

pytestmark = pytest.mark.shared_data

DATA = (Path(__file__).parents[3] / "../shared/data/feeds").resolve()
FEED_RS = DATA / "feed-rs_fixtures"
MINIFLUX = DATA / "miniflux_testdata"
TRAFILATURA = DATA / "trafilatura_resources"
BASE = "https://feeds.example/dir/feed.xml"
GENERATED_ID = re.compile(r"[0-9a-f]{30,32}")  # feed-rs's md5 ids (leading zeros dropped)
WEB = ("http://", "https://")

needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"shared test data not found at {DATA} (see tests/fixtures instead)"
)


def _files(folder: Path, pattern: str) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(pattern) if not p.name.endswith(".serde.json"))


def _feed_rs_documents() -> list[Path]:
    return [p for p in _files(FEED_RS, "*/*") if p.suffix in (".xml", ".json")]


def _ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.name}" for p in paths]


# --- feed-rs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """One feed-rs entry, reduced to what Khabar models."""

    id: str
    title: str | None
    links: tuple[str, ...]
    published: str | None
    updated: str | None

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Expected:
        title = (raw.get("title") or {}).get("content")
        links = tuple(urljoin(BASE, link["href"]) for link in raw["links"])
        return cls(raw["id"], title, links, raw.get("published"), raw.get("updated"))

    @property
    def web_urls(self) -> tuple[str, ...]:
        """D6: with no links, an http(s) id is the URL."""
        if self.links:
            return tuple(u for u in self.links if u.startswith(WEB))
        return (self.id,) if self.id.startswith(WEB) else ()


def _normalized(url: str) -> str:
    """D4: what the url crate does to a URL."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.lower(), path=parts.path or "/"))


def _to_second(value: str) -> datetime:
    """D5."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(microsecond=0)


def _check_entry(expected: Expected, entry: FeedEntry) -> None:
    if expected.title is not None:
        assert entry.title == (html_to_text(expected.title) or None)
    if not GENERATED_ID.fullmatch(expected.id):  # D2
        assert entry.guid == expected.id
    assert _normalized(entry.url) in {_normalized(u) for u in expected.web_urls}
    if expected.published is not None:
        assert entry.published == _to_second(expected.published)
    if expected.updated is not None and entry.updated is not None:  # D3
        assert entry.updated == _to_second(expected.updated)


@needs_data
@pytest.mark.parametrize("path", _feed_rs_documents(), ids=_ids(_feed_rs_documents()))
def test_feed_rs_fixture(path: Path) -> None:
    expectation = path.with_name(path.stem + ".serde.json")
    if not expectation.exists():
        with pytest.raises(FeedParseError):
            parse_feed(path.read_bytes(), BASE)
        return
    data = json.loads(expectation.read_text(encoding="utf-8"))
    feed = parse_feed(path.read_bytes(), BASE)
    title = (data.get("title") or {}).get("content")
    if title is not None:
        assert feed.title == (html_to_text(title) or None)
    every = [Expected.of(raw) for raw in data["entries"]]
    expected = [e for e in every if e.web_urls]  # D1
    if len(expected) < len(every):
        skipped = f"{len(every) - len(expected)} entries had no web URL and were skipped"
        assert skipped in feed.warnings
    assert len(feed.entries) == len(expected)
    for want, entry in zip(expected, feed.entries, strict=True):
        _check_entry(want, entry)


@needs_data
def test_feed_rs_fixture_count() -> None:
    documents = _feed_rs_documents()
    assert len(documents) == 68
    assert sum(not d.with_name(d.stem + ".serde.json").exists() for d in documents) == 4


# --- miniflux: encodings and scripts -----------------------------------------------------------

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN_ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüßÄÖÜ]")
MOJIBAKE = re.compile(r"Ã.|\ufffd|Ð.")

MINIFLUX_CASES = {
    # file: (format, entries, script every title must contain or None, script some title has)
    "encoding_ISO-8859-1.xml": ("rss", 40, None, LATIN_ACCENTED),
    "encoding_WINDOWS-1251.xml": ("rss", 50, CYRILLIC, CYRILLIC),
    "no_encoding_ISO-8859-1.xml": ("rss", 9, None, LATIN_ACCENTED),  # one <item> is empty (D1)
    "urdu_UTF8.xml": ("rss", 26, ARABIC_SCRIPT, ARABIC_SCRIPT),
    "large_atom.xml": ("atom", 25, None, None),
    "large_rss.xml": ("rss", 25, None, None),
    "small_atom.xml": ("atom", 20, None, None),
    "rdf_UTF8.xml": ("rdf", 60, None, LATIN_ACCENTED),
}


@needs_data
@pytest.mark.parametrize("name", sorted(MINIFLUX_CASES))
def test_miniflux_encodings(name: str) -> None:
    feed_format, count, every, some = MINIFLUX_CASES[name]
    feed = parse_feed((MINIFLUX / name).read_bytes(), BASE)
    titles = [e.title or "" for e in feed.entries]
    assert feed.format == feed_format
    assert len(feed.entries) == count
    assert all(e.url.startswith(WEB) for e in feed.entries)
    assert not [t for t in titles if MOJIBAKE.search(t)]
    if every is not None:
        assert all(every.search(t) for t in titles)
    if some is not None:
        assert any(some.search(t) for t in titles)


@needs_data
def test_miniflux_urdu_feed_title_is_rtl_script() -> None:
    feed = parse_feed((MINIFLUX / "urdu_UTF8.xml").read_bytes(), BASE)
    assert feed.title is not None and ARABIC_SCRIPT.search(feed.title)
    assert feed.language == "ur"


@needs_data
def test_miniflux_undeclared_latin1_is_reported() -> None:
    feed = parse_feed((MINIFLUX / "no_encoding_ISO-8859-1.xml").read_bytes(), BASE)
    assert any("declared as utf-8, but parsed as windows-1252" in w for w in feed.warnings)


# --- trafilatura: JSON Feed and sitemaps ---------------------------------------------------------

TRAFILATURA_CASES: dict[str, tuple[str, int]] = {
    "feed.json": ("json", 25),
    "feed1.atom": ("atom", 2),
    "feed2.rss": ("rss", 1),
    "sitemap.xml": ("sitemap", 84),
    "sitemap.xml.gz": ("sitemap", 84),
    "sitemap-hreflang.xml": ("sitemap", 3),
    "sitemap2.xml": ("sitemap", 2),
}


@needs_data
@pytest.mark.parametrize("name", sorted(TRAFILATURA_CASES))
def test_trafilatura_resources(name: str) -> None:
    feed_format, count = TRAFILATURA_CASES[name]
    feed: ParsedFeed = parse_feed((TRAFILATURA / name).read_bytes(), "https://www.example.org/")
    assert (feed.format, len(feed.entries)) == (feed_format, count)
    assert all(e.url.startswith(WEB) for e in feed.entries)
    assert all(is_child_sitemap(e) for e in feed.entries) == (name == "sitemap2.xml")


@needs_data
def test_trafilatura_json_feed_fields() -> None:
    feed = parse_feed(
        (TRAFILATURA / "feed.json").read_bytes(), "https://feeds.npr.org/1019/feed.json"
    )
    first = feed.entries[0]
    assert feed.title == "Technology"
    assert first.guid and first.title and first.published is not None
    assert first.published.utcoffset() == timedelta(0)
