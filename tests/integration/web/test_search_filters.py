"""The search form's filter fields become query filters that the results honour."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import khabar.search.results
import khabar.web.html.reader
from khabar.service import Khabar
from khabar.web.html.reader import with_filters

from .conftest import add_article, add_source


def test_form_fields_are_added_as_filters_and_bad_values_dropped() -> None:
    assert with_filters("غزة", "3", "economy", "ar", "2024-01-01", "2024-02-01") == (
        "غزة source:3 section:economy lang:ar from:2024-01-01 to:2024-02-01"
    )
    assert with_filters(" غزة ", "x", "war", "xx", "2024-13-01", "yesterday") == "غزة"
    assert with_filters("", "", "sports", "", "", "") == "section:sports"


def test_the_search_page_filters_by_outlet_and_section(client: TestClient, service: Khabar) -> None:
    a = add_source(service, "الجزيرة", "https://a.example/rss")
    b = add_source(service, "العربية", "https://b.example/rss")
    first = add_article(service, a, 1, title="أسعار النفط في الخليج", section="economy")
    second = add_article(service, b, 2, title="النفط والسياسة", section="politics")
    page = client.get("/search", params={"q": "النفط", "source": str(b.id)}).text
    assert f"/articles/{second}" in page and f"/articles/{first}" not in page
    assert f"source:{b.id}" in page  # the filter shows in the query box
    page = client.get("/search", params={"q": "النفط", "section": "economy"}).text
    assert f"/articles/{first}" in page and f"/articles/{second}" not in page
    assert 'name="source"' in page and "تضييق البحث" in page


def test_a_total_past_the_cap_reads_more_than_everywhere(
    client: TestClient, service: Khabar, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(khabar.search.results, "TOTAL_CAP", 3)
    monkeypatch.setattr(khabar.web.html.reader, "SEARCH_PAGE_SIZE", 2)
    source = add_source(service, "الجزيرة", "https://a.example/rss")
    for n in range(7):
        add_article(service, source, n, title=f"أسعار النفط {n}")
    add_article(service, source, 9, title="المدرسة")
    page = client.get("/search", params={"q": "النفط"}).text
    assert "أكثر من ٣ نتائج" in page and "من أكثر من ٢" in page
    last_counted = client.get("/search", params={"q": "النفط", "page": "2"}).text
    assert 'rel="next"' in last_counted  # 4 of 7 shown: the pages go on past the count
    assert 'rel="next"' not in client.get("/search", params={"q": "النفط", "page": "4"}).text
    few = client.get("/search", params={"q": "المدرسة"}).text
    assert "أكثر من" not in few
    api = client.get("/api/v1/search", params={"q": "النفط"}).json()
    assert (api["total"], api["total_is_lower_bound"]) == (3, True)
    assert (
        client.get("/api/v1/search", params={"q": "المدرسة"}).json()["total_is_lower_bound"]
        is False
    )
