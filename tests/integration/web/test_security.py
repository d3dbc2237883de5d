from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.web import create_app
from khabar.web.middleware import CSP

EXPECTED = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def test_csp_policy_text() -> None:
    for part in (
        "default-src 'self'",
        "img-src 'self' data:;",  # outlets' images come through /img (web/images.py)
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ):
        assert part in CSP


def test_security_headers_on_every_kind_of_response(client: TestClient) -> None:
    for path in ("/", "/search?q=x", "/nothing", "/api/v1/sources", "/api/v1/articles/9",
                 "/static/khabar.css", "/openapi.json"):  # fmt: skip
        headers = client.get(path).headers
        for name, value in EXPECTED.items():
            assert headers[name] == value, (path, name)
    posted = client.post("/sources", data={})
    assert posted.headers["x-frame-options"] == "DENY"


class Exploding(Khabar):
    def articles(self, **kwargs: object) -> list[object]:  # type: ignore[override]
        raise RuntimeError("secret database path /var/lib/khabar.db")


def test_unexpected_errors_are_generic(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}")
    with Exploding(settings) as service:
        client = TestClient(create_app(settings, service), raise_server_exceptions=False)
        page = client.get("/")
        assert page.status_code == 500 and "secret" not in page.text
        assert '<html lang="ar" dir="rtl">' in page.text
        assert page.headers["content-security-policy"] == CSP
        api = client.get("/api/v1/articles")
        assert api.status_code == 500 and "secret" not in api.text
        assert api.json()["error"]["code"] == "internal_error"
