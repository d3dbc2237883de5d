"""The tantivy side of search, without I/O: schema, documents, and queries from ParsedQuery.

Tokens are the analyzer's terms split exactly where FTS5's ``unicode61`` tokenizer splits
them (:func:`fts5_tokens`: runs of letters and digits, lowercased), so ``3.5`` is the two
tokens ``3 5`` on both engines and a query term that splits becomes a phrase, as in FTS5.
Every query is built from tantivy query objects; user text is never parsed by tantivy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Final

import tantivy

from khabar.search import analyzer
from khabar.search.query import ParsedQuery, Phrase, QueryFilters
from khabar.types import Article

__all__ = [
    "BODY_WEIGHT",
    "SCHEMA_VERSION",
    "TITLE_WEIGHT",
    "TOKENIZER",
    "IndexedFields",
    "build_query",
    "epoch_micros",
    "flagged_query",
    "fts5_tokens",
    "indexed_text",
    "language_keys",
    "make_document",
    "make_schema",
]

SCHEMA_VERSION: Final = 1
TOKENIZER: Final = "khabar_terms"  # whitespace: the analyzer already made the tokens
TITLE_WEIGHT: Final = 3.0
BODY_WEIGHT: Final = 1.0
_TOKEN: Final = re.compile(r"[^\W_]+")  # unicode61: letters and digits; the rest separates
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)

# --- schema and documents ----------------------------------------------------------------


def make_schema() -> tantivy.Schema:
    """Text fields with positions (phrases); fast fields for filters and sorting.

    ``hidden`` and ``folded`` (not leading its copy group) are the state when indexed: only
    totals use them; hits are checked against the database."""
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name=TOKENIZER, index_option="position")
    builder.add_text_field("body", tokenizer_name=TOKENIZER, index_option="position")
    builder.add_integer_field("source_id", indexed=True, fast=True)
    builder.add_text_field("section", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("lang", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("sort_time", indexed=True, fast=True)
    builder.add_boolean_field("hidden", indexed=True, fast=True)
    builder.add_boolean_field("folded", indexed=True, fast=True)
    return builder.build()


def fts5_tokens(text: str) -> list[str]:
    """``text`` split and folded the way FTS5's ``unicode61`` tokenizer does it."""
    return _TOKEN.findall(text.lower())


def indexed_text(terms: Iterable[str]) -> str:
    """Analyzer terms → the space-separated tokens stored in a text field."""
    return " ".join(fts5_tokens(" ".join(terms)))


def language_keys(language: str | None) -> list[str]:
    """What ``lang:CODE`` can match: the tag itself and, for ``ar-EG``, its base ``ar``."""
    if not language:
        return []
    keys = [language]
    if "-" in language:
        keys.append(language.split("-", 1)[0].lower())
    return keys


class IndexedFields:
    """Everything one document holds, for callers that analyzed the text already."""

    __slots__ = (
        "article_id",
        "body",
        "folded",
        "hidden",
        "language",
        "section",
        "sort_time",
        "source_id",
        "title",
    )

    def __init__(
        self,
        article_id: int,
        title: str,
        body: str,
        source_id: int,
        sort_time: int,
        *,
        language: str | None = None,
        section: str | None = None,
        hidden: bool = False,
        folded: bool = False,
    ) -> None:
        self.article_id = article_id
        self.title = title
        self.body = body
        self.source_id = source_id
        self.sort_time = sort_time
        self.language = language
        self.section = section
        self.hidden = hidden
        self.folded = folded

    def document(self) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_integer("id", self.article_id)
        doc.add_text("title", self.title)
        doc.add_text("body", self.body)
        doc.add_integer("source_id", self.source_id)
        if self.section:
            doc.add_text("section", self.section)
        for key in language_keys(self.language):
            doc.add_text("lang", key)
        doc.add_integer("sort_time", self.sort_time)
        doc.add_boolean("hidden", self.hidden)
        doc.add_boolean("folded", self.folded)
        return doc


def make_document(article: Article, sort_time: int) -> tantivy.Document:
    """The document of one stored article (analyzed here, with the analyzer of the day)."""
    return IndexedFields(
        article.id,
        indexed_text(analyzer.analyze(article.title)),
        indexed_text(analyzer.analyze(article.text)),
        article.source_id,
        sort_time,
        language=article.language,
        section=article.section,
        hidden=article.hidden,
        folded=article.group_id is not None and article.group_id != article.id,
    ).document()


def epoch_micros(moment: datetime) -> int:
    """Microseconds since 1970 (UTC) — exact, no float rounding."""
    delta = moment.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


# --- queries -----------------------------------------------------------------------------

_Clause = tuple[tantivy.Occur, tantivy.Query]


