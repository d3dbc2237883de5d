"""The analyzer's terms as tsvector/tsquery literals (pure; PostgreSQL runs them in
tests/contract/test_search_parity.py)."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from khabar.search import analyze
from khabar.search.query import parse_query
from khabar.storage.postgres.tsearch import (
    MAX_POSITION,
    TsQuery,
    index_tokens,
    quote_lexeme,
    ts_query,
    tsvector_literal,
)


def test_tokens_are_what_fts5_unicode61_makes_of_a_term() -> None:
    assert index_tokens("نفط") == ("نفط",)
    assert index_tokens("3.5") == ("3", "5")
    assert index_tokens("1,5") == ("1", "5")
    assert index_tokens("covid19") == ("covid19",)


def test_a_token_too_long_for_postgres_is_cut_on_a_character_boundary() -> None:
    (token,) = index_tokens("ب" * 5000)
    assert len(token.encode("utf-8")) <= 2046 and set(token) == {"ب"}


def test_tsvector_weights_title_a_body_d_with_a_gap_between() -> None:
    literal = tsvector_literal(["نفط", "3.5"], ["نفط", "سعر"])
    assert literal == "'نفط':1A,5 '3':2A '5':3A 'سعر':6"


def test_tsvector_positions_are_clamped_and_capped_per_lexeme() -> None:
    words = [f"w{i}" for i in range(MAX_POSITION)]
    literal = tsvector_literal([], ["في"] * 300 + words + ["z"])
    positions = dict(part.split(":", 1) for part in literal.split(" "))
    assert len(positions["'في'"].split(",")) == 256
    assert positions["'z'"] == str(MAX_POSITION)


def test_lexemes_are_quoted_so_no_text_is_syntax() -> None:
    assert quote_lexeme("a'b") == "'a''b'"
    assert quote_lexeme("a\\b") == "'a\\\\b'"
    assert quote_lexeme("x & !y:*") == "'x & !y:*'"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("النفط الخام", TsQuery(match="('نفط') & ('خام')")),
        ('"النفط الخام"', TsQuery(match="('نفط' <-> 'خام')")),
        ("pri*", TsQuery(match="('pri':*)")),
        ("3.5*", TsQuery(match="('3' <-> '5':*)")),
        ("تونس OR Cairo", TsQuery(match="(('تونس') | ('cairo'))")),
        ("النفط -مصر", TsQuery(match="(('نفط')) & !(('مصر'))")),
        ("-مصر lang:ar", TsQuery(exclude="('مصر')")),
        ("lang:ar", TsQuery()),
    ],
)
def test_query_translation(query: str, expected: TsQuery) -> None:
    assert ts_query(parse_query(query)) == expected


def test_a_term_with_no_token_matches_nothing_as_in_fts5() -> None:
    # "﯂" (U+FBC2) is kept by the analyzer but is no letter to FTS5: the phrase is empty.
    (term,) = analyze("﯂")
    assert index_tokens(term) == ()
    assert ts_query(parse_query("النفط ﯂")) == TsQuery(nothing=True)
    assert ts_query(parse_query("النفط -﯂")) == TsQuery(match="('نفط')")
    assert ts_query(parse_query("النفط OR ﯂")) == TsQuery(match="(('نفط'))")


# Arabic blocks, Latin and Latin-1 (with Latin Extended), where every letter and digit must
# split the same way on both backends.
RANGES = [(0x20, 0x250), (0x600, 0x700), (0x750, 0x780), (0x8A0, 0x900), (0xFB50, 0xFF00)]


def test_letters_and_digits_split_as_in_sqlite() -> None:
    """Compare with the real FTS5 tokenizer on every term the analyzer makes of each code point.

    Disagreements are allowed only at code points that are not letters or digits (lone
    combining accents, unassigned code points, ornaments), where SQLite's Unicode 6.1 tables
    and Python's differ.
    """
    terms: dict[str, int] = {}
    for start, end in RANGES:
        for cp in range(start, end):
            for context in ("q%sq", "ب%sب"):
                for term in analyze(context % chr(cp)):
                    terms.setdefault(term, cp)
    fts5 = _fts5_tokens(list(terms))
    differ = {terms[t] for t in terms if fts5[t] != index_tokens(t)}
    letters = {cp for cp in differ if unicodedata.category(chr(cp))[0] in "LN"}
    assert not letters, [hex(cp) for cp in sorted(letters)]
    assert len(differ) < 100


def _fts5_tokens(terms: list[str]) -> dict[str, tuple[str, ...]]:
    conn = sqlite3.connect(":memory:")
    # The tokenizer of the SQLite backend's article_terms table.
    conn.execute("CREATE VIRTUAL TABLE t USING fts5 (x, tokenize='unicode61 remove_diacritics 0')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
    conn.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", enumerate(terms, 1))
    found: dict[str, list[str]] = {t: [] for t in terms}
    for doc, token in conn.execute("SELECT doc, term FROM v ORDER BY doc, col, offset"):
        found[terms[doc - 1]].append(token)
    conn.close()
    return {t: tuple(tokens) for t, tokens in found.items()}
