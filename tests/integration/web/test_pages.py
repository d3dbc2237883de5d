from __future__ import annotations

import re

from fastapi.testclient import TestClient

from khabar.service import Khabar
from khabar.web.html.reader import PAGE_SIZE, SEARCH_PAGE_SIZE

from .conftest import add_article, add_source

XSS_TITLE = "<script>alert(1)</script>"
XSS_TEXT = "<img src=x onerror=alert(1)>"


def assert_rtl_page(html: str) -> None:
    assert '<html lang="ar" dir="rtl">' in html


def test_home_lists_latest_articles_newest_first(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="الخبر الأحدث", minutes_ago=5)
    add_article(service, source, 2, title="الخبر الأقدم", minutes_ago=180, language="en")
    html = client.get("/").text
    assert_rtl_page(html)
    assert html.index("الخبر الأحدث") < html.index("الخبر الأقدم")
    assert 'lang="ar" dir="auto">الخبر الأحدث<' in html
    assert 'lang="en" dir="auto">الخبر الأقدم<' in html
    assert f'href="/sources/{source.id}" lang="ar" dir="auto">الجزيرة<' in html
    assert "منذ ٥ دقائق" in html and "منذ ٣ ساعات" in html
    assert "الفقرة الأولى من الخبر." in html
    assert 'src="/static/khabar.js"' in html


