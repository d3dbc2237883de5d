"""add (feed autodiscovery, duplicates, the SSRF guard) and a source whose server fails."""

from __future__ import annotations

from pathlib import Path

from tests.integration.cli.helpers import json_out, khabar, one_error_line, sqlite_url
from tests.support.httpserver import LocalServer, Reply

from khabar.demo.server import DemoMirror


def test_add_site_discovers_its_feed(mirror: DemoMirror, tmp_path: Path) -> None:
    feed = next(f for f in mirror.feeds() if f.outlet.slug == "bbc")
    home = mirror.base_url + "/bbc/"
    assert feed.html_url == home
    db = sqlite_url(tmp_path / "k.db")
    source = json_out(khabar("add", home, "--json", "--db", db, cwd=tmp_path))
    assert source["url"] == feed.url
    assert source["site_url"] == home
    assert source["title"] == feed.title

    text = khabar("add", mirror.base_url + "/cnn/", "--category", "دولي", "--db", db, cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("added source 2: ")

    again = khabar("add", home, "--db", db, cwd=tmp_path)
    line = one_error_line(again)
    assert "already followed" in line and feed.url in line
    listed = json_out(khabar("sources", "--json", "--db", db, cwd=tmp_path))
    assert [(s["id"], s["category"]) for s in listed] == [(1, None), (2, "دولي")]


def test_add_refuses_loopback_without_allow_hosts(mirror: DemoMirror, tmp_path: Path) -> None:
    url = f"{mirror.base_url}/x"
    result = khabar("add", url, "--db", sqlite_url(tmp_path / "k.db"), cwd=tmp_path, local=False)
    line = one_error_line(result)
    assert url in line and "refused" in line and "allow_hosts" in line


def test_add_rejects_a_non_http_url(tmp_path: Path) -> None:
    result = khabar(
        "add", "ftp://example.org/feed", "--db", sqlite_url(tmp_path / "k.db"), cwd=tmp_path
    )
    assert "not an http(s) URL" in one_error_line(result)


def _rss(items: list[tuple[str, str]]) -> str:
    body = "".join(f"<item><title>{t}</title><link>{u}</link></item>" for t, u in items)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>جيد</title>{body}</channel></rss>'
    )


def test_update_records_a_failing_source_and_goes_on(mirror: DemoMirror, tmp_path: Path) -> None:
    pages = mirror.article_urls()[:2]
    with LocalServer() as server:
        rss = _rss([(f"خبر {i}", url) for i, url in enumerate(pages)])
        server.route("/good.xml", Reply(200, rss, {"Content-Type": "application/rss+xml"}))
        server.route("/broken.xml", Reply(500, b"oops", {"Content-Type": "text/plain"}))
        opml = tmp_path / "two.opml"
        opml.write_text(
            '<?xml version="1.0"?><opml version="2.0"><head/><body>'
            f'<outline type="rss" text="broken" xmlUrl="{server.url("/broken.xml")}"/>'
            f'<outline type="rss" text="good" xmlUrl="{server.url("/good.xml")}"/>'
            "</body></opml>",
            encoding="utf-8",
        )
        db = sqlite_url(tmp_path / "k.db")
        assert khabar("import-opml", str(opml), "--db", db, cwd=tmp_path).returncode == 0

        results = json_out(khabar("update", "--json", "--db", db, cwd=tmp_path))
        by_url = {r["url"]: r for r in results}
        broken, good = by_url[server.url("/broken.xml")], by_url[server.url("/good.xml")]
        assert broken["status"] == "failed" and "HTTP 500" in broken["error"]
        assert good["status"] == "new" and good["new"] == 2 and good["error"] is None

        table = khabar("update", "--db", db, cwd=tmp_path)
        assert table.returncode == 0, table.stderr
        assert "failed" in table.stdout and "HTTP 500" in table.stdout
        assert "2 sources, 0 new articles, 1 sources failed" in table.stdout

        only_broken = khabar(
            "update", "--source", str(broken["source_id"]), "--json", "--db", db, cwd=tmp_path
        )
        assert only_broken.returncode == 1  # every source updated failed

    sources = {s["url"]: s for s in json_out(khabar("sources", "--json", "--db", db, cwd=tmp_path))}
    failing = sources[broken["url"]]
    assert failing["error_count"] >= 1 and "HTTP 500" in failing["last_error"]
    assert sources[good["url"]]["article_count"] == 2
