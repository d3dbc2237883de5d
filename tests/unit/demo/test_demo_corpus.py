"""The bundled demo corpus and the pure parts of the mirror (no HTTP)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from importlib import resources

import pytest

from khabar.demo import OUTLETS, DemoArticle, load_corpus, outlet_by_slug
from khabar.demo.arabic_dates import arabic_date
from khabar.demo.catalog import Catalog
from khabar.demo.feeds import opml, render_feed
from khabar.demo.outlets import DateStyle
from khabar.demo.pages import tags_for

ATOM = "{http://www.w3.org/2005/Atom}"


def _is_arabic(text: str) -> bool:
    return sum("\u0600" <= ch <= "\u06ff" for ch in text) >= len(text.replace(" ", "")) // 2


@pytest.fixture(scope="module")
def corpus() -> list[DemoArticle]:
    return load_corpus()


def test_corpus_has_100_articles_per_outlet(corpus: list[DemoArticle]) -> None:
    assert len(corpus) == 500
    assert Counter(a.outlet for a in corpus) == {o.slug: 100 for o in OUTLETS}


def test_corpus_spreads_each_outlet_over_its_sections(corpus: list[DemoArticle]) -> None:
    for outlet in OUTLETS:
        per_section = Counter(a.section for a in corpus if a.outlet == outlet.slug)
        assert set(per_section) == {s.key for s in outlet.sections}
        assert min(per_section.values()) >= 15


def test_articles_are_real_arabic_with_body_paragraphs(corpus: list[DemoArticle]) -> None:
    for article in corpus:
        assert _is_arabic(article.title), article.docno
        assert article.abstract
        assert len(article.paragraphs) >= 3
        assert len(article.text) >= 600
        assert article.published.tzinfo is not None
        assert outlet_by_slug(article.outlet).section(article.section).key == article.section


def test_slugs_are_unique_and_url_safe(corpus: list[DemoArticle]) -> None:
    slugs = [a.slug for a in corpus]
    assert len(set(slugs)) == len(slugs)
    assert all(s.isascii() and s == s.lower() and " " not in s for s in slugs)


def test_loading_is_deterministic(corpus: list[DemoArticle]) -> None:
    assert load_corpus() == corpus


def test_scale_repeats_with_distinct_slugs_titles_and_dates(corpus: list[DemoArticle]) -> None:
    scaled = load_corpus(scale=3)
    assert len(scaled) == 1500
    assert len({a.slug for a in scaled}) == 1500
    assert scaled[:500] == corpus
    first, copy = corpus[0], scaled[500]
    assert copy.replica == 1 and copy.docno == first.docno + "-r1"
    assert copy.title != first.title and copy.title.endswith(first.title)
    assert copy.published < first.published
    assert copy.text == first.text


def test_scale_below_one_is_rejected() -> None:
    with pytest.raises(ValueError, match="scale"):
        load_corpus(scale=0)


def test_bundled_files_are_small_and_credited() -> None:
    folder = resources.files("khabar.demo").joinpath("corpus")
    data = folder.joinpath("articles.jsonl.gz").read_bytes()
    assert len(data) < 2_000_000
    credits = folder.joinpath("CREDITS.md").read_text(encoding="utf-8")
    for needle in ("ANT corpus v2.1", "Apache", "Chouigui", "AICCSA", "antcorpus.multisource.data"):
        assert needle in credits


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("gulf", "الأحد 18 فبراير 2018 - 21:35"),
        ("levant", "الأحد 18 شباط 2018 - 21:35"),
        ("dual", "الأحد 18 شباط/فبراير 2018 - 21:35"),
    ],
)
def test_arabic_date(style: DateStyle, expected: str) -> None:
    when = datetime(2018, 2, 18, 21, 35, tzinfo=UTC)
    assert arabic_date(when, style) == expected


def test_tags_mix_section_name_and_title_words(corpus: list[DemoArticle]) -> None:
    article = corpus[0]
    tags = tags_for(article)
    assert tags[0] == outlet_by_slug(article.outlet).section(article.section).name_ar
    assert 2 <= len(tags) <= 4
    assert all(tag in article.title for tag in tags[1:])


def test_catalog_paths_are_unique(corpus: list[DemoArticle]) -> None:
    catalog = Catalog(corpus, "http://mirror.test")
    paths = [catalog.article_path(a) for a in corpus]
    assert len(set(paths)) == len(paths)
    article = corpus[0]
    links = catalog.read_also(article) + catalog.related(article)
    assert catalog.link(article) not in links
    assert len(catalog.read_also(article)) >= 2


def test_feeds_render_as_xml_with_every_outlet_article(corpus: list[DemoArticle]) -> None:
    catalog = Catalog(corpus, "http://mirror.test")
    for feed in catalog.feeds(include_sections=False):
        root = ET.fromstring(render_feed(feed, catalog))
        items = root.findall("./channel/item") or root.findall(f"{ATOM}entry")
        assert len(items) == 100, feed.url
    formats = {f.outlet.feed_format for f in catalog.feeds()}
    assert formats == {"rss", "atom"}


def test_opml_lists_main_feeds_with_country_and_category(corpus: list[DemoArticle]) -> None:
    catalog = Catalog(corpus, "http://mirror.test")
    root = ET.fromstring(opml(catalog.feeds(include_sections=False)))
    outlines = root.findall("./body/outline")
    assert len(outlines) == len(OUTLETS)
    assert {o.get("country") for o in outlines} == {o.country for o in OUTLETS}
    assert all(o.get("category") and o.get("xmlUrl") for o in outlines)