def test_home_pagination_with_cursor(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    for n in range(PAGE_SIZE + 5):
        add_article(service, source, n, title=f"خبر-{n}-")
    first = client.get("/").text
    assert "خبر-0-" in first and f"خبر-{PAGE_SIZE - 1}-" in first
    assert f"خبر-{PAGE_SIZE}-" not in first
    match = re.search(r'href="/\?before=([^"]+)" rel="next">الأقدم<', first)
    assert match
    second = client.get(f"/?before={match.group(1)}").text
    assert f"خبر-{PAGE_SIZE}-" in second and f"خبر-{PAGE_SIZE + 4}-" in second
    assert "خبر-0-" not in second
    assert "الأقدم</a>" not in second and 'rel="first">الأحدث<' in second


def test_bad_cursor_is_a_friendly_400(client: TestClient) -> None:
    response = client.get("/?before=yesterday")
    assert response.status_code == 400
    assert_rtl_page(response.text)
    assert "yesterday" not in response.text


def test_source_page_shows_articles_and_health(client: TestClient, service: Khabar) -> None:
    source = add_source(service, "بي بي سي عربي", "https://b.example/rss")
    other = add_source(service, "أخرى", "https://c.example/rss")
    add_article(service, source, 1, title="خبر المصدر")
    add_article(service, other, 2, title="خبر مصدر آخر")
    html = client.get(f"/sources/{source.id}").text
    assert_rtl_page(html)
    assert "بي بي سي عربي" in html and "خبر المصدر" in html
    assert "خبر مصدر آخر" not in html
    assert "مقال واحد" in html and "لم يُجلب بعد" in html and "لا أخطاء" in html


def test_article_page(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    article_id = add_article(
        service,
        source,
        1,
        title="قمة عربية في الرياض",
        author="سارة أحمد",
        categories=("سياسة", "الخليج"),
        extraction_error="HTTP 403 from the page",
    )
    html = client.get(f"/articles/{article_id}").text
    assert_rtl_page(html)
    assert 'dir="auto">قمة عربية في الرياض</h1>' in html
    assert '<p dir="auto">الفقرة الأولى من الخبر.</p>' in html
    assert '<p dir="auto">الفقرة الثانية من الخبر.</p>' in html
    assert 'lang="ar" dir="auto">سارة أحمد<' in html
    assert 'href="/tags/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9"' in html  # the tag's page
    assert 'href="https://a.example/1" rel="noopener noreferrer"' in html
    assert "فأبقينا النص الذي نشره المصدر" in html and "HTTP 403 from the page" in html


def test_article_html_view_uses_only_the_sanitized_field(
    client: TestClient, service: Khabar
) -> None:
    source = add_source(service)
    article_id = add_article(
        service, source, 1, html="<p>نص <strong>منسق</strong></p>", text="نص منسق"
    )
    assert "<strong>منسق</strong>" not in client.get(f"/articles/{article_id}").text
    assert "<strong>منسق</strong>" in client.get(f"/articles/{article_id}?view=html").text


def test_user_content_is_escaped_everywhere(client: TestClient, service: Khabar) -> None:
    source = add_source(service, XSS_TITLE, "https://x.example/rss")
    article_id = add_article(
        service, source, 1, title=XSS_TITLE, text=f"{XSS_TEXT} نص", author=XSS_TEXT,
        categories=(XSS_TEXT,), summary=XSS_TEXT,
    )  # fmt: skip
    pages = ["/", f"/sources/{source.id}", f"/articles/{article_id}", "/sources", "/search?q=نص"]
    pages.append(f"/search?q={XSS_TITLE}")
    for page in pages:
        html = client.get(page).text
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in client.get(f"/articles/{article_id}").text


def test_javascript_urls_are_not_linked(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    article_id = add_article(service, source, 1, url="javascript:alert(1)")
    assert "javascript:" not in client.get(f"/articles/{article_id}").text


def test_search_highlights_and_counts(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="الاقتصاد المصري", text="نمو الاقتصاد هذا العام.")
    other = add_article(service, source, 2, title="رياضة", text="مباراة كرة القدم.")
    html = client.get("/search", params={"q": "الاقتصاد"}).text
    assert_rtl_page(html)
    assert "نتيجة واحدة" in html
    assert "<mark>الاقتصاد</mark>" in html
    assert 'value="الاقتصاد"' in html
    assert f"/articles/{other}" not in html and "مباراة كرة القدم" not in html


def test_search_pagination(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    for n in range(SEARCH_PAGE_SIZE + 3):
        add_article(service, source, n, title=f"انتخابات {n}", text="انتخابات برلمانية")
    first = client.get("/search", params={"q": "انتخابات"}).text
    assert "٢٣ نتيجة" in first and "صفحة ١ من ٢" in first and 'rel="next"' in first
    second = client.get("/search", params={"q": "انتخابات", "page": "2"}).text
    assert "صفحة ٢ من ٢" in second and 'rel="prev"' in second
    assert second.count('class="entry"') == 3


def test_empty_search_and_no_results(client: TestClient) -> None:
    assert "اكتب كلمة" in client.get("/search").text
    assert "لا نتائج" in client.get("/search", params={"q": "غير موجود"}).text


def test_friendly_404(client: TestClient) -> None:
    for path in ("/nothing-here", "/articles/999", "/sources/999", "/articles/abc"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert_rtl_page(response.text)
        assert "الصفحة غير موجودة" in response.text


def test_static_assets_are_served(client: TestClient) -> None:
    css = client.get("/static/khabar.css")
    assert css.status_code == 200 and "color-scheme: light dark" in css.text
    assert "light-dark(" in css.text and ':root[data-theme="dark"]' in css.text
    assert "margin-inline-start" in css.text and "line-height: 1.8" in css.text
    js = client.get("/static/khabar.js")
    assert js.status_code == 200 and '"?"' in js.text


def test_search_sort_switch_and_help(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="انتخابات قديمة", text="انتخابات", minutes_ago=90)
    add_article(service, source, 2, title="انتخابات حديثة", text="انتخابات", minutes_ago=5)
    html = client.get("/search", params={"q": "انتخابات"}).text
    assert '<strong aria-current="true">الأكثر صلة</strong>' in html
    assert 'href="/search?q=%D8%A7%D9%86%D8%AA%D8%AE%D8%A7%D8%A8%D8%A7%D8%AA&amp;sort=date"' in html
    assert "لاستبعادها" in html and "source:" in html  # the syntax help line
    by_date = client.get("/search", params={"q": "انتخابات", "sort": "date"}).text
    assert '<strong aria-current="true">الأحدث</strong>' in by_date
    assert by_date.index("انتخابات حديثة") < by_date.index("انتخابات قديمة")
    assert 'name="sort" value="date"' in by_date  # a new search keeps the order
    in_query = client.get("/search", params={"q": "انتخابات sort:date"}).text
    assert '<strong aria-current="true">الأحدث</strong>' in in_query


def test_search_pages_keep_the_sort(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    for n in range(SEARCH_PAGE_SIZE + 1):
        add_article(service, source, n, title=f"انتخابات {n}", text="انتخابات")
    html = client.get("/search", params={"q": "انتخابات", "sort": "date"}).text
    assert "&amp;sort=date&amp;page=2" in html


def test_invalid_search_query_is_explained_in_the_page(client: TestClient) -> None:
    response = client.get("/search", params={"q": 'النفط "أسعار'})
    assert response.status_code == 400
    html = response.text
    assert_rtl_page(html)
    assert "تعذّرت قراءة نص البحث" in html and "علامة تنصيص غير مغلقة" in html
    assert "Unclosed quote at character 7" in html
    assert 'value="النفط &#34;أسعار"' in html  # the query stays in the box to fix it


def test_search_notes_are_shown(client: TestClient, service: Khabar) -> None:
    add_article(service, add_source(service), 1, title="كرة القدم", text="مباراة")
    html = client.get("/search", params={"q": "مباراة section:weather"}).text
    assert "قسم غير معروف تم تجاهله" in html and "نتيجة واحدة" in html


def test_article_page_shows_its_section(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    sports = add_article(service, source, 1, title="مباراة القمة", section="sports")
    other = add_article(service, source, 2, title="خبر غير مصنف", section="other")
    html = client.get(f"/articles/{sports}").text
    assert 'class="section"' in html and ">رياضة</a>" in html
    assert 'href="/sections/sports"' in html  # the section page
    assert 'class="section"' not in client.get(f"/articles/{other}").text
