"""Web security: headers on every kind of response, no unauthenticated writes, and a limit on
guessing the admin token."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.types import ArticleDraft, NewSource
from khabar.web import create_app, security
from khabar.web.security import MAX_FAILURES, PERMISSIONS_POLICY, WINDOW_SECONDS, FailureLimiter

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

TOKEN = "a-long-random-admin-token-for-tests"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Khabar]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.db'}", admin_token=TOKEN)
    with Khabar(settings) as khabar:
        source = khabar.storage.add_source(NewSource(url="https://a.example/rss", title="مصدر"))
        khabar.storage.upsert_article(
            ArticleDraft(
                source_id=source.id, key="k", url="https://a.example/1", title="عنوان", text="نص"
            )
        )
        khabar.storage.search.update()
        yield khabar


@pytest.fixture
def client(service: Khabar) -> Iterator[TestClient]:
    with TestClient(create_app(service.settings, service), raise_server_exceptions=False) as c:
        yield c


def _check_headers(response: object, what: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers.get("content-security-policy", "")
    directives = {d.split()[0]: d for d in (p.strip() for p in csp.split(";")) if d}
    assert "script-src" in directives or "default-src" in directives, (what, csp)
    script = directives.get("script-src", directives.get("default-src", ""))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, (what, csp)
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", (what, csp)
    assert "object-src 'none'" in csp or "default-src 'self'" in csp, (what, csp)
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("x-frame-options") == "DENY", what
    assert headers.get("referrer-policy") == "no-referrer", what
    assert headers.get("permissions-policy") == PERMISSIONS_POLICY, what


def test_security_headers_on_every_kind_of_response(client: TestClient, service: Khabar) -> None:
    article = service.articles(limit=1)[0]
    gets = {
        "home": "/",
        "article": f"/articles/{article.id}",
        "article html view": f"/articles/{article.id}?view=html",
        "search": "/search?q=عنوان",
        "bad search": "/search?q=" + "%22" * 3,
        "source": f"/sources/{article.source_id}",
        "sources": "/sources",
        "login": "/login",
        "opml": "/sources.opml",
        "api list": "/api/v1/articles",
        "api item": f"/api/v1/articles/{article.id}",
        "api 404": "/api/v1/articles/999999",
        "api 422": "/api/v1/articles?limit=0",
        "openapi": "/openapi.json",
        "api stories": "/api/v1/stories",
        "rss out": "/feeds/latest.rss",
        "atom out": "/feeds/latest.atom",
        "json feed out": "/feeds/latest.json",
        "feed out 404": "/feeds/nothing.rss",
        "static css": "/static/khabar.css",
        "static js": "/static/khabar.js",
        "static 404": "/static/nothing.js",
        "html 404": "/no/such/page",
        "path 404": "/articles/not-a-number",
    }
    story = service.article(article.id).story_id
    if story is not None:
        gets["story"] = f"/stories/{story}"
    for what, path in gets.items():
        _check_headers(client.get(path), what)
    _check_headers(client.post("/sources", data={}), "form post without csrf (403)")
    _check_headers(client.put("/"), "method not allowed (405)")
    _check_headers(client.post("/api/v1/sources", json={}), "api write without token (401)")
    _check_headers(client.head("/"), "head")


def test_unexpected_errors_carry_the_headers(service: Khabar) -> None:
    class Exploding(Khabar):
        def articles(self, **kwargs: object) -> list[object]:  # type: ignore[override]
            raise RuntimeError("boom")

    exploding = Exploding(service.settings, storage=service.storage)
    with TestClient(create_app(service.settings, exploding), raise_server_exceptions=False) as c:
        for path in ("/", "/api/v1/articles"):
            response = c.get(path)
            assert response.status_code == 500
            _check_headers(response, f"500 on {path}")


def test_api_docs_page_has_no_unsafe_inline_script(client: TestClient) -> None:
    page = client.get("/api/docs")
    _check_headers(page, "api docs")
    assert page.status_code == 200 and "<script>" not in page.text, "no inline script"
    assert "//" not in page.text.replace("://", ""), "no asset from another origin"
    for asset in ("/api/docs/start.js", "/api/docs/assets/swagger-ui-bundle.js"):
        served = client.get(asset)
        assert served.status_code == 200, asset
        _check_headers(served, asset)


def test_api_writes_need_the_token(client: TestClient, service: Khabar) -> None:
    source_id = service.sources()[0].id
    writes = [
        ("post", "/api/v1/sources", {"json": {"url": "https://b.example/rss"}}),
        ("delete", f"/api/v1/sources/{source_id}", {}),
    ]
    for method, path, kwargs in writes:
        missing = getattr(client, method)(path, **kwargs)
        assert missing.status_code == 401, (path, missing.text)
        assert missing.json()["error"]["code"] == "unauthorized"
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = getattr(client, method)(path, headers={"Authorization": "Bearer nope"}, **kwargs)
        assert wrong.status_code == 403, (path, wrong.text)
        basic = getattr(client, method)(path, headers={"Authorization": "Basic eDp5"}, **kwargs)
        assert basic.status_code in (401, 403), (path, basic.text)
    assert [s.id for s in service.sources()] == [source_id], "nothing was written"


def test_api_writes_are_refused_when_admin_is_disabled(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'off.db'}")
    with Khabar(settings) as service, TestClient(create_app(settings, service)) as c:
        for token in ("", "anything"):
            response = c.post(
                "/api/v1/sources",
                json={"url": "https://b.example/rss"},
                headers={"Authorization": f"Bearer {token}"} if token else {},
            )
            assert response.status_code == 403, response.text
        assert service.sources() == []


def _csrf(client: TestClient) -> str:
    page: str = client.get("/login").text
    marker = 'name="csrf" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_login_guessing_is_rate_limited(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(security, "_monotonic", lambda: now[0])
    csrf = _csrf(client)
    for attempt in range(MAX_FAILURES):
        wrong = client.post("/login", data={"csrf": csrf, "token": f"guess-{attempt}"})
        assert wrong.status_code == 403, attempt
    limited = client.post("/login", data={"csrf": csrf, "token": TOKEN})
    assert limited.status_code == 429, "even the right token waits while the limit holds"
    assert 1 <= int(limited.headers["retry-after"]) <= WINDOW_SECONDS
    _check_headers(limited, "429")
    assert "انتظر" in limited.text
    assert client.get("/").status_code == 200, "reading is never limited"
    now[0] += WINDOW_SECONDS + 1
    right = client.post("/login", data={"csrf": csrf, "token": TOKEN}, follow_redirects=False)
    assert right.status_code == 303, "the limit ends with its window"


def test_api_token_guessing_is_rate_limited(
    client: TestClient, service: Khabar, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security, "_monotonic", lambda: 5000.0)
    for attempt in range(MAX_FAILURES):
        response = client.delete(
            "/api/v1/sources/1", headers={"Authorization": f"Bearer guess-{attempt}"}
        )
        assert response.status_code == 403
    limited = client.delete("/api/v1/sources/1", headers={"Authorization": f"Bearer {TOKEN}"})
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "too_many_attempts"
    assert client.get("/api/v1/sources").status_code == 200, "reading is never limited"
    other = TestClient(create_app(service.settings, service), client=("10.9.8.7", 1))
    with other:
        ok = other.get("/api/v1/sources", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200, "another client is not limited"
    assert len(service.sources()) == 1


def test_failure_limiter_is_a_sliding_window_with_bounded_memory() -> None:
    limiter = FailureLimiter(max_failures=3, window=60.0, max_clients=2)
    for t in (0.0, 10.0, 20.0):
        assert limiter.retry_after("a", t) is None
        limiter.record_failure("a", t)
    assert limiter.retry_after("a", 30.0) == pytest.approx(30.0)
    assert limiter.retry_after("a", 60.5) is None, "the oldest failure left the window"
    limiter.record_failure("b", 61.0)
    limiter.record_failure("c", 62.0)
    assert set(limiter._failures) <= {"b", "c", "a"} and len(limiter._failures) <= 2
