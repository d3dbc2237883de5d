"""The page's read-also and related links on the article page and in the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from khabar.service import Khabar
from khabar.types import PageLink

from .conftest import add_article, add_source


def test_a_read_also_link_we_hold_points_to_our_copy(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    held = add_article(service, source, 1, title="الخبر المرتبط")
    links = (
        PageLink("read_also", "الخبر المرتبط كما عنونه الموقع", "https://a.example/1?utm_medium=x"),
        PageLink("related", "خبر لا نملكه", "https://other.example/9"),
    )
    article = add_article(service, source, 2, links=links)

    html = client.get(f"/articles/{article}").text
    section = html[html.index('id="page-links"') :]
    assert "اقرأ أيضاً" in section and "ذات صلة" in section
    assert f'href="/articles/{held}"' in section
    assert 'href="https://other.example/9" rel="noopener noreferrer nofollow"' in section
    assert 'href="https://a.example/1?utm_medium=x"' not in section

    body = client.get(f"/api/v1/articles/{article}").json()
    assert [(x["kind"], x["article_id"]) for x in body["links"]] == [
        ("read_also", held),
        ("related", None),
    ]
    assert 'id="page-links"' not in client.get(f"/articles/{held}").text
    assert client.get(f"/api/v1/articles/{held}").json()["links"] == []


def test_a_link_to_a_script_is_never_a_link(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    links = (PageLink("related", "خبيث", "javascript:alert(1)"),)
    article = add_article(service, source, 1, links=links)
    html = client.get(f"/articles/{article}").text
    assert "javascript:" not in html and 'href="#"' in html
