"""The storage and search contracts every backend implements.

The contract test suite in ``tests/contract/`` runs against every implementation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from khabar.dedupe.decide import Candidate, DedupeDecision, Known
from khabar.rules.alerts import Alert, DeliveryAttempt, NewAlert, RuleHit
from khabar.rules.model import Rule, RuleSpec
from khabar.search.query import Sort
from khabar.stories.cluster import StoryState
from khabar.types import (
    Article,
    ArticleDraft,
    Embed,
    EntityCount,
    EntityInfo,
    EntityMention,
    NewSource,
    PageLink,
    SearchPage,
    Source,
    SourceFetchState,
    Story,
)

__all__ = ["ArticleFilter", "RuleStoreType", "SearchType", "StorageType", "UpsertOutcome"]


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles to list. ``before`` is a cursor: (sort time, id) of the last item seen.

    ``fold_copies``: list one article per group of copies (the one that leads it, with its
    ``copies`` count) instead of every copy. Folding works across outlets, so it does not apply
    when ``source_id`` is given: an outlet's page lists all it published.
    """

    source_id: int | None = None
    language: str | None = None
    section: str | None = None
    limit: int = 50
    before: tuple[datetime, int] | None = None
    fold_copies: bool = True
    include_hidden: bool = False
    """List articles a ``hide`` rule hid too (``Article.hidden``); lists leave them out."""


@dataclass(frozen=True, slots=True)
class UpsertOutcome:
    article: Article
    created: bool
    changed: bool