def build_query(
    schema: tantivy.Schema,
    parsed: ParsedQuery,
    sources: Sequence[int],
) -> tantivy.Query:
    """The tantivy query of ``parsed``: what must match, what must not, and its filters.

    ``sources``: the ids ``source:`` selected. What was hidden or folded into a copy group
    when indexed is NOT left out (the SQL check sees the current state; for counting, see
    :func:`flagged_query`)."""
    must = tantivy.Occur.Must
    clauses: list[_Clause] = [(must, _atom(schema, Phrase((t,)))) for t in parsed.terms]
    clauses += [(must, _atom(schema, p)) for p in (*parsed.phrases, *parsed.prefixes)]
    clauses += [(must, _any(schema, group)) for group in parsed.alternatives]
    if not clauses:
        clauses.append((must, tantivy.Query.all_query()))
    clauses += [(tantivy.Occur.MustNot, _atom(schema, p)) for p in parsed.exclusions]
    clauses += _filters(schema, parsed.filters, sources)
    return tantivy.Query.boolean_query(clauses)


def flagged_query(
    schema: tantivy.Schema, main: tantivy.Query, parsed: ParsedQuery
) -> tantivy.Query:
    """The matches of ``main`` (built by :func:`build_query`) that the count leaves out:
    hidden, or folded into a copy group unless ``source:`` asks for copies too, as of
    indexing. Few documents carry a flag, so this query is cheap even when ``main`` matches
    much: count(main) minus count(this) is the count with ``index_time_state``."""
    flags = [(tantivy.Occur.Should, _flag(schema, "hidden"))]
    if not parsed.filters.sources:
        flags.append((tantivy.Occur.Should, _flag(schema, "folded")))
    must = tantivy.Occur.Must
    return tantivy.Query.boolean_query([(must, main), (must, tantivy.Query.boolean_query(flags))])


def _any(schema: tantivy.Schema, group: Sequence[Phrase]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, _atom(schema, p)) for p in group])


def _atom(schema: tantivy.Schema, phrase: Phrase) -> tantivy.Query:
    """One word, phrase or prefix, in the title (weighted) or the body."""
    tokens = [tok for term in phrase.terms for tok in fts5_tokens(term)]
    if not tokens:
        return tantivy.Query.empty_query()
    title = _in_field(schema, "title", tokens, phrase.prefix)
    body = _in_field(schema, "body", tokens, phrase.prefix)
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, tantivy.Query.boost_query(title, TITLE_WEIGHT)),
            (tantivy.Occur.Should, tantivy.Query.boost_query(body, BODY_WEIGHT)),
        ]
    )


def _in_field(schema: tantivy.Schema, field: str, tokens: list[str], prefix: bool) -> tantivy.Query:
    # Tokens are letters and digits only, so they are literal in a regex.
    if prefix and len(tokens) == 1:
        return tantivy.Query.regex_query(schema, field, tokens[0] + ".*")
    if prefix:
        words: list[str | tuple[int, str]] = [*tokens[:-1], tokens[-1] + ".*"]
        return tantivy.Query.regex_phrase_query(schema, field, words)
    if len(tokens) == 1:
        return tantivy.Query.term_query(schema, field, tokens[0])
    return tantivy.Query.phrase_query(schema, field, list(tokens))


def _filters(
    schema: tantivy.Schema, filters: QueryFilters, sources: Sequence[int]
) -> list[_Clause]:
    must = tantivy.Occur.Must
    out: list[_Clause] = []
    if filters.sources:
        out.append((must, tantivy.Query.term_set_query(schema, "source_id", list(sources))))
    if filters.languages:
        out.append((must, tantivy.Query.term_set_query(schema, "lang", list(filters.languages))))
    if filters.sections:
        out.append((must, tantivy.Query.term_set_query(schema, "section", list(filters.sections))))
    low = _day_micros(filters.date_from) if filters.date_from else None
    high = None
    if filters.date_to and filters.date_to < date.max:
        high = _day_micros(filters.date_to + timedelta(days=1))
    if low is not None or high is not None:
        out.append((must, _time_range(schema, low, high)))
    return out


def _time_range(schema: tantivy.Schema, low: int | None, high: int | None) -> tantivy.Query:
    return tantivy.Query.range_query(
        schema,
        "sort_time",
        tantivy.FieldType.Integer,
        low if low is not None else -(2**63),
        high if high is not None else 2**63 - 1,
        include_lower=True,
        include_upper=high is None,
    )


def _flag(schema: tantivy.Schema, field: str) -> tantivy.Query:
    return tantivy.Query.term_query(schema, field, True)


def _day_micros(day: date) -> int:
    return epoch_micros(datetime(day.year, day.month, day.day, tzinfo=UTC))
