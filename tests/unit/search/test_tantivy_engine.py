"""The tantivy search engine: its index directory, its sync state, freshness and totals.

What it finds is the SearchType contract (tests/contract, run on this engine too) and the
FTS5 parity test (tests/contract/test_search_tantivy_parity.py); this file covers what is
particular to an index kept outside the database.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import khabar.search.results
from khabar.errors import SettingsError
from khabar.search.tantivy_engine import TantivySearch, index_dir
from khabar.search.tantivy_query import fts5_tokens, language_keys
from khabar.storage import StorageType, open_storage
from khabar.storage.sqlite.storage import SqliteStorage
from khabar.types import ArticleDraft, NewSource


def _fill(storage: StorageType, texts: list[str]) -> list[int]:
    source = storage.add_source(NewSource(url="https://example.com/feed", title="مثال"))
    ids = []
    for i, text in enumerate(texts):
        draft = ArticleDraft(
            source_id=source.id,
            key=f"k{i}",
            url=f"https://example.com/{i}",
            title=f"عنوان {i}",
            text=text,
            language="ar",
        )
        ids.append(storage.upsert_article(draft).article.id)
    return ids


def _open(path: Path) -> SqliteStorage:
    return SqliteStorage(str(path), search_engine="tantivy")


def test_the_index_lives_beside_the_database_and_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    storage = _open(db)
    ids = _fill(storage, ["ارتفعت أسعار النفط", "افتتاح المدرسة"])
    assert isinstance(storage.search, TantivySearch)
    assert storage.search.update() == 2
    storage.close()
    assert index_dir(str(db)) == tmp_path / "k.db.tantivy"
    assert (tmp_path / "k.db.tantivy" / "state.json").is_file()
    again = _open(db)
    assert again.search.update() == 0  # caught up: nothing indexed twice
    assert [h.article.id for h in again.search.search("النفط").hits] == [ids[0]]
    again.close()


def test_a_lost_index_directory_is_rebuilt_from_the_database(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    storage = _open(db)
    ids = _fill(storage, ["ارتفعت أسعار النفط", "افتتاح المدرسة"])
    storage.search.update()
    storage.close()
    shutil.rmtree(tmp_path / "k.db.tantivy")
    again = _open(db)
    assert again.search.update() == 2
    assert [h.article.id for h in again.search.search("المدرسه").hits] == [ids[1]]
    again.close()


def test_an_in_memory_database_gets_an_in_memory_index(tmp_path: Path) -> None:
    storage = open_storage("sqlite:///:memory:", search_engine="tantivy")
    _fill(storage, ["ارتفعت أسعار النفط"])
    assert storage.search.update() == 1
    assert storage.search.search("النفط").total == 1
    assert list(tmp_path.iterdir()) == []
    storage.close()


def test_hidden_and_copy_changes_without_a_new_version_apply_at_once(tmp_path: Path) -> None:
    """The hidden flag and copy leadership change without a change sequence: hits are
    checked in SQL, so they are as fresh as with FTS5, without calling update()."""
    storage = _open(tmp_path / "k.db")
    ids = _fill(storage, [f"النفط {i}" for i in range(30)])
    storage.search.update()
    conn = storage.connection
    conn.execute("UPDATE articles SET hidden = 1 WHERE id IN (?, ?)", (ids[0], ids[1]))
    conn.execute("UPDATE articles SET group_id = ? WHERE id > ?", (ids[2], ids[2]))
    page = storage.search.search("النفط", limit=5)
    assert {h.article.id for h in page.hits} == {ids[2]}
    conn.execute("UPDATE articles SET group_id = NULL, hidden = 0")
    first = storage.search.search("النفط", limit=25, sort="date")
    second = storage.search.search("النفط", limit=25, offset=25, sort="date")
    shown = [h.article.id for h in (*first.hits, *second.hits)]
    assert shown == sorted(ids, reverse=True)  # every page full, newest (highest id) first
    storage.close()


@pytest.mark.parametrize("engine", ["fts5", "tantivy"])
def test_totals_past_the_cap_are_a_lower_bound(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(khabar.search.results, "TOTAL_CAP", 3)  # every engine's one cap
    storage = open_storage(f"sqlite:///{tmp_path / 'k.db'}", search_engine=engine)
    _fill(storage, [f"النفط {i}" for i in range(5)] + ["المدرسة"])
    storage.search.update()
    many = storage.search.search("النفط", limit=2)
    assert (many.total, many.total_is_lower_bound, len(many.hits)) == (3, True, 2)
    few = storage.search.search("المدرسة")
    assert (few.total, few.total_is_lower_bound) == (1, False)
    storage.close()


def test_totals_leave_out_what_was_hidden_or_folded_when_indexed(tmp_path: Path) -> None:
    """Past the candidates fetched, the total is counted in the index: matches minus those
    hidden or folded into a copy group as of indexing (folded ones count with ``source:``)."""
    storage = _open(tmp_path / "k.db")
    ids = _fill(storage, [f"النفط {i}" for i in range(40)])
    conn = storage.connection
    conn.execute("UPDATE articles SET hidden = 1 WHERE id IN (?, ?, ?)", tuple(ids[:3]))
    conn.execute("UPDATE articles SET group_id = ? WHERE id IN (?, ?)", (ids[5], *ids[6:8]))
    storage.search.update()
    page = storage.search.search("النفط", limit=1)
    assert (page.total, len(page.hits)) == (35, 1)
    assert storage.search.search("النفط source:example", limit=1).total == 37
    assert storage.search.search("النفط -10 -11", limit=1).total == 33
    storage.close()


@pytest.mark.parametrize("query", ["النفط source:example", "النفط lang:ar", "النفط"])
def test_candidates_are_checked_by_id_never_through_a_filter_index(
    tmp_path: Path, query: str
) -> None:
    """The SQL check looks candidates up by id, never through the index of a filter's
    column (``source:`` → articles_by_source_url would read every article of the outlet)."""
    storage = _open(tmp_path / "k.db")
    _fill(storage, [f"النفط {i}" for i in range(30)])
    storage.search.update()
    seen: list[str] = []
    storage.connection.set_trace_callback(seen.append)
    assert len(storage.search.search(query, limit=5).hits) == 5
    storage.connection.set_trace_callback(None)
    checks = [sql for sql in seen if "FROM articles AS a" in sql and "a.id IN" in sql]
    assert checks
    for sql in checks:
        steps = storage.connection.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        assert [row[3] for row in steps] == ["SEARCH a USING INTEGER PRIMARY KEY (rowid=?)"]
    storage.close()


def test_tokens_are_split_like_fts5_unicode61() -> None:
    assert fts5_tokens("3.5 covid-19 l'économie Oil_Gas") == [
        "3",
        "5",
        "covid",
        "19",
        "l",
        "économie",
        "oil",
        "gas",
    ]
    assert language_keys("ar-EG") == ["ar-EG", "ar"] and language_keys(None) == []


def test_an_unknown_engine_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        open_storage(f"sqlite:///{tmp_path / 'k.db'}", search_engine="lucene")


def test_two_processes_share_one_index_and_never_fight_over_the_writer(tmp_path: Path) -> None:
    """Like ``khabar update`` next to a running server: one writer at a time; the other
    continues from the state the first saved and sees its commits."""
    db = tmp_path / "k.db"
    first, second = _open(db), _open(db)
    ids = _fill(first, ["ارتفعت أسعار النفط"])
    assert first.search.update() == 1
    assert second.search.update() == 0  # already indexed by the first
    assert [h.article.id for h in second.search.search("النفط").hits] == ids
    busy = first.search._index.writer(15_000_000, 1)  # type: ignore[attr-defined]
    draft = ArticleDraft(source_id=1, key="x", url="https://example.com/x", title="", text="مدرسة")
    school = second.upsert_article(draft).article.id
    assert second.search.update() == 0  # the writer is busy: left to its holder
    busy.rollback()
    busy.wait_merging_threads()  # gives the lock back
    assert second.search.update() == 1
    assert first.search.update() == 0
    assert [h.article.id for h in first.search.search("مدرسة").hits] == [school]
    first.close()
    second.close()


def test_tantivy_is_the_default_everywhere(tmp_path: Path) -> None:
    from khabar.search.engines import DEFAULT_SEARCH_ENGINE
    from khabar.settings import Settings, load_settings

    assert DEFAULT_SEARCH_ENGINE == Settings().search_engine == "tantivy"
    assert load_settings(environ={}).search_engine == "tantivy"
    assert load_settings(environ={"KHABAR_SEARCH_ENGINE": "FTS5"}).search_engine == "fts5"
    with pytest.raises(SettingsError):
        load_settings(environ={"KHABAR_SEARCH_ENGINE": "lucene"})
    storage = open_storage(f"sqlite:///{tmp_path / 'k.db'}")
    assert isinstance(storage.search, TantivySearch)
    storage.close()


def test_an_index_left_by_a_deleted_database_is_not_reused(tmp_path: Path) -> None:
    """The demo deletes its database file and starts again; the index directory stays."""
    db = tmp_path / "k.db"
    old = _open(db)
    _fill(old, ["ارتفعت أسعار النفط", "افتتاح المدرسة", "مباراة كرة القدم"])
    old.search.update()
    old.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    new = _open(db)
    ids = _fill(new, ["النفط في الأسواق"])
    assert new.search.update() == 1
    assert [h.article.id for h in new.search.search("النفط").hits] == ids
    assert new.search.search("المدرسة").total == 0
    new.close()


def test_a_change_stored_while_the_holder_commits_is_indexed_by_the_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``khabar update`` stores an article while the server is committing its catch-up: the
    update finds the writer busy and leaves it to the holder, which must look again after
    giving the writer back — or the article stays unfindable until the next update."""
    db = tmp_path / "k.db"
    holder, other = _open(db), _open(db)
    _fill(holder, ["ارتفعت أسعار النفط"])
    commit = holder.search._commit  # type: ignore[attr-defined]
    stored: list[int] = []

    def commit_while_another_writes(writer: object) -> None:
        if not stored:
            draft = ArticleDraft(
                source_id=1, key="late", url="https://example.com/late", title="", text="مدرسة"
            )
            stored.append(other.upsert_article(draft).article.id)
            assert other.search.update() == 0  # the writer is busy: left to its holder
        commit(writer)

    monkeypatch.setattr(holder.search, "_commit", commit_while_another_writes)
    assert holder.search.update() == 2
    assert [h.article.id for h in holder.search.search("مدرسة").hits] == stored
    assert other.search.update() == 0
    assert [h.article.id for h in other.search.search("مدرسة").hits] == stored
    holder.close()
    other.close()


def test_a_second_process_opening_a_fresh_index_keeps_it(tmp_path: Path) -> None:
    """Two processes start on a new database (the server and ``khabar update``): the second
    must take the first one's new index as its own, not as a foreign one to delete."""
    db = tmp_path / "k.db"
    first = _open(db)
    marker = db.with_name("k.db.tantivy") / "kept"
    marker.write_text("the first process's index", encoding="utf-8")
    second = _open(db)
    try:
        assert marker.exists()
        ids = _fill(first, ["ارتفعت أسعار النفط"])
        assert first.search.update() == 1
        assert second.search.update() == 0
        assert [h.article.id for h in second.search.search("النفط").hits] == ids
    finally:
        first.close()
        second.close()
