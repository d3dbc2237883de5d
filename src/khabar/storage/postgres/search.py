"""PostgreSQL implementation of :class:`~khabar.storage.protocol.SearchType`.

``article_terms`` holds one ``tsvector`` per article made from the *analyzer's* terms (see
``tsearch``), with a GIN index; PostgreSQL's own parsers and dictionaries are never used, so
a query finds exactly what it finds on SQLite. Ranking is ``ts_rank_cd`` with title tokens
(weight A) three times body tokens (weight D) and a log length normalization — PostgreSQL has
no BM25, so the order of hits differs from SQLite's while the set of hits does not.
Filters are plain SQL on the joined ``articles`` row; snippets are cut in Python.

At scale (1M articles, ``bench/postgres_scale.py``) a common word matches hundreds of thousands
of articles; ranking every match reads every matching ``tsvector`` from TOAST (seconds). So a
search ranks a bounded candidate set: the ``RANK_CANDIDATES`` newest matches (found through
the GIN index or the time index, whichever the planner prefers), and the total is counted
up to ``TOTAL_CAP`` (as on SQLite: past it the page says "more than"). A query with fewer
matches than the bound ranks all of them, exactly as before; one with more ranks its newest
matches by relevance — for news, what a reader of a common word wants first.

Which path finds the candidates is decided from the data, not left to the planner: its
estimate for a phrase is the estimate for its words ANDed together, so for a phrase of two
common words it expected thousands of matches, chose the time-ordered scan, and read every
article's ``tsvector`` (1.2 s at 200k for a phrase with 95 matches). Now the matches are
first collected through the GIN index alone (seq and plain index scans off for that
statement), up to a cap that grows with the table (``SCAN_COST``). When there are no more,
all are known: the total is exact, the newest ``RANK_CANDIDATES`` are ranked by key, and no
count query runs. Only a query with more matches than the cap (dense in time order) takes the
time-ordered scan, and its total is already known to pass ``TOTAL_CAP``; a query without
phrases that the planner expects to match more than the cap goes there directly. The
hits and their order are the same either way.

With a ``source:``, ``section:`` or date filter: one outlet is spelled ``=`` (so the newest
matches are read from ``articles_by_source_time``), the statements are planned for the values
asked (not a prepared statement's generic plan) and the capped count goes through GIN alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

import psycopg
from psycopg.rows import DictRow

from khabar.errors import StorageError
from khabar.search import analyzer, results
from khabar.search.query import (
    InvalidQueryError,
    ParsedQuery,
    Sort,
    parse_query,
)
from khabar.search.results import (
    Dialect,
    filter_conditions,
    matching_sources,
    results_page,
)
from khabar.storage.postgres.tsearch import TsQuery, ts_query, tsvector_literal
from khabar.types import Article, SearchPage

if TYPE_CHECKING:
    from khabar.storage.postgres.storage import PostgresStorage

__all__ = ["POSTGRES", "RANK_CANDIDATES", "RANK_WEIGHTS", "PostgresSearch"]

# ts_rank_cd weights for {D, C, B, A}: body tokens are D, title tokens A (3× the body, as the
# SQLite backend's BM25 column weights).
RANK_WEIGHTS = "{0.3333, 0, 0, 1.0}"
RANK_NORMALIZATION = 1  # divide by 1 + log(document length), as BM25 favours short documents
QUERY_TIME_LIMIT_MS = 2000  # a user query may run this long before it is cut off
RANK_CANDIDATES = 200  # newest matches ranked by relevance (see the module docstring)
# The time-ordered scan visits a row in ~3–7× the time the GIN path takes to collect one
# match (EXPLAIN ANALYZE at 200k: a tsvector read per visited row), and finds its candidates
# in about RANK_CANDIDATES × rows / matches visits; collecting up to √(SCAN_COST ×
# RANK_CANDIDATES × rows) matches before switching bounds the worst case of both (≈ 10,000
# at 200k articles, 23,000 at 1M; 2.6 and 6.0 timed the same on the 200k benchmark).
SCAN_COST = 2.6
SURELY_MANY = 1.0  # a query estimated at this many times the collect cap goes to the scan
_INDEX_ONLY = ("SET LOCAL enable_seqscan = off", "SET LOCAL enable_indexscan = off")
_PLANNER_DEFAULTS = ("SET LOCAL enable_seqscan TO DEFAULT", "SET LOCAL enable_indexscan TO DEFAULT")
_PAGE = "LIMIT %s OFFSET %s"
# For one search transaction: its time limit, and how its plans are made. psycopg prepares a
# statement run five times and PostgreSQL may then reuse one generic plan for it. With a
# source:, section: or date filter that plan is blind to the outlet or days asked for (at 100k,
# `رئيسا source:BBC` walked the whole time index: 350 ms; its own plan: 5 ms), so such
# searches are planned for their own values. Without, the generic plan was measured as good
# or better (the capped count of a common word: 18 ms generic, 88 ms custom).
_SEARCH_SETTINGS = """SELECT set_config('statement_timeout', %s, true),
    set_config('plan_cache_mode', %s, true)"""


POSTGRES: Final = Dialect(
    mark="%s",
    visible="NOT a.hidden",
    like="ILIKE",
    lists_as_arrays=True,
    day_start=lambda day: datetime(day.year, day.month, day.day, tzinfo=UTC),
)
_UPSERT_TERMS = """INSERT INTO article_terms (article_id, terms) VALUES (%s, %s::tsvector)
    ON CONFLICT (article_id) DO UPDATE SET terms = EXCLUDED.terms"""


class PostgresSearch:
    """Search over one :class:`PostgresStorage`."""

    def __init__(self, storage: PostgresStorage) -> None:
        self._storage = storage

    def _state(self, name: str, *, lock: bool = False) -> int:
        sql = "SELECT value FROM search_state WHERE name = %s" + (" FOR UPDATE" if lock else "")
        return int(self._storage.read(sql, (name,))[0]["value"])

    # --- indexing ----------------------------------------------------------------------

    def update(self) -> int:
        """Index changed articles and drop deleted ones; returns how many rows changed.

        When the analyzer's version differs from the one the index was built with, the index
        is emptied first and every article is indexed again. Each batch locks its cursor row
        in ``search_state``, so indexers running at once take turns instead of racing.
        """
        self._rebuild_if_analyzer_changed()
        done = self._drop_deleted()
        while True:
            with self._storage.write("update search index") as conn:
                changes = self._storage.changes_since(self._state("indexed_seq", lock=True))
                if changes:
                    rows = [(a.id, _tsvector(a)) for _, a in changes]
                    with conn.cursor() as cur:
                        cur.executemany(_UPSERT_TERMS, rows)
                    conn.execute(
                        "UPDATE search_state SET value = %s WHERE name = 'indexed_seq'",
                        (changes[-1][0],),
                    )
            if not changes:
                return done
            done += len(changes)

    def _rebuild_if_analyzer_changed(self) -> None:
        current = _analyzer_version()
        if self._state("analyzer_version") == current:
            return
        with self._storage.write("reset the search index for a new analyzer") as conn:
            if self._state("analyzer_version", lock=True) == current:
                return  # another process rebuilt it while we waited
            conn.execute("TRUNCATE article_terms")
            conn.execute("UPDATE search_state SET value = 0 WHERE name = 'indexed_seq'")
            conn.execute(
                """UPDATE search_state SET value = (SELECT coalesce(max(seq), 0)
                   FROM deleted_articles) WHERE name = 'deleted_seq'"""
            )
            conn.execute(
                "UPDATE search_state SET value = %s WHERE name = 'analyzer_version'", (current,)
            )

    def _drop_deleted(self) -> int:
        with self._storage.write("remove deleted articles from the search index") as conn:
            deleted = self._storage.deleted_since(self._state("deleted_seq", lock=True))
            if deleted:
                conn.execute(
                    "DELETE FROM article_terms WHERE article_id = ANY(%s)",
                    ([aid for _, aid in deleted],),
                )
                conn.execute(
                    "UPDATE search_state SET value = %s WHERE name = 'deleted_seq'",
                    (deleted[-1][0],),
                )
        return len(deleted)

    # --- searching ---------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int = 20, offset: int = 0, sort: Sort | None = None
    ) -> SearchPage:
        parsed = parse_query(query, sort=sort)
        plan_query = ts_query(parsed)
        if parsed.is_empty or plan_query.nothing:
            return SearchPage(query, (), 0, offset, limit)
        sources = self._source_ids(parsed.filters.sources)
        where, params = filter_conditions(parsed.filters, sources, POSTGRES)
        if where is None:
            return SearchPage(query, (), 0, offset, limit)
        rows, total = self._run(_Plan(parsed, plan_query, where, params), limit, offset)
        return results_page(
            parsed, rows, total, self._storage.get_articles, offset=offset, limit=limit
        )

    def _source_ids(self, fragments: Sequence[str]) -> list[int]:
        if not fragments:
            return []
        rows = self._storage.read("SELECT id, url, title, site_url FROM sources")
        found = [(int(r["id"]), r["url"], r["title"], r["site_url"]) for r in rows]
        return matching_sources(fragments, found)

    def _run(self, plan: _Plan, limit: int, offset: int) -> tuple[list[tuple[int, float]], int]:
        conn = self._storage.connection
        try:
            with conn.transaction():
                mode = "force_custom_plan" if plan.narrow else "auto"
                conn.execute(_SEARCH_SETTINGS, (str(int(QUERY_TIME_LIMIT_MS)), mode))
                return _find(conn, plan, limit, offset)
        except psycopg.errors.QueryCanceled as exc:
            raise InvalidQueryError("too_slow") from exc
        except psycopg.Error as exc:
            raise StorageError(f"search for {plan.parsed.text!r} failed: {exc}") from exc


def _find(
    conn: psycopg.Connection[DictRow], plan: _Plan, limit: int, offset: int
) -> tuple[list[tuple[int, float]], int]:
    """The page of (id, score) hits and the total (past ``TOTAL_CAP`` only a lower bound)."""
    cap = _collect_cap(conn)
    more_than_cap = False
    if plan.match is not None and not _surely_many(conn, plan, cap):
        found = _collect(conn, plan, cap)
        if len(found) <= cap:  # every match is known
            return _rank_known(conn, plan, found, limit, offset), len(found)
        more_than_cap = True
    rows = conn.execute(plan.page_sql(), plan.page_params(limit, offset)).fetchall()
    if more_than_cap:  # counted already (an estimate alone is no count: filters, stale stats)
        return [_hit_row(r) for r in rows], cap + 1
    if plan.narrow:  # the last statement of the transaction: the settings end with it
        _settings(conn, _INDEX_ONLY)
    total = conn.execute(  # counting stops past the cap
        f"SELECT count(*) AS n FROM (SELECT 1 {plan.body} LIMIT %s) AS m",
        (*plan.params, results.TOTAL_CAP + 1),
    ).fetchone()
    return [_hit_row(r) for r in rows], int(total["n"]) if total else 0


def _collect_cap(conn: psycopg.Connection[DictRow]) -> int:
    """How many matches to collect through GIN before the time-ordered scan is cheaper."""
    row = conn.execute("SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass").fetchone()
    articles = max(float(row["reltuples"]), 0.0) if row else 0.0  # -1: never analyzed
    return max(results.TOTAL_CAP, math.isqrt(int(SCAN_COST * RANK_CANDIDATES * articles)))


def _surely_many(conn: psycopg.Connection[DictRow], plan: _Plan, cap: int) -> bool:
    """The planner expects more than ``SURELY_MANY × cap`` matches of a query without
    phrases, before the filters (collecting costs as much for every match the index finds).

    For words its estimate comes from the column's statistics (several words: as if they were
    independent; news words that go together are found together more often, not less). For a
    phrase it is the estimate of its words ANDed, often far too many — never trusted."""
    if not plan.estimable:
        return False
    row = conn.execute(  # the filters are checked on each match the GIN path finds
        "EXPLAIN (FORMAT JSON) SELECT 1 FROM article_terms WHERE terms @@ %s::tsquery",
        (plan.match,),
    ).fetchone()
    estimate = row["QUERY PLAN"][0]["Plan"]["Plan Rows"] if row else 0
    return bool(estimate > SURELY_MANY * cap)


def _collect(conn: psycopg.Connection[DictRow], plan: _Plan, cap: int) -> list[_Match]:
    """Up to ``cap + 1`` matches (any order), found through the GIN index only."""
    _settings(conn, _INDEX_ONLY)
    rows = conn.execute(
        f"SELECT a.id, a.sort_time {plan.body} LIMIT %s", (*plan.params, cap + 1)
    ).fetchall()
    _settings(conn, _PLANNER_DEFAULTS)
    return [(row["sort_time"], int(row["id"])) for row in rows]


def _settings(conn: psycopg.Connection[DictRow], settings: Sequence[str]) -> None:
    for setting in settings:
        conn.execute(setting)


def _rank_known(
    conn: psycopg.Connection[DictRow],
    plan: _Plan,
    found: list[_Match],
    limit: int,
    offset: int,
) -> list[tuple[int, float]]:
    """The page out of all the matches: as ``page_sql`` orders it, computed here."""
    newest = sorted(found, reverse=True)  # sort_time DESC, id DESC
    chosen = newest[: max(RANK_CANDIDATES, offset + limit)] if plan.relevant else newest
    if not plan.relevant:
        chosen = chosen[offset : offset + limit]
    scores = _scores(conn, plan, [aid for _, aid in chosen])
    # An article deleted since it was collected has no score and is left out.
    ranked = [(scores[aid], when, aid) for when, aid in chosen if aid in scores]
    if plan.relevant:  # score DESC, sort_time DESC, id DESC
        ranked = sorted(ranked, reverse=True)[offset : offset + limit]
    return [(aid, score) for score, _, aid in ranked]


def _scores(conn: psycopg.Connection[DictRow], plan: _Plan, ids: list[int]) -> dict[int, float]:
    if not ids:
        return {}
    rows = conn.execute(
        f"""SELECT article_id AS id,
            ts_rank_cd(%s::float4[], terms, %s::tsquery, {RANK_NORMALIZATION}) AS score
            FROM article_terms WHERE article_id = ANY(%s)""",
        (RANK_WEIGHTS, plan.match, ids),
    ).fetchall()
    return dict(map(_hit_row, rows))


class _Plan:
    """The SQL of one search: FROM/WHERE body and its parameters, and the page query."""

    def __init__(
        self, parsed: ParsedQuery, query: TsQuery, where: list[str], params: list[object]
    ) -> None:
        self.parsed = parsed
        self.match = query.match
        if query.match is not None:
            self.body = (
                "FROM article_terms t JOIN articles AS a ON a.id = t.article_id "
                "WHERE t.terms @@ %s::tsquery"
            )
            self.params: list[object] = [query.match, *params]
        else:  # only filters (and maybe exclusions): a filtered listing, newest first
            self.body = "FROM articles AS a WHERE true"
            self.params = list(params)
            if query.exclude is not None:
                self.body += (
                    " AND NOT EXISTS (SELECT 1 FROM article_terms x"
                    " WHERE x.article_id = a.id AND x.terms @@ %s::tsquery)"
                )
                self.params.insert(0, query.exclude)
        self.body += "".join(f" AND {w}" for w in where)
        self.relevant = query.match is not None and parsed.sort == "relevance"
        # Words with a source:, section: or date filter: the planner counts in the terms' key
        # order, reading a tsvector per row, most of them other outlets' or days' (EXPLAIN
        # ANALYZE at 100k: 16,500 rows read for 1,001 counted, 103–137 ms); through GIN alone
        # 22–45 ms (a month's window: 98–261 → 43–85 ms).
        f = parsed.filters
        narrowed = f.sources or f.sections or f.date_from or f.date_to
        self.narrow = query.match is not None and bool(narrowed)
        # No phrase: the planner's estimate of its matches comes from the word statistics.
        self.estimable = query.match is not None and "<->" not in query.match

    def page_sql(self) -> str:
        newest = f"SELECT a.id, a.sort_time {self.body} ORDER BY a.sort_time DESC, a.id DESC"
        by_date = "c.sort_time DESC, c.id DESC"
        if self.match is None:
            return f"SELECT c.id, 0.0 AS score FROM ({newest} {_PAGE}) AS c ORDER BY {by_date}"
        # Each candidate's tsvector is read again by key (a scalar subquery, so never a scan
        # of the whole table), and only for the candidates.
        score = (
            f"(SELECT ts_rank_cd(%s::float4[], r.terms, %s::tsquery, {RANK_NORMALIZATION}) "
            "FROM article_terms r WHERE r.article_id = c.id)"
        )
        ranked = f"SELECT c.id, {score} AS score FROM ({newest} "
        if not self.relevant:
            return f"{ranked}{_PAGE}) AS c ORDER BY {by_date}"
        return f"{ranked}LIMIT %s) AS c ORDER BY score DESC, {by_date} {_PAGE}"

    def page_params(self, limit: int, offset: int) -> tuple[object, ...]:
        if self.match is None:
            return (*self.params, limit, offset)
        if not self.relevant:
            return (RANK_WEIGHTS, self.match, *self.params, limit, offset)
        candidates = max(RANK_CANDIDATES, offset + limit)
        return (RANK_WEIGHTS, self.match, *self.params, candidates, limit, offset)


# --- helpers -----------------------------------------------------------------------------

_Match = tuple[datetime, int]  # (sort_time, id) of one match


def _hit_row(row: DictRow) -> tuple[int, float]:
    return int(row["id"]), float(row["score"])


def _analyzer_version() -> int:
    # Looked up at call time, like the SQLite backend: tests and new analyzers decide.
    return int(getattr(analyzer, "ANALYZER_VERSION", 1))


def _tsvector(article: Article) -> str:
    # Looked up on the module at call time: the analyzer of the day (and tests) decide.
    return tsvector_literal(analyzer.analyze(article.title), analyzer.analyze(article.text))
