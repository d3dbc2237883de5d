"""Copies in the reader: one list item per text with "+N مصادر", the original credited."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from khabar.dedupe.link import article_fingerprint, link_copies
from khabar.service import Khabar

from .conftest import TOKEN, add_article, add_source

WIRE = (
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة جدة بسعة خمسمائة سرير "
    "ويضم المستشفى أقساما للطوارئ والعناية المركزة وجراحة القلب والأورام ويخدم سكان "
    "المنطقة الغربية وقال الوزير إن المشروع يأتي ضمن خطة لتطوير الخدمات الصحية في المملكة"
)


def _wire_copies(service: Khabar) -> tuple[int, int, int]:
    okaz = add_source(service, "عكاظ", "https://okaz.example/rss")
    riyadh = add_source(service, "الرياض", "https://riyadh.example/rss")
    madina = add_source(service, "المدينة", "https://madina.example/rss")
    ids = []
    for n, (source, text) in enumerate(
        [(okaz, WIRE), (riyadh, "في خبر سار، " + WIRE), (madina, WIRE + " انتهى")], start=1
    ):
        article_id = add_article(
            service,
            source,
            n,
            title=f"مستشفى جديد في جدة {n}",
            text=text,
            minutes_ago=100 - n,
            url=f"https://{n}.example/hospital",
            fingerprint=article_fingerprint(text),
        )
        ids.append(link_copies(service.storage, article_id, timedelta(days=7)).id)
    return ids[0], ids[1], ids[2]


def test_lists_and_search_show_one_item_with_the_other_outlets(
    client: TestClient, service: Khabar
) -> None:
    first, second, third = _wire_copies(service)
    home = client.get("/").text
    assert f"/articles/{first}" in home
    assert f'/articles/{second}"' not in home and f'/articles/{third}"' not in home
    assert "+مصدران" in home
    found = client.get("/search", params={"q": "مستشفى جدة"}).text
    assert f"/articles/{first}" in found and "+مصدران" in found
    own = client.get(f"/sources/{service.article(second).source_id}").text
    assert f"/articles/{second}" in own


def test_article_pages_credit_the_original_and_list_the_copies(
    client: TestClient, service: Khabar
) -> None:
    first, second, third = _wire_copies(service)
    original = client.get(f"/articles/{first}").text
    assert "هذه هي النسخة الأصلية" in original
    assert 'id="copies"' in original and f"/articles/{second}" in original
    assert f"/articles/{third}" in original
    copy = client.get(f"/articles/{second}").text
    assert "نُشر أولاً في" in copy and f'href="/articles/{first}"' in copy
    assert "الأصل" in copy


def test_the_api_carries_the_copy_fields(client: TestClient, service: Khabar) -> None:
    first, second, _ = _wire_copies(service)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    body = client.get(f"/api/v1/articles/{second}", headers=headers).json()
    assert body["copy_kind"] == "republication" and body["group_id"] == first
    assert body["original_outlet"] == "عكاظ" and body["original_id"] == first
    listed = client.get("/api/v1/articles", headers=headers).json()["articles"]
    assert [(a["id"], a["copies"]) for a in listed] == [(first, 2)]
