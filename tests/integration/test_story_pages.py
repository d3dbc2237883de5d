"""Stories in the reader: top stories on the home page, the story page, the article's story."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning
from tests.support.events import FINAL, QUAKE_A, QUAKE_B, write_records

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.web import create_app

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2; httpx is what we have
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Khabar]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.db'}", extract_workers=1)
    with Khabar(settings) as khabar:
        yield khabar


@pytest.fixture
def client(service: Khabar) -> Iterator[TestClient]:
    with TestClient(create_app(service.settings, service)) as c:
        yield c


def _import(service: Khabar, tmp_path: Path) -> dict[str, int]:
    records = write_records(
        tmp_path / "in.jsonl",
        [
            ("العربية", "a1", "زلزال يضرب جنوب تركيا", QUAKE_A, "2024-05-06T03:00Z"),
            ("سكاي نيوز", "s1", "ريال مدريد بطلا لأوروبا", FINAL, "2024-05-06T04:00Z"),
            ("بي بي سي", "b1", "زلزال في هاتاي التركية", QUAKE_B, "2024-05-06T05:00Z"),
            ("عكاظ", "o1", "زلزال جنوب تركيا", QUAKE_A + " انتهى.", "2024-05-06T06:00Z"),
        ],
    )
    assert service.import_jsonl(records).added == 4
    return {a.title: a.id for a in service.articles(limit=10, fold_copies=False)}


def test_home_leads_with_the_story_covered_by_several_outlets(
    client: TestClient, service: Khabar, tmp_path: Path
) -> None:
    ids = _import(service, tmp_path)
    home = client.get("/").text
    story = ids["زلزال يضرب جنوب تركيا"]
    assert "أبرز القصص" in home and f'href="/stories/{story}"' in home
    assert "٣ مصادر" in home  # three outlets: العربية، بي بي سي، عكاظ
    assert f'href="/stories/{ids["ريال مدريد بطلا لأوروبا"]}"' not in home  # one article only


def test_story_page_shows_the_timeline_with_copies_folded(
    client: TestClient, service: Khabar, tmp_path: Path
) -> None:
    ids = _import(service, tmp_path)
    page = client.get(f"/stories/{ids['زلزال يضرب جنوب تركيا']}")
    assert page.status_code == 200
    html = page.text
    first, second = ids["زلزال يضرب جنوب تركيا"], ids["زلزال في هاتاي التركية"]
    assert html.index(f"/articles/{first}") < html.index(f"/articles/{second}")
    assert "أعاد نشره:" in html and f'href="/articles/{ids["زلزال جنوب تركيا"]}"' in html
    assert "الأصل" in html
    assert client.get("/stories/999999").status_code == 404


def test_article_page_links_its_story(client: TestClient, service: Khabar, tmp_path: Path) -> None:
    ids = _import(service, tmp_path)
    html = client.get(f"/articles/{ids['زلزال في هاتاي التركية']}").text
    assert "ضمن قصة:" in html and f"/stories/{ids['زلزال يضرب جنوب تركيا']}" in html
    alone = client.get(f"/articles/{ids['ريال مدريد بطلا لأوروبا']}").text
    assert "ضمن قصة:" not in alone


def test_the_api_lists_stories_and_gives_one_with_its_articles(
    client: TestClient, service: Khabar, tmp_path: Path
) -> None:
    ids = _import(service, tmp_path)
    story = ids["زلزال يضرب جنوب تركيا"]
    listed = client.get("/api/v1/stories").json()["stories"]
    assert [s["id"] for s in listed] == [story]
    assert listed[0]["outlets"] == ["العربية", "بي بي سي", "عكاظ"] and listed[0]["size"] == 3
    detail = client.get(f"/api/v1/stories/{story}").json()
    assert [a["id"] for a in detail["articles"]] == [
        story,
        ids["زلزال في هاتاي التركية"],
        ids["زلزال جنوب تركيا"],
    ]
    assert all(a["story_id"] == story for a in detail["articles"])
    assert client.get("/api/v1/stories/424242").json()["error"]["code"] == "not_found"


def test_article_page_and_api_list_related_articles(
    client: TestClient, service: Khabar, tmp_path: Path
) -> None:
    ids = _import(service, tmp_path)
    quake, other = ids["زلزال يضرب جنوب تركيا"], ids["زلزال في هاتاي التركية"]
    html = client.get(f"/articles/{quake}").text
    related = html[html.index('id="related"') :]
    assert f'href="/articles/{other}"' in related
    assert f'href="/articles/{ids["زلزال جنوب تركيا"]}"' not in related.split("</section>")[0]
    body = client.get(f"/api/v1/articles/{quake}/related").json()
    assert [a["id"] for a in body["articles"]] == [other]
    assert "مقالات مشابهة" not in client.get(f"/articles/{ids['ريال مدريد بطلا لأوروبا']}").text