class StorageType(Protocol):
    """Where sources and articles live.

    Contract:
    - Datetimes going in and out are timezone-aware UTC; naive datetimes are rejected
      with ``ValueError`` (a bug, not user input).
    - ``add_source`` raises ``SourceExistsError`` when the URL is already followed.
    - Lookups of a missing id raise ``NotFoundError``.
    - ``upsert_article`` is idempotent: the identity of an article is (source_id, key); writing
      the same draft twice stores one row. A changed title/text bumps the article's change
      sequence so the search index picks it up; an unchanged draft does not.
    - Dedupe: ``upsert_article`` keeps the draft's fingerprint (content hash, MinHash band
      keys) and canonical URL keys. ``copy_candidates`` returns the article as a dedupe
      ``Candidate`` and every other stored article sharing a canonical URL or content hash with
      it, or an LSH band within ``window`` of its time. ``record_copy`` stores a
      ``DedupeDecision`` for a new article: a copy joins the group of the article it matched
      (``group_id``); an article that turns out to be the original of its group leads it (the
      others are re-pointed to it); ``original_outlet``/``original_id`` are set on the whole
      group. Unknown ids raise ``NotFoundError``.
    - Related: ``upsert_article`` keeps the draft's ``features``; ``related_articles`` returns
      up to ``limit`` other articles sharing the heaviest of them (``khabar.stories.related``),
      best first, one per copy group, never a copy of the article itself. Articles a ``hide``
      rule hid are left out of related articles, entity lists and story articles too.
    - Entities and keywords: ``upsert_article`` replaces the article's entity and keyword rows
      with the draft's; entities merge across articles by ``key`` (the first name seen is the
      entity's name). ``entity_articles`` lists the articles naming one, newest first, copies
      folded; ``entity_days`` counts them per UTC day from ``since``; ``entity_counts`` counts,
      per entity named at or after ``since``, the articles at or after ``split`` (``recent``)
      and before it (``before``), keeping those with ``recent >= min_recent``. An unknown
      entity raises ``NotFoundError`` from ``get_entity``.
    - Tags: an article's tags are its ``categories`` (the outlet's own tags), matched whole and
      exactly as stored. ``tag_articles`` lists the articles carrying ``tag``, newest first,
      one per copy group (the one leading it), hidden ones left out, paged by ``before`` like
      ``list_articles``; ``tag_days`` counts the articles carrying it (every copy, hidden ones
      left out) per UTC day from ``since``, days without any left out. An unknown tag gives
      empty lists, not an error.
    - Stories: ``save_story`` stores a story's state (its id is the id of the article that
      started it, as text) and puts the article in it; ``active_stories`` returns the states
      of stories seen at or after ``since`` (what a clusterer resumes from);
      ``list_stories`` the newest first; ``story_articles`` a story's articles oldest first.
    - Any database failure is raised as ``StorageError`` with what was attempted.
    - One instance is used from one thread at a time; several instances (processes, threads)
      may share one database: readers never block the single writer for long.
    """

    def close(self) -> None: ...
    def one_transaction(self) -> AbstractContextManager[object]:
        """Every write inside this block (same thread) is one transaction: all of it is
        stored, or none of it when the block raises. Not reentrant."""
        ...

    # sources
    def add_source(self, source: NewSource) -> Source: ...
    def get_source(self, source_id: int) -> Source: ...
    def find_source(self, url: str) -> Source | None: ...
    def list_sources(self) -> list[Source]: ...
    def set_section_priors(self, source_id: int, priors: Mapping[str, float] | None) -> None:
        """Store the source's estimated section shares (None: forget them)."""
        ...

    def set_source_paused(self, source_id: int, paused: bool) -> Source: ...
    def delete_source(self, source_id: int) -> None: ...
    def record_fetch(self, source_id: int, state: SourceFetchState) -> Source: ...

    # articles
    def upsert_article(self, draft: ArticleDraft) -> UpsertOutcome: ...
    def save_analysis(self, article_id: int, draft: ArticleDraft) -> Article:
        """Replace what analysis decided about a stored article — section, fingerprint,
        related-article features, entities, keywords — with ``draft``'s (``khabar reanalyze``).
        Its text, dates, copies and story stay; the search index sees it as changed."""
        ...

    def known_keys(self, source_id: int, keys: Sequence[str]) -> set[str]: ...
    def known_urls(self, source_id: int, urls: Sequence[str]) -> set[str]: ...
    def get_article(self, article_id: int) -> Article: ...
    def list_articles(self, flt: ArticleFilter) -> list[Article]: ...
    def recent_publish_times(self, source_id: int, limit: int = 20) -> list[datetime]: ...
    def count_articles(self) -> int: ...

    # dedupe
    def copy_candidates(
        self, article_id: int, window: timedelta
    ) -> tuple[Candidate, list[Known]]: ...
    def record_copy(self, article_id: int, decision: DedupeDecision) -> Article: ...
    def copies_of(self, article_id: int) -> list[Article]: ...

    # related articles
    def related_articles(self, article_id: int, limit: int = 5) -> list[Article]: ...

    # entities and keywords
    def article_entities(self, article_id: int) -> list[EntityMention]: ...
    def article_keywords(self, article_id: int) -> list[str]: ...
    def get_entity(self, key: str) -> EntityInfo: ...
    def entity_articles(
        self, key: str, *, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[Article]: ...
    def entity_days(self, key: str, since: datetime) -> list[tuple[date, int]]: ...
    def entity_counts(
        self, split: datetime, since: datetime, min_recent: int = 1
    ) -> list[EntityCount]: ...
    def article_links(self, article_id: int) -> list[PageLink]:
        """The read-also and related links its page showed, in page order, each with our
        copy of the linked article when we hold one."""
        ...

    def article_embeds(self, article_id: int) -> list[Embed]:
        """The social posts and media its page embedded, in page order."""
        ...

    def entity_stories(
        self, key: str, *, min_size: int = 2, limit: int = 5, scan: int = 1000
    ) -> list[Story]:
        """Stories (``min_size`` articles or more) holding one of the ``scan`` newest articles
        naming ``key``, most recently active first."""
        ...

    # tags
    def tag_articles(
        self, tag: str, *, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[Article]: ...
    def tag_days(self, tag: str, since: datetime) -> list[tuple[date, int]]: ...

    # stories
    def save_story(self, state: StoryState, article_id: int) -> Story: ...
    def active_stories(self, since: datetime) -> list[StoryState]: ...
    def get_story(self, story_id: int) -> Story: ...
    def list_stories(
        self, *, since: datetime | None = None, min_size: int = 1, limit: int = 50
    ) -> list[Story]: ...
    def story_articles(self, story_id: int) -> list[Article]: ...

    # change tracking for search
    def changes_since(self, seq: int, limit: int = 500) -> list[tuple[int, Article]]: ...
    def deleted_since(self, seq: int) -> list[tuple[int, int]]: ...

    @property
    def search(self) -> SearchType: ...

    @property
    def rules(self) -> RuleStoreType: ...


class SearchType(Protocol):
    """Full-text search over titles and bodies, kept in sync through change tracking.

    Contract:
    - Indexed terms and query terms come from the same analyzer (``khabar.search.analyze``), so
      a query finds every spelling the analyzer folds together.
    - ``update`` indexes every article whose change sequence is newer than the index's, and
      removes deleted ones; it is safe to call at any time and cheap when nothing changed.
      When the analyzer's ``ANALYZER_VERSION`` differs from the one the index was built
      with, ``update`` empties the index and indexes every article again.
    - ``search`` takes the user's text in the query language of ``khabar.search.query``
      (words, "phrases", OR, -exclusion, prefix*, source:/section:/lang:/from:/to:/sort:
      filters). Bad syntax raises ``InvalidQueryError`` (an ``InvalidInputError``) naming the
      problem and its position; nothing else about the text makes it raise, and no user text
      ever becomes backend query syntax. A query with nothing to match and no filter gives an
      empty page; filters alone list the matching articles newest first.
    - ``sort``: ``"relevance"`` (BM25, title weighted above body), ``"date"`` (newest first),
      or ``None`` for the query's own ``sort:`` (relevance when absent). ``total`` counts
      every match under the filters, up to the backend's cap if it has one (SQLite: 1,000);
      past the cap ``total_is_lower_bound`` is True and ``total`` means "more than this".
      ``snippet`` is escaped HTML from the original text with the matched words wrapped in
      ``<mark>``.
    - Copies are folded: without a ``source:`` filter only the article leading each group of
      copies is a hit (its ``copies`` count says how many outlets also carry it).
    - Articles a ``hide`` rule hid (``Article.hidden``) are never hits.
    """

    def update(self) -> int: ...
    def search(
        self, query: str, *, limit: int = 20, offset: int = 0, sort: Sort | None = None
    ) -> SearchPage: ...


class RuleStoreType(Protocol):
    """Rules (``khabar.rules``), what they did to articles, and the alerts they raised.

    Contract:
    - ``add_rule`` stores a validated spec (its webhook secret too) and returns it with a new
      id; ``list_rules`` returns every rule, oldest first; unknown ids raise ``NotFoundError``.
    - ``record_hits`` stores which ``hide``/``mark`` rules matched an article (idempotent per
      rule and article; hits of rules deleted meanwhile are ignored) and returns the article
      with ``hidden`` (some hit hides it) and ``marks`` (the labels of its ``mark`` hits, by
      rule id) recomputed; an unknown article raises ``NotFoundError``.
    - ``delete_rule`` removes the rule and its hits and recomputes ``hidden``/``marks`` of the
      articles it touched; its alerts stay (``rule_id`` None) and their pending deliveries are
      cancelled (``next_attempt_at`` None, ``last_error`` says why).
    - ``add_alert`` queues an alert, due at once when it has a ``target``; it returns None
      when the rule already raised an alert for the same subject (kind and id), so a replayed
      write never alerts twice. ``list_alerts`` is newest first (``before``: an alert id to
      page from); ``due_alerts`` the alerts whose ``next_attempt_at`` is at or before
      ``now``, the longest waiting first.
    - ``record_delivery`` counts one attempt: the error (None when delivered, which sets
      ``delivered_at``) and the next attempt's time (None: no more tries).
    """

    def add_rule(self, spec: RuleSpec) -> Rule: ...
    def get_rule(self, rule_id: int) -> Rule: ...
    def list_rules(self) -> list[Rule]: ...
    def delete_rule(self, rule_id: int) -> None: ...
    def record_hits(self, article_id: int, hits: Sequence[RuleHit]) -> Article: ...

    def add_alert(self, alert: NewAlert) -> Alert | None: ...
    def get_alert(self, alert_id: int) -> Alert: ...
    def list_alerts(self, limit: int = 50, before: int | None = None) -> list[Alert]: ...
    def due_alerts(self, now: datetime, limit: int = 20) -> list[Alert]: ...
    def record_delivery(self, alert_id: int, attempt: DeliveryAttempt) -> Alert: ...
