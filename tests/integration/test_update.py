"""Updating sources end to end over real local HTTP into a real SQLite file.

Bad input (issue 2): malformed XML, a feed that is HTML, an empty 200, 404/500/timeout, a
redirect loop, a body over the cap, a wrong declared charset, 127.0.0.1 without the allow
setting — each a clear per-source error; the other sources still update; nothing stored is lost.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from email.utils import format_datetime
from pathlib import Path

import pytest
from tests.support.httpserver import LocalServer, Reply, Request
from tests.support.spies import keyword_spy
from tests.support.texts import distinct_paragraph

from khabar import pipeline
from khabar.analyze.section_keys import SECTIONS
from khabar.service import Khabar
from khabar.settings import Settings
from khabar.types import Source, SourceUpdateResult

DECIDED_BY = {"model", "rules", "feed", "none"}
ARTICLE_TEXT = (
    "أعلنت وزارة الصحة في القاهرة اليوم عن إطلاق حملة وطنية جديدة للتطعيم تستهدف ملايين "
    "الأطفال في مختلف المحافظات، وذلك بالتعاون مع منظمات دولية.",
    "وقال المتحدث باسم الوزارة إن الحملة ستستمر ثلاثة أسابيع، وإن فرقاً طبية ستجوب القرى "
    "والمدن لضمان وصول اللقاح إلى كل طفل في الفئة العمرية المستهدفة.",
    "وأضاف أن الوزارة وفرت أكثر من عشرين مليون جرعة، وأن التطعيم مجاني في جميع الوحدات "
    "الصحية، داعياً الأسر إلى التعاون مع الفرق الطبية.",
)


def rss(base: str, items: list[tuple[str, str]], title: str = "أخبار تجريبية") -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<description>ملخص: {t}</description>"
        f"<pubDate>{format_datetime_utc(i)}</pubDate></item>"
        for i, (path, t) in enumerate(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/</link>{entries}</channel></rss>"
    ).encode()


def format_datetime_utc(hours_ago: int) -> str:
    from datetime import UTC, datetime, timedelta

    return format_datetime(datetime.now(UTC) - timedelta(hours=hours_ago, minutes=5))


def page(title: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in (*ARTICLE_TEXT, distinct_paragraph(title)))
    return (
        f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><nav><a href='/'>الرئيسية</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>جميع الحقوق محفوظة</footer>"
        f"</body></html>"
    ).encode()


HTML_HEADERS = {"Content-Type": "text/html; charset=utf-8"}
RSS_HEADERS = {"Content-Type": "application/rss+xml"}


def good_feed(server: LocalServer, prefix: str, count: int = 3) -> str:
    items = [(f"/{prefix}/a{i}.html", f"خبر {prefix} رقم {i}") for i in range(count)]
    server.route(f"/{prefix}/feed.xml", Reply(200, rss(server.origin, items), RSS_HEADERS))
    for path, title in items:
        server.route(path, Reply(200, page(title), HTML_HEADERS))
    return server.url(f"/{prefix}/feed.xml")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        running.route("/robots.txt", Reply(200, "User-agent: *\nDisallow: /private/\n"))
        yield running


def make_settings(tmp_path: Path, **changes: object) -> Settings:
    base = Settings(
        database_url=f"sqlite:///{tmp_path / 'khabar.db'}",
        allow_hosts=("127.0.0.1",),
        per_host_delay=0.0,
        per_host_concurrency=4,
        connect_timeout=2.0,
        read_timeout=1.0,
        fetch_deadline=3.0,
        max_body_bytes=200_000,
    )
    return base.replace(**changes)


def follow(service: Khabar, *urls: str) -> list[int]:
    from khabar.types import NewSource

    return [service.storage.add_source(NewSource(url=u)).id for u in urls]


def update(service: Khabar) -> dict[int, SourceUpdateResult]:
    return {r.source_id: r for r in asyncio.run(service.update())}


def test_update_stores_articles_once(server: LocalServer, tmp_path: Path) -> None:
    with Khabar(make_settings(tmp_path)) as service:
        (sid,) = follow(service, good_feed(server, "good"))
        first = update(service)[sid]
        assert (first.status, first.new, first.failed) == ("new", 3, 0)
        stored = service.articles(limit=10)
        assert len(stored) == 3
        article = service.article(stored[0].id)
        assert article.paragraphs[0].startswith("أعلنت وزارة الصحة")
        assert article.extraction_error is None and article.language == "ar"
        assert article.section in SECTIONS and article.section_decided_by in DECIDED_BY
        assert article.section_confidence is not None
        assert article.published is not None and article.published.tzinfo is not None
        second = update(service)[sid]
        assert (second.status, second.new) == ("unchanged", 0)
        assert service.count_articles() == 3
        assert service.search("القاهره").total == 3
        source = service.source(sid)
        assert source.error_count == 0 and source.last_fetched_at is not None
        assert source.next_fetch_at is not None and source.next_fetch_at > source.last_fetched_at
        assert source.title == "أخبار تجريبية"


def test_not_modified_costs_no_parse(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = rss(server.origin, [("/c/a.html", "خبر")])
    server.route("/c/a.html", Reply(200, page("خبر"), HTML_HEADERS))

    def conditional(request: Request) -> Reply:
        if request.header("if-none-match") == '"v1"':
            return Reply(304, b"", {"ETag": '"v1"'})
        return Reply(200, body, {**RSS_HEADERS, "ETag": '"v1"'})

    server.route("/c/feed.xml", conditional)
    calls: list[str] = []
    real_parse = pipeline.parse_feed

    def counting_parse(*args: object, **kwargs: object) -> object:
        calls.append("parse")
        return real_parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "parse_feed", counting_parse)
    with Khabar(make_settings(tmp_path)) as service:
        (sid,) = follow(service, server.url("/c/feed.xml"))
        assert update(service)[sid].new == 1
        assert service.source(sid).etag == '"v1"'
        again = update(service)[sid]
        assert again.status == "unchanged"
        assert calls == ["parse"]
        assert server.requests[-1].header("if-none-match") == '"v1"'


def _slow(_: Request) -> Reply:
    time.sleep(2.5)
    return Reply(200, b"<rss/>", RSS_HEADERS)


BAD_SOURCES: dict[str, tuple[Reply | object, str]] = {
    "malformed": (
        Reply(200, b"<?xml version='1.0'?><rss><channel><item>", RSS_HEADERS),
        "malformed XML",
    ),
    "html": (Reply(200, b"<!doctype html><html><body>hi</body></html>", HTML_HEADERS), "HTML page"),
    "empty": (Reply(200, b"", RSS_HEADERS), "empty"),
    "missing": (Reply(404, b"not here"), "HTTP 404"),
    "broken": (Reply(500, b"oops"), "HTTP 500"),
    "slow": (_slow, "timed out"),
    "loop": (None, "redirect"),
    "huge": (Reply(200, b"<rss>" + b"x" * 400_000 + b"</rss>", RSS_HEADERS), "cap"),
}


def test_each_bad_source_fails_alone(server: LocalServer, tmp_path: Path) -> None:
    for name, (reply, _) in BAD_SOURCES.items():
        if name == "loop":
            server.route("/loop/feed.xml", Reply.redirect("/loop/other.xml"))
            server.route("/loop/other.xml", Reply.redirect("/loop/feed.xml"))
        else:
            server.route(f"/{name}/feed.xml", reply)  # type: ignore[arg-type]
    with Khabar(make_settings(tmp_path)) as service:
        good_id = follow(service, good_feed(server, "good"))[0]
        ids = dict(
            zip(
                BAD_SOURCES,
                follow(service, *(server.url(f"/{n}/feed.xml") for n in BAD_SOURCES)),
                strict=True,
            )
        )
        results = update(service)
        assert results[good_id].new == 3
        for name, (_, expected) in BAD_SOURCES.items():
            result = results[ids[name]]
            assert result.status == "failed", name
            assert result.error is not None and expected.lower() in result.error.lower(), (
                name,
                result.error,
            )
            assert f"/{name}/feed.xml" in result.error, "the error names the source"
            source = service.source(ids[name])
            assert source.error_count == 1 and source.last_error == result.error
        assert service.count_articles() == 3


def test_a_failing_source_loses_nothing_and_backs_off(server: LocalServer, tmp_path: Path) -> None:
    url = good_feed(server, "flaky")
    # Items an hour apart poll every 30 min; with min_interval=30 min the backoff shows.
    with Khabar(make_settings(tmp_path, min_interval=1800.0)) as service:
        (sid,) = follow(service, url)
        update(service)
        healthy = service.source(sid)
        server.route("/flaky/feed.xml", Reply(500, b"down"))
        update(service)
        once = service.source(sid)
        update(service)
        sick = service.source(sid)
        assert (
            sick.error_count == 2 and sick.last_error is not None and "HTTP 500" in sick.last_error
        )
        assert service.count_articles() == 3 and healthy.article_count == 3
        assert _wait(healthy) == 1800
        assert (_wait(once), _wait(sick)) == (3600, 7200), "exponential backoff on errors"
        good_feed(server, "flaky")
        update(service)
        assert service.source(sid).error_count == 0


def _wait(source: Source) -> float:
    assert source.next_fetch_at is not None and source.last_fetched_at is not None
    return (source.next_fetch_at - source.last_fetched_at).total_seconds()


def test_pages_that_fail_keep_the_feed_text(server: LocalServer, tmp_path: Path) -> None:
    items = [
        ("/p/missing.html", "صفحة مفقودة"),
        ("/private/a.html", "صفحة ممنوعة"),
        ("/p/doc.pdf", "ملف"),
    ]
    server.route("/p/feed.xml", Reply(200, rss(server.origin, items), RSS_HEADERS))
    server.route("/private/a.html", Reply(200, page("ممنوعة"), HTML_HEADERS))
    server.route("/p/doc.pdf", Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"}))
    with Khabar(make_settings(tmp_path)) as service:
        (sid,) = follow(service, server.url("/p/feed.xml"))
        result = update(service)[sid]
        assert result.new == 3 and result.failed == 3
        errors = {a.title: a.extraction_error or "" for a in service.articles(limit=10)}
        assert "HTTP 404" in errors["صفحة مفقودة"]
        assert "robots" in errors["صفحة ممنوعة"].lower()
        assert "application/pdf" in errors["ملف"]
        kept = next(a for a in service.articles(limit=10) if a.title == "ملف")
        assert "ملخص" in kept.text
        assert server.hits("/private/a.html") == 0


def test_wrong_declared_charset_still_reads_arabic(server: LocalServer, tmp_path: Path) -> None:
    body = rss(server.origin, [("/w/a.html", "الأخبار العاجلة من بيروت")])
    server.route(
        "/w/feed.xml", Reply(200, body, {"Content-Type": "application/rss+xml; charset=iso-8859-1"})
    )
    cp1256 = page("مقال بترميز ويندوز").decode().replace("utf-8", "windows-1256").encode("cp1256")
    server.route("/w/a.html", Reply(200, cp1256, {"Content-Type": "text/html; charset=utf-8"}))
    with Khabar(make_settings(tmp_path)) as service:
        (sid,) = follow(service, server.url("/w/feed.xml"))
        result = update(service)[sid]
        assert result.status == "new", result
        (article,) = service.articles(limit=1)
        assert article.title in {"الأخبار العاجلة من بيروت", "مقال بترميز ويندوز"}
        assert "أعلنت وزارة الصحة" in article.text


def test_loopback_refused_without_allow_setting(server: LocalServer, tmp_path: Path) -> None:
    good_feed(server, "good")
    good_feed(server, "other")
    settings = make_settings(tmp_path, allow_hosts=("localhost",))
    with Khabar(settings) as service:
        allowed = follow(service, f"http://localhost:{server.port}/good/feed.xml")[0]
        refused = follow(service, server.url("/other/feed.xml"))[0]
        results = update(service)
        assert results[allowed].new == 3, results[allowed]
        error = results[refused].error or ""
        assert results[refused].status == "failed" and "127.0.0.1" in error and "loopback" in error
        assert server.hits("/other/feed.xml") == 0


def test_google_news_sitemap_index_as_a_source(server: LocalServer, tmp_path: Path) -> None:
    child = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        + "".join(
            f"<url><loc>{server.url(f'/s/a{i}.html')}</loc><news:news><news:publication>"
            "<news:name>مثال</news:name><news:language>ar</news:language></news:publication>"
            f"<news:publication_date>2024-05-0{i + 1}T10:00:00+03:00</news:publication_date>"
            f"<news:title>عنوان الخريطة {i}</news:title></news:news></url>"
            for i in range(2)
        )
        + "</urlset>"
    )
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url('/s/news.xml')}</loc><lastmod>2024-05-02</lastmod></sitemap>"
        f"<sitemap><loc>{server.url('/s/gone.xml')}</loc><lastmod>2024-01-01</lastmod></sitemap>"
        "</sitemapindex>"
    )
    xml = {"Content-Type": "application/xml"}
    server.route("/s/index.xml", Reply(200, index, xml))
    server.route("/s/news.xml", Reply(200, child, xml))
    for i in range(2):
        server.route(f"/s/a{i}.html", Reply(200, page(f"عنوان الخريطة {i}"), HTML_HEADERS))
    with Khabar(make_settings(tmp_path)) as service:
        (sid,) = follow(service, server.url("/s/index.xml"))
        result = update(service)[sid]
        assert (result.status, result.new, result.failed) == ("new", 2, 0), result
        titles = sorted(a.title for a in service.articles(limit=10))
        assert titles == ["عنوان الخريطة 0", "عنوان الخريطة 1"]
        assert all(a.published is not None for a in service.articles(limit=10))
        assert server.hits("/s/gone.xml") == 1  # fetched, 404, skipped without failing the source


TWEET = (
    '<blockquote class="twitter-tweet"><p lang="ar" dir="rtl">انطلقت اليوم الحملة الوطنية '
    "للتطعيم في جميع المحافظات</p>&mdash; وزارة الصحة (@MOHP_Egypt) "
    '<a href="https://twitter.com/MOHP_Egypt/status/1765000000000000000">March 5, 2024</a>'
    "</blockquote>"
)


def test_a_pages_tweet_and_read_also_link_are_kept_beside_the_text(
    server: LocalServer, tmp_path: Path
) -> None:
    items = [("/emb/a0.html", "خبر الحملة"), ("/emb/a1.html", "خبر اللقاحات")]
    server.route("/emb/feed.xml", Reply(200, rss(server.origin, items), RSS_HEADERS))
    body = (
        page("خبر الحملة")
        .decode()
        .replace(
            "</article>",
            f'{TWEET}<div class="read-also"><h3>اقرأ أيضاً</h3><ul><li>'
            '<a href="/emb/a1.html?utm_source=box">خبر اللقاحات</a></li></ul></div></article>',
        )
    )
    server.route("/emb/a0.html", Reply(200, body.encode(), HTML_HEADERS))
    server.route("/emb/a1.html", Reply(200, page("خبر اللقاحات"), HTML_HEADERS))
    with Khabar(make_settings(tmp_path)) as service:
        follow(service, server.url("/emb/feed.xml"))
        update(service)
        by_title = {a.title: a for a in service.articles(limit=10)}
        campaign, vaccines = by_title["خبر الحملة"], by_title["خبر اللقاحات"]
        (tweet,) = service.article_embeds(campaign.id)
        links = service.article_links(campaign.id)
    assert (tweet.kind, tweet.author, tweet.language) == ("tweet", "MOHP_Egypt", "ar")
    assert tweet.text.startswith("انطلقت اليوم الحملة") and str(tweet.published) == "2024-03-05"
    assert "انطلقت اليوم الحملة" not in campaign.text
    assert [(x.kind, x.title, x.article_id) for x in links] == [
        ("read_also", "خبر اللقاحات", vaccines.id)
    ]


def test_a_sources_stored_section_shares_reach_the_analysis_of_its_new_articles(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``khabar reanalyze`` stores each source's section shares; the update path (fetch,
    extraction worker, analysis) classifies that source's new articles with them."""
    import khabar.workers

    used = keyword_spy(monkeypatch, khabar.workers, "analyze_article", "section_priors")
    shares = {"sports": 0.6, "politics": 0.2, "economy": 0.1, "culture": 0.05, "technology": 0.05}
    with Khabar(make_settings(tmp_path, extract_workers=1)) as service:
        first, second = follow(service, good_feed(server, "one", 2), good_feed(server, "two", 1))
        service.storage.set_section_priors(first, shares)
        results = update(service)
    assert results[first].new == 2 and results[second].new == 1
    assert sorted(used, key=lambda p: p is None) == [shares, shares, None]
