from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.web import create_app
from khabar.web.auth import SESSION_COOKIE

from .conftest import TOKEN, add_source

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="one" type="rss" xmlUrl="https://one.example/rss"/>
<outline text="two" type="rss" xmlUrl="https://two.example/rss"/>
</body></opml>"""


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def login(client: TestClient) -> str:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"token": TOKEN, "csrf": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/sources"
    return csrf_of(client.get("/sources").text)


def test_sources_page_lists_health(client: TestClient, service: Khabar) -> None:
    add_source(service, "المصدر الأول", "https://one.example/rss")
    html = client.get("/sources").text
    assert '<html lang="ar" dir="rtl">' in html
    assert "تتابع مصدر واحد" in html and "المصدر الأول" in html
    assert "لم يُجلب بعد" in html and "لا مقالات" in html
    assert 'href="/sources.opml"' in html
    assert "سجّل الدخول مشرفاً" in html and 'action="/sources"' not in html


def test_login_then_add_source_through_the_form(
    client: TestClient, service: Khabar, feed_server: str
) -> None:
    csrf = login(client)
    html = client.get("/sources").text
    assert 'action="/sources"' in html and 'action="/sources/import"' in html
    response = client.post(
        "/sources", data={"url": f"{feed_server}/rss", "category": "محلي", "csrf": csrf}
    )
    assert response.status_code == 200 and "أُضيف المصدر." in response.text
    [source] = service.sources()
    assert source.title == "صحيفة محلية" and source.category == "محلي"
    again = client.post("/sources", data={"url": f"{feed_server}/rss", "csrf": csrf})
    assert again.status_code == 409 and "متابَع بالفعل" in again.text


def test_add_source_error_is_shown_in_arabic_without_raw_text(client: TestClient) -> None:
    csrf = login(client)
    response = client.post("/sources", data={"url": "ftp://nope", "csrf": csrf})
    assert response.status_code == 400
    assert "المُدخلات غير صالحة" in response.text and "is not an http(s) URL" not in response.text


def test_wrong_token_is_refused(client: TestClient) -> None:
    csrf = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"token": "nope", "csrf": csrf})
    assert response.status_code == 403 and "رمز المشرف غير صحيح" in response.text
    assert 'action="/sources/import"' not in client.get("/sources").text


def test_form_post_without_csrf_is_rejected(client: TestClient, service: Khabar) -> None:
    login(client)
    response = client.post("/sources", data={"url": "https://x.example/rss"})
    assert response.status_code == 403 and "أعد تحميل الصفحة" in response.text
    wrong = client.post("/sources", data={"url": "https://x.example/rss", "csrf": "0" * 64})
    assert wrong.status_code == 403
    assert service.sources() == []


def test_login_itself_needs_csrf(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert response.status_code == 403


def test_admin_forms_need_login_even_with_csrf(client: TestClient) -> None:
    csrf = csrf_of(client.get("/login").text)
    response = client.post("/sources", data={"url": "https://x.example/rss", "csrf": csrf})
    assert response.status_code == 403 and "يلزم تسجيل الدخول" in response.text


def test_forged_session_cookie_is_not_admin(client: TestClient) -> None:
    client.get("/login")
    nonce = client.cookies[SESSION_COOKIE].split(".")[0]
    client.cookies.set(SESSION_COOKIE, f"{nonce}.1.9999999999.{'a' * 64}")
    assert "سجّل الدخول مشرفاً" in client.get("/sources").text


def test_import_pause_delete_and_export(client: TestClient, service: Khabar) -> None:
    csrf = login(client)
    files = {"opml": ("mine.opml", OPML, "text/x-opml")}
    response = client.post("/sources/import", data={"csrf": csrf}, files=files)
    assert "أُضيف مصدران، وكان لا مصادر متابَعاً من قبل." in response.text
    one = next(s for s in service.sources() if s.url == "https://one.example/rss")
    client.post(f"/sources/{one.id}/pause", data={"csrf": csrf, "paused": "1"})
    assert service.source(one.id).paused
    assert "موقوف مؤقتاً" in client.get("/sources").text
    client.post(f"/sources/{one.id}/pause", data={"csrf": csrf, "paused": "0"})
    assert not service.source(one.id).paused
    exported = client.get("/sources.opml")
    assert exported.headers["content-type"].startswith("text/x-opml")
    assert "https://two.example/rss" in exported.text
    client.post(f"/sources/{one.id}/delete", data={"csrf": csrf})
    assert [s.url for s in service.sources()] == ["https://two.example/rss"]


def test_bad_opml_upload(client: TestClient) -> None:
    csrf = login(client)
    files = {"opml": ("bad.opml", b"<not opml", "text/xml")}
    response = client.post("/sources/import", data={"csrf": csrf}, files=files)
    assert response.status_code == 400 and "المُدخلات غير صالحة" in response.text


def test_logout(client: TestClient) -> None:
    csrf = login(client)
    client.post("/logout", data={"csrf": csrf})
    assert "سجّل الدخول مشرفاً" in client.get("/sources").text


def test_admin_disabled_without_token(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'off.db'}")
    with Khabar(settings) as service, TestClient(create_app(settings, service)) as client:
        for page in ("/sources", "/login"):
            assert "الإدارة معطّلة" in client.get(page).text
        response = client.post("/sources", data={"url": "https://x.example/rss"})
        assert response.status_code == 403 and "الإدارة معطّلة" in response.text
        assert SESSION_COOKIE not in client.cookies
