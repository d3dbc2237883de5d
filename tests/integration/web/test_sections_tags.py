"""Section pages, tag pages, their API, and the reader's theme and calendar settings."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from fastapi.testclient import TestClient

from khabar.dedupe.link import article_fingerprint, link_copies
from khabar.rules import Condition, RuleHit, RuleSpec
from khabar.service import Khabar
from khabar.web.html.reader import PAGE_SIZE

from .conftest import add_article, add_source
from .test_copies import WIRE
from .test_pages import assert_rtl_page

GAZA = "غزة"


def _hide(service: Khabar, article_id: int) -> None:
    rule = service.storage.rules.add_rule(
        RuleSpec("إخفاء", "hide", (Condition("keyword", ("مخفي",)),))
    )
    service.storage.rules.record_hits(article_id, [RuleHit(rule.id, "hide", "مخفي")])


def _copies(service: Khabar, **extra: object) -> int:
    """Two outlets carrying one text; returns the id of the one leading the group."""
    first = add_source(service, "عكاظ", "https://okaz.example/rss")
    second = add_source(service, "الرياض", "https://riyadh.example/rss")
    ids = []
    for n, source in enumerate((first, second), start=1):
        article_id = add_article(
            service,
            source,
            100 + n,
            title=f"مستشفى جديد {n}",
            text=WIRE,
            minutes_ago=50 - n,
            fingerprint=article_fingerprint(WIRE),
            **extra,
        )
        ids.append(link_copies(service.storage, article_id, timedelta(days=7)).id)
    return ids[0]


def test_home_has_section_tabs(client: TestClient, service: Khabar) -> None:
    html = client.get("/").text
    assert '<nav class="tabs" aria-label="الأقسام">' in html
    assert '<a href="/" aria-current="page">الكل</a>' in html
    assert '<a href="/sections/economy">اقتصاد</a>' in html
    assert '<a href="/sections/sports">رياضة</a>' in html


def test_section_page_lists_its_newest_articles(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="البورصة ترتفع", section="economy", minutes_ago=5)
    add_article(service, source, 2, title="مباراة القمة", section="sports")
    add_article(service, source, 3, title="النفط يهبط", section="economy", minutes_ago=60)
    hidden = add_article(service, source, 4, title="خبر مخفي", section="economy")
    _hide(service, hidden)
    response = client.get("/sections/economy")
    html = response.text
    assert response.status_code == 200
    assert_rtl_page(html)
    assert "<h1>اقتصاد</h1>" in html
    assert '<a href="/sections/economy" aria-current="page">اقتصاد</a>' in html
    assert html.index("البورصة ترتفع") < html.index("النفط يهبط")
    assert "مباراة القمة" not in html and "خبر مخفي" not in html
    assert 'href="/feeds/section/economy.atom"' in html
    assert client.get("/sections/" + quote("اقتصاد")).text.count("البورصة ترتفع") == 1
    assert client.get("/sections/nothing").status_code == 404


def test_section_page_folds_copies_and_pages_by_cursor(client: TestClient, service: Khabar) -> None:
    lead = _copies(service, section="health")
    html = client.get("/sections/health").text
    assert html.count('class="entry"') == 1
    assert f'href="/articles/{lead}#copies"' in html and "+مصدر واحد" in html
    source = add_source(service, "ب", "https://b.example/rss")
    for n in range(PAGE_SIZE + 3):
        add_article(service, source, n, title=f"رياضة-{n}-", section="sports")
    first = client.get("/sections/sports").text
    assert f"رياضة-{PAGE_SIZE - 1}-" in first and f"رياضة-{PAGE_SIZE}-" not in first
    cursor = first.split("/sections/sports?before=")[1].split('"')[0]
    second = client.get("/sections/sports?before=" + cursor.replace("&amp;", "&")).text
    assert f"رياضة-{PAGE_SIZE}-" in second and "رياضة-0-" not in second


def test_tag_page_lists_tagged_articles_with_a_trend_chart(
    client: TestClient, service: Khabar
) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="قصف جديد", categories=(GAZA, "فلسطين"), minutes_ago=5)
    add_article(service, source, 2, title="خبر الضفة", categories=("فلسطين",))
    add_article(service, source, 3, title="هدنة مرتقبة", categories=(GAZA,), minutes_ago=60)
    hidden = add_article(service, source, 4, title="خبر مخفي", categories=(GAZA,))
    _hide(service, hidden)
    response = client.get("/tags/" + quote(GAZA))
    html = response.text
    assert response.status_code == 200
    assert_rtl_page(html)
    assert f'<h1 dir="auto">{GAZA}</h1>' in html
    assert html.index("قصف جديد") < html.index("هدنة مرتقبة")
    assert "خبر الضفة" not in html and "خبر مخفي" not in html
    assert '<figure class="trend">' in html and "<rect " in html
    assert f'href="/feeds/tag/{quote(GAZA)}.atom"' in html
    assert client.get("/tags/" + quote("لا يوجد")).status_code == 404


def test_tag_page_folds_copies_and_pages(client: TestClient, service: Khabar) -> None:
    lead = _copies(service, categories=(GAZA,))
    html = client.get("/tags/" + quote(GAZA)).text
    assert html.count('class="entry"') == 1 and f"/articles/{lead}#copies" in html
    source = add_source(service, "ب", "https://b.example/rss")
    for n in range(PAGE_SIZE + 3):
        add_article(service, source, n, title=f"وسم-{n}-", categories=("كثير",))
    first = client.get("/tags/" + quote("كثير")).text
    assert f"وسم-{PAGE_SIZE - 1}-" in first and f"وسم-{PAGE_SIZE}-" not in first
    assert 'rel="next"' in first


def test_article_tags_link_to_tag_pages(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    article_id = add_article(service, source, 1, categories=(GAZA, "وقف إطلاق النار"))
    html = client.get(f"/articles/{article_id}").text
    assert f'href="/tags/{quote(GAZA)}"' in html
    assert f'href="/tags/{quote("وقف إطلاق النار")}"' in html
    assert client.get(f"/tags/{quote('وقف إطلاق النار')}").status_code == 200


def test_api_sections_and_tags(client: TestClient, service: Khabar) -> None:
    sections = client.get("/api/v1/sections").json()["sections"]
    assert {"key": "economy", "name": "اقتصاد"} in sections and len(sections) == 8
    source = add_source(service)
    for n in range(3):
        add_article(service, source, n, section="economy", categories=(GAZA,))
    add_article(service, source, 9, section="sports")
    page = client.get("/api/v1/sections/economy", params={"limit": 2}).json()
    assert len(page["articles"]) == 2 and page["next_cursor"]
    rest = client.get(
        "/api/v1/sections/economy", params={"limit": 2, "cursor": page["next_cursor"]}
    ).json()
    assert len(rest["articles"]) == 1 and rest["next_cursor"] is None
    assert {a["section"] for a in page["articles"] + rest["articles"]} == {"economy"}
    missing = client.get("/api/v1/sections/nothing")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    by_filter = client.get("/api/v1/articles", params={"section": "sports"}).json()
    assert [a["section"] for a in by_filter["articles"]] == ["sports"]
    tag = client.get("/api/v1/tags/" + quote(GAZA)).json()
    assert tag["tag"] == GAZA and len(tag["articles"]) == 3 and tag["next_cursor"] is None
    assert sum(d["articles"] for d in tag["trend"]) == 3 and len(tag["trend"]) == 30
    assert client.get("/api/v1/tags/" + quote("لا يوجد")).status_code == 404


def test_dates_carry_the_hijri_date_and_the_settings_buttons(
    client: TestClient, service: Khabar
) -> None:
    source = add_source(service)
    add_article(service, source, 1)
    html = client.get("/").text
    assert '<span class="hijri"> — ' in html and " هـ</span>" in html
    assert 'id="theme-toggle"' in html and 'id="calendar-toggle"' in html
    assert "<script>" not in html and "style=" not in html  # the CSP allows no inline code
    css = client.get("/static/khabar.css").text
    assert ".hijri { display: none; }" in css
    assert ':root[data-calendar="hijri"] .hijri { display: inline; }' in css


def test_tag_with_a_slash_and_its_feed(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    article_id = add_article(service, source, 1, title="على مدار الساعة", categories=("24/7",))
    assert 'href="/tags/24/7"' in client.get(f"/articles/{article_id}").text
    html = client.get("/tags/24/7").text
    assert "على مدار الساعة" in html and 'href="/feeds/tag/24/7.atom"' in html
    assert client.get("/feeds/tag/24/7.atom").status_code == 200
