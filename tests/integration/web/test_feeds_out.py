"""Outgoing feeds served by the real app over a real SQLite file, parsed back with feedparser."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import feedparser
import pytest
from fastapi.testclient import TestClient

from khabar.dedupe.link import article_fingerprint, link_copies
from khabar.feeds.discovery import find_feed_links
from khabar.service import Khabar
from khabar.types import ArticleDraft, Source
from khabar.web.feeds_routes import DEFAULT_LIMIT, MAX_LIMIT

from .conftest import add_article, add_source

CONTENT_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


def feed(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    result = feedparser.parse(response.content)
    assert not result.bozo, result.get("bozo_exception")
    return result


def titles(result: Any) -> list[str]:
    return [entry.title for entry in result.entries]


def problem(response: Any, status: int, code: str) -> dict[str, str]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error: dict[str, str] = response.json()["error"]
    assert error["code"] == code and error["message_ar"] and error["message_en"]
    return error


def bulk(service: Khabar, source: Source, count: int) -> None:
    """``count`` articles written directly, indexed once (faster than add_article per item)."""
    now = datetime.now(UTC)
    for n in range(count):
        draft = ArticleDraft(
            source_id=source.id,
            key=f"bulk{n}",
            url=f"https://a.example/bulk/{n}",
            title=f"خبر-{n}-",
            text="نص قصير.",
            published=now - timedelta(minutes=n),
        )
        service.storage.upsert_article(draft)
    service.storage.search.update()


# --- formats and the latest feed ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["atom", "rss", "json"])
def test_latest_feed_in_each_format(client: TestClient, service: Khabar, fmt: str) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="الخبر الأحدث", minutes_ago=5, author="سارة")
    add_article(service, source, 2, title="الخبر الأقدم", minutes_ago=60)
    response = client.get(f"/feeds/latest.{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPES[fmt]
    base = str(client.base_url)
    if fmt == "json":
        document = json.loads(response.content)
        assert document["title"] == "خبر — الأحدث"
        assert document["feed_url"] == f"{base}/feeds/latest.json"
        assert [i["title"] for i in document["items"]] == ["الخبر الأحدث", "الخبر الأقدم"]
        assert document["items"][0]["id"] == f"{base}/articles/1"
        return
    result = feedparser.parse(response.content)
    assert not result.bozo
    assert result.feed.title == "خبر — الأحدث" and result.feed.language == "ar"
    assert titles(result) == ["الخبر الأحدث", "الخبر الأقدم"]
    first = result.entries[0]
    assert first.link == "https://a.example/1" and first.id == f"{base}/articles/1"
    assert first.author == "سارة"
    self_links = [link.href for link in result.feed.links if link.rel == "self"]
    assert self_links == [f"{base}/feeds/latest.{fmt}"]


def test_feed_items_link_to_a_working_article_page(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="خبر له صفحة")
    entry = feed(client, "/feeds/latest.atom").entries[0]
    page = next(link.href for link in entry.links if link.rel == "related")
    html = client.get(page).text
    assert "خبر له صفحة" in html


def test_limit_defaults_to_50_and_is_cut_to_200(client: TestClient, service: Khabar) -> None:
    bulk(service, add_source(service), MAX_LIMIT + 5)
    assert len(feed(client, "/feeds/latest.rss").entries) == DEFAULT_LIMIT
    assert titles(feed(client, "/feeds/latest.atom", limit=3)) == ["خبر-0-", "خبر-1-", "خبر-2-"]
    assert len(feed(client, "/feeds/latest.atom", limit=0).entries) == 1
    assert len(feed(client, "/feeds/latest.atom", limit=100_000).entries) == MAX_LIMIT
    document = client.get("/feeds/latest.json", params={"limit": 201}).json()
    assert len(document["items"]) == MAX_LIMIT


def test_limit_that_is_not_a_number_is_a_json_400(client: TestClient) -> None:
    problem(client.get("/feeds/latest.atom", params={"limit": "all"}), 400, "invalid_limit")


def test_unknown_format_or_kind_is_a_json_404(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    problem(client.get("/feeds/latest.xml"), 404, "not_found")
    problem(client.get(f"/feeds/source/{source.id}.html"), 404, "not_found")
    problem(client.get("/feeds/planet/1.atom"), 404, "not_found")
    problem(client.get("/feeds/latest"), 404, "not_found")
    problem(client.get("/feeds/"), 404, "not_found")


# --- section, source, tag ----------------------------------------------------------------


def test_section_feed_by_key_or_arabic_name(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="البورصة ترتفع", section="economy")
    add_article(service, source, 2, title="مباراة القمة", section="sports")
    add_article(service, source, 3, title="النفط يهبط", section="economy")
    by_key = feed(client, "/feeds/section/economy.atom")
    assert by_key.feed.title == "خبر — اقتصاد"
    assert titles(by_key) == ["البورصة ترتفع", "النفط يهبط"]
    assert by_key.entries[0].tags[0].term == "اقتصاد"
    by_name = feed(client, "/feeds/section/" + quote("اقتصاد") + ".rss")
    assert titles(by_name) == ["البورصة ترتفع", "النفط يهبط"]
    page = client.get(by_name.feed.link)  # the reader page showing the same list
    assert page.status_code == 200 and "البورصة ترتفع" in page.text
    assert "مباراة القمة" not in page.text


def test_unknown_section_is_a_json_404(client: TestClient) -> None:
    error = problem(client.get("/feeds/section/astrology.atom"), 404, "unknown_section")
    assert "اقتصاد" in error["message_ar"] and "economy" in error["message_en"]


def test_source_feed(client: TestClient, service: Khabar) -> None:
    mine = add_source(service, "بي بي سي عربي", "https://b.example/rss")
    other = add_source(service, "أخرى", "https://c.example/rss")
    add_article(service, mine, 1, title="خبر المصدر")
    add_article(service, other, 2, title="خبر مصدر آخر")
    result = feed(client, f"/feeds/source/{mine.id}.atom")
    assert result.feed.title == "خبر — بي بي سي عربي"
    assert titles(result) == ["خبر المصدر"]
    home = [link.href for link in result.feed.links if link.rel == "alternate"]
    assert home == [f"{client.base_url}/sources/{mine.id}"]


def test_missing_source_is_a_json_404(client: TestClient) -> None:
    problem(client.get("/feeds/source/999.atom"), 404, "not_found")
    problem(client.get("/feeds/source/abc.rss"), 404, "not_found")


def test_tag_feed_holds_articles_tagged_with_it(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="قصف على غزة", categories=("غزة", "فلسطين"))
    add_article(service, source, 2, title="مساعدات تصل إلى غزة")  # mentions, not tagged
    add_article(service, source, 3, title="أخبار الضفة", categories=("فلسطين",))
    add_article(service, source, 4, title="غزة من جديد", categories=("غزّة",))
    result = feed(client, "/feeds/tag/" + quote("غزة") + ".atom")
    assert result.feed.title == "خبر — وسم: غزة"
    assert titles(result) == ["قصف على غزة", "غزة من جديد"]
    variant = feed(client, "/feeds/tag/" + quote("غزه") + ".rss")  # spelling variant
    assert titles(variant) == ["قصف على غزة", "غزة من جديد"]


def test_tag_with_several_words_and_a_slash(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(
        service, source, 1, title="قطاع غزة 24/7", text="قطاع غزة 24/7", categories=("24/7",)
    )
    add_article(service, source, 2, title="عن قطاع غزة", categories=("قطاع غزة",))
    assert titles(feed(client, "/feeds/tag/" + quote("قطاع غزة") + ".atom")) == ["عن قطاع غزة"]
    assert titles(feed(client, "/feeds/tag/24/7.atom")) == ["قطاع غزة 24/7"]


# --- search ------------------------------------------------------------------------------


def test_search_feed_takes_the_query_language(client: TestClient, service: Khabar) -> None:
    jazeera = add_source(service, "الجزيرة", "https://a.example/rss")
    bbc = add_source(service, "بي بي سي عربي", "https://b.example/rss")
    add_article(service, jazeera, 1, title="غزة الآن", minutes_ago=10, language="ar")
    add_article(service, bbc, 2, title="غزة اليوم", minutes_ago=5, language="ar")
    add_article(service, jazeera, 3, title="Gaza today", text="Gaza news.", language="en")
    add_article(service, jazeera, 4, title="غزة غزة غزة", minutes_ago=90, section="politics")
    result = feed(client, "/feeds/search.atom", q="غزة")
    assert result.feed.title == "خبر — بحث: غزة"
    assert titles(result) == ["غزة اليوم", "غزة الآن", "غزة غزة غزة"]  # newest first
    assert titles(feed(client, "/feeds/search.rss", q="غزة source:الجزيرة")) == [
        "غزة الآن",
        "غزة غزة غزة",
    ]
    assert titles(feed(client, "/feeds/search.atom", q="gaza lang:en")) == ["Gaza today"]
    assert titles(feed(client, "/feeds/search.atom", q="section:سياسة")) == ["غزة غزة غزة"]


def test_search_feed_ids_and_links_are_absolute_and_encoded(
    client: TestClient, service: Khabar
) -> None:
    add_article(service, add_source(service), 1, title="غزة")
    result = feed(client, "/feeds/search.atom", q="غزة")
    encoded = quote("غزة", safe="")
    assert result.feed.id == f"{client.base_url}/feeds/search.atom?q={encoded}"
    alternate = next(link.href for link in result.feed.links if link.rel == "alternate")
    assert alternate == f"{client.base_url}/search?q={encoded}&sort=date"
    assert "غزة" in client.get(alternate).text


def test_bad_search_query_is_a_clear_json_400(client: TestClient) -> None:
    error = problem(client.get("/feeds/search.atom", params={"q": '"غزة'}), 400, "invalid_query")
    assert "character 1" in error["message_en"]
    problem(client.get("/feeds/search.rss", params={"q": "  "}), 400, "missing_query")
    problem(client.get("/feeds/search.json"), 400, "missing_query")


# --- copies ------------------------------------------------------------------------------

WIRE = (
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة جدة بسعة خمسمائة سرير "
    "ويضم المستشفى أقساما للطوارئ والعناية المركزة وجراحة القلب والأورام ويخدم سكان "
    "المنطقة الغربية وقال الوزير إن المشروع يأتي ضمن خطة لتطوير الخدمات الصحية في المملكة"
)


def test_copies_fold_into_one_item_that_credits_the_original(
    client: TestClient, service: Khabar
) -> None:
    okaz = add_source(service, "عكاظ", "https://okaz.example/rss")
    riyadh = add_source(service, "الرياض", "https://riyadh.example/rss")
    madina = add_source(service, "المدينة", "https://madina.example/rss")
    ids = []
    for n, (source, text) in enumerate(
        [(okaz, WIRE), (riyadh, "في خبر سار، " + WIRE), (madina, WIRE + " انتهى")], start=1
    ):
        article_id = add_article(
            service, source, n, title=f"مستشفى جديد في جدة {n}", text=text,
            minutes_ago=100 - n, url=f"https://{n}.example/hospital",
            fingerprint=article_fingerprint(text),
        )  # fmt: skip
        ids.append(link_copies(service.storage, article_id, timedelta(days=7)).id)
    latest = feed(client, "/feeds/latest.atom")
    assert titles(latest) == ["مستشفى جديد في جدة 1"]
    content = latest.entries[0].content[0].value
    assert "نُشر أولاً في عكاظ" in content and "+مصدران" in content
    copy = feed(client, f"/feeds/source/{riyadh.id}.rss").entries[0]
    assert copy.link == "https://2.example/hospital"
    assert "نُشر أولاً في عكاظ" in copy.content[0].value
    item = client.get("/feeds/latest.json").json()["items"][0]
    assert item["_khabar"]["copies"] == 2 and item["_khabar"]["original_outlet"] == "عكاظ"


# --- caching -----------------------------------------------------------------------------


def test_validators_and_304(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1, minutes_ago=30)
    first = client.get("/feeds/latest.atom")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first.headers["cache-control"] == "public, max-age=300"
    assert modified.endswith(" GMT")
    again = client.get("/feeds/latest.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    since = client.get("/feeds/latest.atom", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other_format = client.get("/feeds/latest.rss", headers={"If-None-Match": etag})
    assert other_format.status_code == 200  # each document has its own ETag
    add_article(service, source, 2, title="خبر جديد", minutes_ago=1)
    changed = client.get("/feeds/latest.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.headers["last-modified"] != modified
    assert titles(feedparser.parse(changed.content))[0] == "خبر جديد"


def test_head_answers_like_get_without_a_body(client: TestClient, service: Khabar) -> None:
    add_article(service, add_source(service), 1)
    got = client.get("/feeds/latest.rss")
    head = client.head("/feeds/latest.rss")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-type"] == CONTENT_TYPES["rss"]


def test_feeds_send_the_security_headers(client: TestClient) -> None:
    response = client.get("/feeds/latest.atom")
    assert response.headers["x-content-type-options"] == "nosniff"


# --- discovery from the reader pages ------------------------------------------------------

ALTERNATE = re.compile(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">')


def alternates(html: str) -> list[tuple[str, str, str]]:
    head = html.split("</head>", 1)[0]
    return [(t, title, href.replace("&amp;", "&")) for t, title, href in ALTERNATE.findall(head)]


def test_pages_announce_their_feeds(client: TestClient, service: Khabar) -> None:
    source = add_source(service, "الجزيرة")
    add_article(service, source, 1, title="غزة اليوم")
    home = alternates(client.get("/").text)
    types = ["application/atom+xml", "application/rss+xml", "application/feed+json"]
    assert [t for t, _, _ in home] == types
    assert home[0][1:] == ("خبر — الأحدث (Atom)", "/feeds/latest.atom")
    source_links = alternates(client.get(f"/sources/{source.id}").text)
    assert source_links[1][1:] == ("خبر — الجزيرة (RSS)", f"/feeds/source/{source.id}.rss")
    search_links = alternates(client.get("/search", params={"q": "غزة & co"}).text)
    href = search_links[2][2]
    assert search_links[2][1] == "خبر — بحث: غزة &amp; co (JSON Feed)"
    assert href == "/feeds/search.json?q=" + quote("غزة & co", safe="/")
    for _, _, link in (*home, *source_links, *search_links):
        assert client.get(link).status_code == 200, link


def test_khabars_own_discovery_finds_the_feeds(client: TestClient, service: Khabar) -> None:
    base = str(client.base_url)
    found = find_feed_links(client.get("/").text, base + "/")
    assert found == [f"{base}/feeds/latest.{fmt}" for fmt in ("atom", "rss", "json")]


def test_search_page_without_a_readable_query_has_no_feed(client: TestClient) -> None:
    assert alternates(client.get("/search").text) == []
    assert alternates(client.get("/search", params={"q": '"غزة'}).text) == []
