"""``khabar reanalyze``: stored articles analyzed again, in a real SQLite file.

A database from before analysis existed holds articles with no section, entities, keywords or
related-article features; after ``khabar sections train`` a user wants the new model applied to
what is stored. Both go through the CLI, as a user runs them.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from tests.support.events import write_records
from tests.support.spies import keyword_spy
from typer.testing import CliRunner

import khabar.analyze.article
import khabar.analyze.section_priors
import khabar.reanalyze
import khabar.service
from khabar import presenters
from khabar.analyze.section_priors import estimate_priors
from khabar.analyze.sections import default_classifier
from khabar.cli import app
from khabar.sections_cli import sections_app
from khabar.service import Khabar
from khabar.settings import Settings
from khabar.storage import ArticleFilter, open_storage
from khabar.types import ArticleDraft, NewSource
from khabar.workers import ExtractorPool

runner = CliRunner()

SPORT = (
    "المنتخب يفوز على ضيفه بثلاثة أهداف في تصفيات كأس العالم",
    "سجل المهاجم هدفين في الشوط الأول من المباراة أمام جماهير الملعب في غزة، وأضاف "
    "المدافع الهدف الثالث من ركلة ركنية قبل نهاية المباراة بدقائق.",
)
ECONOMY = (
    "ارتفاع أسعار النفط في الأسواق العالمية",
    "ارتفعت أسعار النفط في تعاملات اليوم بعد قرار منظمة أوبك خفض الإنتاج، وقال محللون إن "
    "الأسواق تترقب بيانات المخزونات الأمريكية هذا الأسبوع.",
)


def _old_database(path: Path) -> tuple[str, list[int], int]:
    """Two articles stored the way a database older than analysis holds them."""
    url = f"sqlite:///{path}"
    storage = open_storage(url)
    source = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    ids = [
        storage.upsert_article(
            ArticleDraft(
                source_id=source,
                key=f"k{n}",
                url=f"https://a.example/{n}",
                title=title,
                text=text,
                language="ar",
            )
        ).article.id
        for n, (title, text) in enumerate((SPORT, ECONOMY))
    ]
    storage.close()
    return url, ids, source


def _reanalyze(url: str, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["reanalyze", "--db", url, "--json", *args])
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.output)
    return report


def test_reanalyze_fills_what_an_old_database_lacks(tmp_path: Path) -> None:
    url, (sport, economy), _ = _old_database(tmp_path / "k.db")
    report = _reanalyze(url)
    assert report == {"seen": 2, "analyzed": 2, "sections_changed": 2, "errors": []}
    storage = open_storage(url)
    try:
        assert storage.get_article(sport).section == "sports"
        assert storage.get_article(economy).section == "economy"
        assert storage.get_article(sport).section_decided_by
        assert "غزه" in [m.key for m in storage.article_entities(sport)]
        assert storage.article_keywords(economy)
        hits = storage.search.search("section:sports المنتخب").hits
        assert [h.article.id for h in hits] == [sport]
    finally:
        storage.close()
    again = _reanalyze(url, "--missing")  # everything has a section now
    assert again == {"seen": 2, "analyzed": 0, "sections_changed": 0, "errors": []}


def _swapped_model(tmp_path: Path) -> str:
    """A model trained on labels that call the match economy and the oil prices sport."""
    swapped = [
        {"src": f"outlet{n % 3}", "cat": cat, "title": title, "text": text}
        for n in range(12)
        for (title, text), cat in [(SPORT, "economy"), (ECONOMY, "sport")]
    ]
    labelled = tmp_path / "labels.jsonl"
    labelled.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in swapped))
    args = ["train", "--jsonl", str(labelled), "--out", str(tmp_path)]
    trained = runner.invoke(sections_app, args)
    assert trained.exit_code == 0, trained.output
    return str(tmp_path / "model.npz")


def test_reanalyze_applies_a_retrained_model(tmp_path: Path) -> None:
    url, (sport, economy), source = _old_database(tmp_path / "k.db")
    model = _swapped_model(tmp_path)
    first = _reanalyze(url, "--model", model, "--source", str(source), "--limit", "1")
    assert (first["seen"], first["analyzed"]) == (1, 1)  # the newest only
    report = _reanalyze(url, "--model", model)
    assert (report["seen"], report["analyzed"]) == (2, 2)
    storage = open_storage(url)
    try:
        assert storage.get_article(sport).section == "economy"
        assert storage.get_article(economy).section == "sports"
    finally:
        storage.close()


def test_an_unknown_source_is_named(tmp_path: Path) -> None:
    url, _, _ = _old_database(tmp_path / "k.db")
    result = runner.invoke(app, ["reanalyze", "--db", url, "--source", "99"])
    assert result.exit_code != 0
    assert "99" in result.output + str(result.exception)


@pytest.mark.parametrize("workers", [1, 2])
def test_new_articles_use_the_section_model_setting(tmp_path: Path, workers: int) -> None:
    """The setting reaches the extraction workers (threads or spawned processes)."""
    model = _swapped_model(tmp_path)
    pool = ExtractorPool(workers, section_model=model)
    page = f"<html lang='ar'><body><article><h1>{SPORT[0]}</h1><p>{SPORT[1]}</p></article>"
    try:
        analyzed = asyncio.run(pool.extract(page + "</body></html>", "https://a.example/1", None))
    finally:
        pool.close()
    assert (analyzed.section, analyzed.section_decided_by) == ("economy", "model")


def test_imported_articles_use_the_section_model_setting(tmp_path: Path) -> None:
    model = _swapped_model(tmp_path)
    records = tmp_path / "in.jsonl"
    line = {"source": "أ", "url": "https://a.example/1", "title": SPORT[0], "text": SPORT[1]}
    records.write_text(json.dumps(line, ensure_ascii=False) + "\n")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'k.db'}", section_model=model)
    with Khabar(settings) as service:
        assert service.import_jsonl(records).added == 1
        (article,) = service.storage.list_articles(ArticleFilter())
    assert article.section == "economy"


@pytest.mark.parametrize("limit", [None, 1, 3])
def test_pages_cover_every_article_once_newest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int | None
) -> None:
    monkeypatch.setattr(khabar.reanalyze, "PAGE", 2)
    url, _, source = _old_database(tmp_path / "k.db")
    storage = open_storage(url)
    try:
        for n in range(3):  # five articles: pages of 2, 2 and 1
            storage.upsert_article(_sport(source, n))
        seen: list[int] = []
        report = khabar.reanalyze.reanalyze(storage, limit=limit, progress=seen.append)
        newest = [a.id for a in storage.list_articles(ArticleFilter(fold_copies=False))]
        renewed = [i for i in newest if storage.get_article(i).section is not None]
    finally:
        storage.close()
    expected = 5 if limit is None else limit
    assert (report.seen, report.analyzed) == (expected, expected)
    assert seen[-1] == expected
    assert renewed == newest[:expected]


def _sport(source_id: int, n: int) -> ArticleDraft:
    """A new sports article (the same text) of ``source_id``, analysis not yet done."""
    return ArticleDraft(
        source_id=source_id,
        key=f"x{n}",
        url=f"https://x.example/{source_id}/{n}",
        title=SPORT[0],
        text=SPORT[1],
        language="ar",
    )


def test_each_source_gets_its_own_section_priors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source's stored articles give its section shares (EM, no labels); every one of its
    articles is then classified with them. Too few articles: no priors."""
    monkeypatch.setattr(khabar.analyze.section_priors, "MIN_ARTICLES", 3)
    url, _, source = _old_database(tmp_path / "k.db")
    storage = open_storage(url)
    other = storage.add_source(NewSource(url="https://b.example/rss", title="ب")).id
    for n, sid in enumerate([source, source, other]):  # `source`: 3 sport + 1 economy
        storage.upsert_article(_sport(sid, n))
    used = keyword_spy(monkeypatch, khabar.reanalyze, "analyze_article", "section_priors")
    try:
        khabar.reanalyze.reanalyze(storage, source_id=source)
    finally:
        storage.close()
    model = default_classifier(None).model
    stored = [SPORT, ECONOMY, SPORT, SPORT]
    expected = estimate_priors(model, [model.probabilities(t, x) for t, x in stored])
    assert expected is not None and model.prior is not None
    assert expected["sports"] > model.prior[model.classes.index("sports")]
    assert used == [pytest.approx(expected)] * 4
    storage = open_storage(url)
    used.clear()
    try:
        kept = dict(storage.get_source(source).section_priors)  # for the source's new articles
        assert presenters.source_dict(storage.get_source(source))["section_priors"] == kept
        storage.set_section_priors(other, {"sports": 0.9, "politics": 0.1})  # stale: replaced
        khabar.reanalyze.reanalyze(storage, source_id=other)  # one article: fewer than 3
        assert storage.get_source(other).section_priors == ()
    finally:
        storage.close()
    assert kept == pytest.approx(expected)
    assert used == [None]


def test_imported_articles_are_classified_with_their_sources_stored_shares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = keyword_spy(monkeypatch, khabar.service, "analyze_article", "section_priors")
    shares = {"sports": 0.7, "politics": 0.3}
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'k.db'}", extract_workers=1)
    with Khabar(settings) as service:
        rows = [("الملاعب", "s1", SPORT[0], SPORT[1], "2024-05-06T08:00Z")]
        assert service.import_jsonl(write_records(tmp_path / "a.jsonl", rows)).added == 1
        (source,) = service.sources()
        service.storage.set_section_priors(source.id, shares)
        rows = [("الملاعب", "s2", ECONOMY[0], ECONOMY[1], "2024-05-06T09:00Z")]
        assert service.import_jsonl(write_records(tmp_path / "b.jsonl", rows)).added == 1
    assert used == [None, shares]
