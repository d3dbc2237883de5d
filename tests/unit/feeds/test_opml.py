"""OPML import/export and the bundled starter list."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from khabar.errors import InvalidInputError
from khabar.feeds import parse_opml, read_opml, write_opml
from khabar.types import NewSource, Source

STARTER = Path(__file__).parents[3] / "src" / "khabar" / "data" / "starter.opml"

NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>اشتراكاتي</title></head>
  <body>
    <outline text="مصر" title="مصر">
      <outline type="rss" text="اليوم السابع" xmlUrl="https://www.youm7.com/rss/SectionRss?SectionID=65"
               htmlUrl="https://www.youm7.com/" country="EG" language="ar"/>
      <outline text="رياضة">
        <outline type="rss" title="كورة" text="ignored" xmlUrl="https://sport.example/rss"/>
      </outline>
      <outline type="rss" text="بلا رابط" htmlUrl="https://nofeed.example/"/>
    </outline>
    <outline type="rss" text="Top" xmlUrl="https://top.example/feed"
             category="/World/Middle East,/News"/>
    <outline type="rss" text="Sitemap" xmlUrl="https://s.example/news-sitemap.xml" kind="sitemap"/>
    <outline text="مجلد فارغ"/>
  </body>
</opml>""".encode()


def test_nested_outlines_and_categories() -> None:
    result = read_opml(NESTED, "subs.opml")
    assert result.sources == (
        NewSource(
            url="https://www.youm7.com/rss/SectionRss?SectionID=65",
            title="اليوم السابع",
            site_url="https://www.youm7.com/",
            category="مصر",
            country="EG",
            language="ar",
        ),
        NewSource(url="https://sport.example/rss", title="كورة", category="رياضة"),
        NewSource(url="https://top.example/feed", title="Top", category="World/Middle East"),
        NewSource(url="https://s.example/news-sitemap.xml", kind="sitemap", title="Sitemap"),
    )
    assert result.skipped == ("subs.opml: outline 'بلا رابط' has no xmlUrl and was skipped",)


def test_parse_opml_logs_skipped_outlines(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="khabar.feeds.opml"):
        sources = parse_opml(NESTED, "subs.opml")
    assert len(sources) == 4
    assert "'بلا رابط' has no xmlUrl" in caplog.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?>\n<opml version="2.0">\n<body>\n'
            b'<outline text="x">\n</body></opml>',
            r"my\.opml: malformed OPML at line 5, column 2: mismatched tag",
        ),
        (b"", r"my\.opml: malformed OPML at line 1, column 0: no element found"),
        (b"<rss><channel/></rss>", r"my\.opml: not an OPML file"),
    ],
)
def test_malformed_opml(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_opml(data, "my.opml")


def test_round_trip() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    sources: list[Source | NewSource] = [
        NewSource(
            url="https://a.example/rss",
            title="أ & ب <تجربة>",
            category="الخليج",
            country="AE",
            language="ar",
        ),
        NewSource(url="https://b.example/feed?x=1&y=2", category=None),
        Source(
            id=7,
            url="https://c.example/news-sitemap.xml",
            kind="sitemap",
            title="ج",
            site_url="https://c.example/",
            category="الخليج",
            country="SA",
            language="ar",
            created_at=now,
        ),
        NewSource(url="https://d.example/rss", title="د", category="مصر"),
    ]
    text = write_opml(sources, title="تصدير")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert text.count('text="الخليج"') == 1
    back = parse_opml(text.encode(), "export.opml")
    expected = [
        NewSource(
            url=s.url,
            kind=s.kind,
            title=s.title,
            site_url=s.site_url,
            category=s.category,
            country=s.country,
            language=s.language,
        )
        for s in sources
    ]
    assert sorted(back, key=lambda s: s.url) == sorted(expected, key=lambda s: s.url)


def test_starter_list_has_real_arabic_outlets() -> None:
    result = read_opml(STARTER.read_bytes(), STARTER.name)
    assert result.skipped == ()
    sources = result.sources
    assert len(sources) >= 25
    assert len({s.url for s in sources}) == len(sources)
    for source in sources:
        assert source.url.startswith("https://"), source
        assert source.language == "ar", source
        assert source.country is not None and re.fullmatch(r"[A-Z]{2}", source.country), source
        assert source.title and source.category, source
    categories = {s.category for s in sources}
    assert {
        "عربية شاملة",
        "الخليج",
        "الشام",
        "مصر",
        "المغرب العربي",
        "وكالات الأنباء",
    } <= categories
    hosts = " ".join(s.url for s in sources)
    for agency in ("spa.gov.sa", "wam.ae", "kuna.net.kw", "aa.com.tr/ar"):
        assert agency in hosts
