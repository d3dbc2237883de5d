"""import-opml → sources → update → articles → search → export-opml on the demo mirror."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.integration.cli.conftest import Ingested
from tests.integration.cli.helpers import khabar, one_error_line

from khabar.demo.server import DemoMirror


def test_import_opml_follows_every_feed(ingested: Ingested) -> None:
    assert ingested.import_stdout.strip() == "added 5, already followed 0"


def test_sources_lists_the_five_outlets(ingested: Ingested, mirror: DemoMirror) -> None:
    sources = ingested.run("sources", "--json")
    assert len(sources) == 5
    assert {s["url"] for s in sources} == set(mirror.feed_urls())
    assert all(s["language"] == "ar" and s["category"] for s in sources)


def test_first_update_brings_new_articles(ingested: Ingested) -> None:
    results = ingested.first_update
    assert [r["status"] for r in results] == ["new"] * 5
    assert all(r["error"] is None for r in results)
    assert sum(r["new"] for r in results) >= 400


def test_second_update_adds_nothing_and_no_duplicates(ingested: Ingested) -> None:
    before = ingested.run("articles", "--json", "--limit", "1000")
    assert len(before) >= 400
    assert len({a["url"] for a in before}) == len(before)
    again = ingested.run("update", "--json")
    assert len(again) == 5
    assert sum(r["new"] for r in again) == 0
    assert all(r["status"] != "failed" for r in again)
    after = ingested.run("articles", "--json", "--limit", "1000")
    assert sorted(a["id"] for a in after) == sorted(a["id"] for a in before)


def test_articles_of_one_source(ingested: Ingested) -> None:
    rows = ingested.run("articles", "--source", "1", "--limit", "5", "--json")
    assert len(rows) == 5
    assert {a["source_id"] for a in rows} == {1}
    assert all(a["title"] and a["language"] == "ar" for a in rows)
    published = [a["published"] for a in rows]
    assert published == sorted(published, reverse=True)  # newest first


def test_search_finds_other_spellings_with_highlights(ingested: Ingested) -> None:
    page = ingested.run("search", "القاهره", "--json")
    assert page["query"] == "القاهره"
    assert page["total"] >= 1 and page["hits"] and page["total_is_lower_bound"] is False
    assert all("<mark>" in hit["snippet"] for hit in page["hits"])
    assert any("القاهرة" in hit["snippet"] for hit in page["hits"])


def test_search_table_output(ingested: Ingested) -> None:
    result = khabar("search", "القاهره", "--limit", "3", "--db", ingested.db, cwd=ingested.dir)
    assert result.returncode == 0, result.stderr
    assert "results" in result.stdout and "<mark>" not in result.stdout


def test_export_opml_round_trips(ingested: Ingested, mirror: DemoMirror) -> None:
    result = khabar("export-opml", "--db", ingested.db, cwd=ingested.dir)
    assert result.returncode == 0, result.stderr
    root = ET.fromstring(result.stdout.encode("utf-8"))
    exported = {o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")}
    assert exported == set(mirror.feed_urls())

    written = ingested.dir / "export.opml"
    khabar("export-opml", "-o", str(written), "--db", ingested.db, cwd=ingested.dir)
    fresh = ingested.dir / "fresh.db"
    again = khabar("import-opml", str(written), "--db", f"sqlite:///{fresh}", cwd=ingested.dir)
    assert again.stdout.strip() == "added 5, already followed 0"


def test_search_with_filters_and_sort(ingested: Ingested) -> None:
    page = ingested.run("search", "القاهره source:1", "--sort", "date", "--json")
    times = [hit["published"] for hit in page["hits"]]
    assert page["hits"] and all(hit["source_id"] == 1 for hit in page["hits"])
    assert times == sorted(times, reverse=True)


def test_invalid_search_query_is_one_error_line(ingested: Ingested) -> None:
    result = khabar("search", '"القاهرة', "--db", ingested.db, cwd=ingested.dir)
    assert "Unclosed quote at character 1" in one_error_line(result)
