"""Entities in the reader and the API: the article's names, entity pages, trending."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.exceptions import StarletteDeprecationWarning
from tests.support.events import ERDOGAN_ROWS, write_records

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Khabar]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.db'}", extract_workers=1)
    with Khabar(settings) as khabar:
        records = write_records(tmp_path / "in.jsonl", ERDOGAN_ROWS)
        assert khabar.import_jsonl(records).added == 4
        yield khabar


@pytest.fixture
def client(service: Khabar) -> Iterator[TestClient]:
    with TestClient(create_app(service.settings, service)) as c:
        yield c


def _erdogan(service: Khabar) -> str:
    keys = {m.name: m.key for a in service.articles() for m in service.article_entities(a.id)}
    assert "رجب طيب أردوغان" in keys, keys
    return keys["رجب طيب أردوغان"]


def test_an_article_links_the_names_it_mentions(client: TestClient, service: Khabar) -> None:
    article = next(a for a in service.articles() if a.title == "إردوغان يلتقي لافروف")
    html = client.get(f"/articles/{article.id}").text
    assert "أشخاص:" in html and f"/entities/{quote(_erdogan(service))}" in html
    assert "أماكن:" in html


def test_the_entity_page_merges_spellings_and_charts_mentions(
    client: TestClient, service: Khabar
) -> None:
    key = _erdogan(service)
    page = client.get(f"/entities/{key}")
    assert page.status_code == 200
    html = page.text
    assert "رجب طيب أردوغان" in html and "ورد في ٣ مقالات" in html  # إردوغان merged in
    assert "<svg" in html and "<rect" in html
    assert "أردوغان يعلن خطة اقتصادية" in html and "الرياض تدعم" not in html
    assert client.get("/entities/لا%20أحد").status_code == 404


def test_the_entity_page_lists_the_stories_of_its_articles(
    client: TestClient, service: Khabar
) -> None:
    key = _erdogan(service)
    (story,) = service.entity_stories(key)
    assert story.size == 3 and len(story.outlets) == 3
    html = client.get(f"/entities/{key}").text
    assert "قصص ورد فيها" in html and f'href="/stories/{story.id}"' in html
    body = client.get(f"/api/v1/entities/{key}").json()
    assert [(s["id"], s["size"]) for s in body["stories"]] == [(story.id, 3)]
    riyadh = next(
        m.key
        for a in service.articles()
        for m in service.article_entities(a.id)
        if m.name == "الرياض"
    )
    assert service.entity_stories(riyadh) == []  # its only article is a story of one
    assert "قصص ورد فيها" not in client.get(f"/entities/{quote(riyadh)}").text


def test_trending_names_what_rose_today(client: TestClient, service: Khabar) -> None:
    key = _erdogan(service)
    html = client.get("/trending").text
    assert f'href="/entities/{quote(key)}"' in html
    body = client.get("/api/v1/trending").json()
    found = {t["key"]: t for t in body["entities"]}
    assert found[key]["last_24h"] == 3 and found[key]["previous_7d"] == 0
    detail = client.get(f"/api/v1/entities/{key}").json()
    assert detail["articles_total"] == 3 and len(detail["articles"]) == 3
    assert detail["type"] == "person" and sum(d["articles"] for d in detail["trend"]) == 3


def test_an_article_lists_its_keywords_as_phrase_searches(
    client: TestClient, service: Khabar
) -> None:
    article = next(a for a in service.articles() if a.title == "أردوغان يعلن خطة اقتصادية")
    keywords = service.article_keywords(article.id)
    assert len(keywords) >= 3
    html = client.get(f"/articles/{article.id}").text
    assert "كلمات مفتاحية:" in html
    for keyword in keywords:
        link = f"/search?q={quote(chr(34) + keyword + chr(34), safe='')}"
        assert f'href="{link}"' in html, keyword
    found = client.get(f"/search?q={quote(chr(34) + keywords[0] + chr(34))}").text
    assert f'href="/articles/{article.id}"' in found


def test_trending_leaves_out_the_outlets_naming_themselves(tmp_path: Path) -> None:
    text = "قالت بي بي سي إن الأمم المتحدة دعت إلى وقف القتال في السودان وحماية المدنيين فورا"
    rows = [
        ("بي بي سي نيوز عربي", f"b{n}", f"الأمم المتحدة تدعو {n}", text, f"2024-05-06T0{n}:00Z")
        for n in range(1, 4)
    ]
    settings = Settings(database_url=f"sqlite:///{tmp_path / 't.db'}", extract_workers=1)
    with Khabar(settings) as khabar:
        assert khabar.import_jsonl(write_records(tmp_path / "in.jsonl", rows)).added == 3
        named = {m.name for a in khabar.articles() for m in khabar.article_entities(a.id)}
        assert {"بي بي سي", "الأمم المتحدة"} <= named
        trending = {t.name for t in khabar.trending()}
    assert "الأمم المتحدة" in trending and "بي بي سي" not in trending
