"""What every search engine does around its own ranking: the SQL filters and the page of hits.

An engine (FTS5, tantivy, PostgreSQL) only ranks: it turns a :class:`ParsedQuery` into article
ids with scores and a total. The rest is the same everywhere and lives here — the conditions on
``articles AS a`` that the query's filters, rule-hidden articles and copy groups impose (each
backend spells them in its :class:`Dialect`), the source ids ``source:`` selects, and the page:
the hits' articles loaded in rank order, their snippets, the total capped at :data:`TOTAL_CAP`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from khabar.search.query import ParsedQuery, QueryFilters, source_matches
from khabar.search.snippet import make_snippet
from khabar.types import Article, SearchHit, SearchPage

__all__ = [
    "LEADS_ONLY",
    "TOTAL_CAP",
    "Dialect",
    "Filters",
    "filter_conditions",
    "matching_sources",
    "results_page",
    "snippet",
]

TOTAL_CAP = 1000  # matches counted at most; past it a page says "more than TOTAL_CAP"
# (read at call time, as `results.TOTAL_CAP`, so one change caps every engine)
LEADS_ONLY = "(a.group_id IS NULL OR a.group_id = a.id)"  # one article per group of copies

Filters = tuple[list[str] | None, list[object]]
"""SQL conditions on ``articles AS a`` with their parameters; ``None`` when nothing can match."""


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one backend spells the filter conditions."""

    mark: str
    """The parameter placeholder (``?`` or ``%s``)."""
    visible: str
    """The condition that leaves out articles a rule hid."""
    like: str
    """The case-insensitive LIKE (both backends must agree: SQLite's LIKE ignores ASCII case)."""
    lists_as_arrays: bool
    """``= ANY(array)`` with one parameter (PostgreSQL) instead of ``IN (?, ?, …)``."""
    day_start: Callable[[date], object]
    """The stored form of a day's first instant, UTC (what ``sort_time`` compares with)."""

    def one_of(self, column: str, values: Sequence[object]) -> tuple[str, list[object]]:
        """``column`` is one of ``values``. One value is spelled ``column = ?``: PostgreSQL
        15 never reads a B-tree in order through ``= ANY(array)``, so ``source:`` with one
        outlet could not walk ``articles_by_source_time`` newest first (it walked
        ``articles_by_time`` and skipped every other outlet's rows); SQLite reads both alike."""
        if len(values) == 1:
            return f"{column} = {self.mark}", [values[0]]
        if self.lists_as_arrays:
            return f"{column} = ANY({self.mark})", [list(values)]
        return f"{column} IN ({','.join(self.mark * len(values))})", list(values)


def filter_conditions(filters: QueryFilters, sources: Sequence[int], dialect: Dialect) -> Filters:
    """The conditions of ``filters``; ``sources`` are the ids ``source:`` selected.

    Besides the query's filters: hidden articles are never hits, and without ``source:``
    only the article leading each group of copies is."""
    where: list[str] = [dialect.visible]
    params: list[object] = []
    if filters.sources:
        if not sources:
            return None, []  # source: matched no followed source
        _add(where, params, dialect.one_of("a.source_id", sources))
    else:
        where.append(LEADS_ONLY)  # copies of one text fold into the article leading them
    if filters.languages:
        m, like = dialect.mark, dialect.like
        one = f"a.language = {m} OR a.language {like} {m}"
        where.append("(" + " OR ".join(one for _ in filters.languages) + ")")
        for code in filters.languages:
            params.extend([code, f"{code}-%"])
    if filters.date_from:
        where.append(f"a.sort_time >= {dialect.mark}")
        params.append(dialect.day_start(filters.date_from))
    if filters.date_to and filters.date_to < date.max:
        where.append(f"a.sort_time < {dialect.mark}")
        params.append(dialect.day_start(filters.date_to + timedelta(days=1)))
    if filters.sections:
        _add(where, params, dialect.one_of("a.section", filters.sections))
    return where, params


def _add(where: list[str], params: list[object], condition: tuple[str, list[object]]) -> None:
    where.append(condition[0])
    params.extend(condition[1])


def matching_sources(
    fragments: Sequence[str], sources: Sequence[tuple[int, str | None, str | None, str | None]]
) -> list[int]:
    """Ids of the ``(id, url, title, site_url)`` sources that ``source:fragment`` selects."""
    return [
        sid
        for sid, url, title, site in sources
        if any(source_matches(f, sid, (url, title, site)) for f in fragments)
    ]


def results_page(
    parsed: ParsedQuery,
    ranked: Sequence[tuple[int, float]],
    total: int,
    load: Callable[[list[int]], Mapping[int, Article]],
    *,
    offset: int,
    limit: int,
) -> SearchPage:
    """The page of ``ranked`` (id, score) hits: articles loaded, snippets cut, total capped."""
    articles = load([aid for aid, _ in ranked])
    hits = [
        SearchHit(articles[aid], score, snippet(articles[aid], parsed))
        for aid, score in ranked
        if aid in articles  # deleted since the engine ranked it
    ]
    capped = min(total, TOTAL_CAP)
    return SearchPage(parsed.text, tuple(hits), capped, offset, limit, total > TOTAL_CAP)


def snippet(article: Article, parsed: ParsedQuery) -> str:
    """The hit's snippet: its text (or summary, or title) with the query's words marked."""
    source = article.text or article.summary or article.title
    return make_snippet(source, parsed.highlight_terms(), prefixes=parsed.highlight_prefixes())
