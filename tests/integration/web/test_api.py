from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from khabar.service import Khabar

from .conftest import TOKEN, add_article, add_source

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def assert_error(body: Any, code: str) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message_ar", "message_en"}
    assert body["error"]["code"] == code


def test_sources(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1)
    body = client.get("/api/v1/sources").json()
    [item] = body["sources"]
    assert item["id"] == source.id and item["name"] == "الجزيرة"
    assert item["article_count"] == 1 and item["paused"] is False
    assert item["created_at"].endswith("Z")
    assert client.get(f"/api/v1/sources/{source.id}").json() == item


def test_missing_records_are_404_with_the_error_shape(client: TestClient) -> None:
    for path in ("/api/v1/sources/99", "/api/v1/articles/99", "/api/v1/nothing"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert_error(response.json(), "not_found")


def test_articles_cursor_pagination(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    ids = [add_article(service, source, n) for n in range(5)]
    first = client.get("/api/v1/articles", params={"limit": 2}).json()
    assert [a["id"] for a in first["articles"]] == ids[:2]
    seen = [a["id"] for a in first["articles"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get("/api/v1/articles", params={"limit": 2, "cursor": cursor}).json()
        seen += [a["id"] for a in page["articles"]]
        cursor = page["next_cursor"]
    assert seen == ids
    article = first["articles"][0]
    assert article["published"].endswith("Z") and article["source_title"] == "الجزيرة"


def test_articles_filter_by_source(client: TestClient, service: Khabar) -> None:
    one, two = add_source(service), add_source(service, "ب", "https://b.example/rss")
    add_article(service, one, 1)
    mine = add_article(service, two, 2)
    body = client.get("/api/v1/articles", params={"source_id": two.id}).json()
    assert [a["id"] for a in body["articles"]] == [mine] and body["next_cursor"] is None


def test_bad_parameters(client: TestClient) -> None:
    bad_cursor = client.get("/api/v1/articles", params={"cursor": "nope"})
    assert bad_cursor.status_code == 400
    assert_error(bad_cursor.json(), "invalid_input")
    assert "nope" not in bad_cursor.text
    bad_limit = client.get("/api/v1/articles", params={"limit": 0})
    assert bad_limit.status_code == 422
    assert_error(bad_limit.json(), "invalid_input")


def test_article_detail(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    article_id = add_article(service, source, 1, categories=("اقتصاد",), html="<p>x</p>")
    body = client.get(f"/api/v1/articles/{article_id}").json()
    assert body["text"].startswith("الفقرة الأولى") and body["html"] == "<p>x</p>"
    assert body["categories"] == ["اقتصاد"] and body["extraction_error"] is None


def test_search(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    add_article(service, source, 1, title="الاقتصاد", text="نمو الاقتصاد")
    body = client.get("/api/v1/search", params={"q": "الاقتصاد", "limit": 5}).json()
    assert body["total"] == 1 and body["limit"] == 5 and body["offset"] == 0
    assert "<mark>" in body["hits"][0]["snippet"]
    assert body["hits"][0]["article"]["title"] == "الاقتصاد"


def test_add_source_needs_a_token(client: TestClient) -> None:
    missing = client.post("/api/v1/sources", json={"url": "https://x.example/rss"})
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert_error(missing.json(), "unauthorized")
    wrong = client.post(
        "/api/v1/sources",
        json={"url": "https://x.example/rss"},
        headers={"Authorization": "Bearer x"},
    )
    assert wrong.status_code == 403
    assert_error(wrong.json(), "forbidden")


def test_add_and_delete_source(client: TestClient, service: Khabar, feed_server: str) -> None:
    url = f"{feed_server}/rss"
    created = client.post("/api/v1/sources", json={"url": url, "category": "محلي"}, headers=AUTH)
    assert created.status_code == 201
    body = created.json()
    assert body["title"] == "صحيفة محلية" and body["category"] == "محلي"
    again = client.post("/api/v1/sources", json={"url": url}, headers=AUTH)
    assert again.status_code == 409
    assert_error(again.json(), "source_exists")
    assert client.delete(f"/api/v1/sources/{body['id']}").status_code == 401
    assert client.delete(f"/api/v1/sources/{body['id']}", headers=AUTH).status_code == 204
    gone = client.delete(f"/api/v1/sources/{body['id']}", headers=AUTH)
    assert gone.status_code == 404
    assert_error(gone.json(), "not_found")


def test_unreachable_feed_is_422_without_raw_text(client: TestClient, feed_server: str) -> None:
    response = client.post("/api/v1/sources", json={"url": f"{feed_server}/missing"}, headers=AUTH)
    assert response.status_code == 422
    assert "missing" not in response.text and "127.0.0.1" not in response.text


def test_invalid_body(client: TestClient) -> None:
    response = client.post("/api/v1/sources", json={"nope": 1}, headers=AUTH)
    assert response.status_code == 422
    assert_error(response.json(), "invalid_input")


def test_openapi_and_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/v1/sources", "/api/v1/articles", "/api/v1/search"} <= set(paths)
    assert "/" not in paths and "/sources/{source_id}" not in paths
    assert {"SourceOut", "ArticleDetail", "ErrorResponse"} <= set(schema["components"]["schemas"])
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert client.get("/api/docs").status_code == 200


def test_search_with_filters_and_sort(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    ar = {"text": "نمو", "language": "ar"}
    old = add_article(service, source, 1, title="الاقتصاد", minutes_ago=90, **ar)
    new = add_article(service, source, 2, title="الاقتصاد العالمي", minutes_ago=5, **ar)
    add_article(service, source, 3, title="Economy", text="growth", language="en")
    body = client.get("/api/v1/search", params={"q": "نمو lang:ar", "sort": "date"}).json()
    assert body["total"] == 2 and [h["article"]["id"] for h in body["hits"]] == [new, old]
    body = client.get("/api/v1/search", params={"q": '"الاقتصاد العالمي" OR growth'}).json()
    assert body["total"] == 2


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ('"الاقتصاد', "Unclosed quote"),
        ("OR OR", "OR at character 1"),
        ("foo:bar", "foo:"),
        ("x" * 600, "too long"),
    ],
)
def test_invalid_search_query_is_a_400_with_the_error_shape(
    client: TestClient, query: str, words: str
) -> None:
    response = client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 400
    body = response.json()
    assert_error(body, "invalid_query")
    assert words in body["error"]["message_en"] and body["error"]["message_ar"]


def test_bad_sort_parameter_is_invalid_input(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "x", "sort": "best"})
    assert response.status_code == 422
    assert_error(response.json(), "invalid_input")


def test_article_carries_its_section(client: TestClient, service: Khabar) -> None:
    article_id = add_article(service, add_source(service), 1, section="economy")
    body = client.get(f"/api/v1/articles/{article_id}").json()
    assert body["section"] == "economy"
    listed = client.get("/api/v1/articles").json()["articles"]
    assert [a["section"] for a in listed] == ["economy"]
