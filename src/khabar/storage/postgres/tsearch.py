"""The analyzer's terms as a ``tsvector``, and a parsed query as a ``tsquery`` (pure, no I/O).

PostgreSQL never parses text here: no text search configuration, no stemming, no stopwords.
Khabar's analyzer (``khabar.search.analyze``) makes the terms; this module writes them as
``tsvector``/``tsquery`` *literals* in which every lexeme is quoted, so the only operators
in a query are the ones written here (``&``, ``|``, ``!``, ``<->``, ``:*``) — user text never
becomes tsquery syntax.

Parity with SQLite: the FTS5 index re-splits each analyzer term with its ``unicode61``
tokenizer (``3.5`` becomes the phrase ``3 5``), and a quoted query term is split the same
way. :func:`index_tokens` does that split here, so both backends hold the same token stream
with the same positions; an analyzer term that splits into nothing matches nothing, as in
FTS5. Title tokens get weight A, body tokens weight D, and the body starts one position
after a gap, so a phrase never spans title and body (FTS5 matches a phrase inside one column).

Known differences, all in text a news reader does not produce: PostgreSQL keeps at most 256
positions per lexeme and clamps positions at 16,383, so phrases past the 16,383rd word of an
article or past the 256th repeat of a word are missed; lexemes longer than 2,046 bytes are
cut to that length; an article's distinct lexemes stop at ``MAX_LEXEME_BYTES`` in total;
and a few hundred exotic code points (lone combining marks, private use and unassigned
code points) are letters to SQLite's Unicode 6.1 tables and separators here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from khabar.search.query import ParsedQuery, Phrase

__all__ = [
    "MAX_LEXEME_BYTES",
    "MAX_POSITION",
    "TsQuery",
    "index_tokens",
    "quote_lexeme",
    "ts_query",
    "tsvector_literal",
]

MAX_POSITION: Final = 16_383  # PostgreSQL clamps larger positions to this
MAX_LEXEME_LENGTH: Final = 2_046  # bytes; PostgreSQL refuses longer lexemes
MAX_LEXEME_BYTES: Final = 900_000  # distinct lexeme text per article (a tsvector is < 1 MB)
MAX_POSITIONS_PER_LEXEME: Final = 256  # PostgreSQL keeps only the first 256
_TOKEN: Final = re.compile(r"[^\W_]+")  # letters and digits of any script (FTS5 unicode61)


@functools.lru_cache(maxsize=1 << 16)
def index_tokens(term: str) -> tuple[str, ...]:
    """The tokens FTS5 ``unicode61`` makes of one analyzer term (letters and digits)."""
    return tuple(_cut(t) for t in _TOKEN.findall(term))


def _cut(token: str) -> str:
    data = token.encode("utf-8")
    if len(data) <= MAX_LEXEME_LENGTH:
        return token
    return data[:MAX_LEXEME_LENGTH].decode("utf-8", errors="ignore")


def quote_lexeme(lexeme: str) -> str:
    """A lexeme as a quoted tsvector/tsquery literal (``'`` doubled, ``\\`` escaped)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _stream(terms: Iterable[str]) -> list[str]:
    return [token for term in terms for token in index_tokens(term)]


def tsvector_literal(title_terms: Sequence[str], body_terms: Sequence[str]) -> str:
    """The ``tsvector`` literal of one article: title tokens weight A, body tokens D."""
    title, body = _stream(title_terms), _stream(body_terms)
    numbered = [(i, t, "A") for i, t in enumerate(title, 1)]
    # One position left empty between title and body: no phrase spans the two.
    numbered += [(i, t, "") for i, t in enumerate(body, len(title) + 2)]
    positions = _positions(numbered)
    return " ".join(f"{quote_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def _positions(numbered: list[tuple[int, str, str]]) -> dict[str, list[str]]:
    """Token → its positions with weight labels, within PostgreSQL's limits."""
    positions: dict[str, list[str]] = {}
    size = 0
    for position, token, weight in numbered:
        found = positions.get(token)
        if found is None:
            cost = len(token.encode("utf-8"))
            if size + cost > MAX_LEXEME_BYTES:
                continue  # the tsvector is full: no new lexemes
            size += cost
            found = positions[token] = []
        if len(found) < MAX_POSITIONS_PER_LEXEME:
            found.append(f"{min(position, MAX_POSITION)}{weight}")
    return positions


# --- queries -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TsQuery:
    """What a parsed query asks of the index.

    ``match``: the tsquery every hit matches (exclusions folded in), ``None`` when the query
    names no words. ``exclude``: the tsquery no hit may match, for a query of filters and
    exclusions only. ``nothing``: the words can never match (a term the index cannot hold).
    """

    match: str | None = None
    exclude: str | None = None
    nothing: bool = False


def ts_query(parsed: ParsedQuery) -> TsQuery:
    """Translate ``parsed`` (the way ``fts5_match`` does for SQLite)."""
    required: list[str | None] = [_phrase(Phrase((t,))) for t in parsed.terms]
    required += [_phrase(p) for p in (*parsed.phrases, *parsed.prefixes)]
    required += [_any_of(group) for group in parsed.alternatives]
    excluded = _any_of(parsed.exclusions)
    if not required:
        return TsQuery(exclude=excluded)
    if any(part is None for part in required):
        return TsQuery(nothing=True)
    match = " & ".join(f"({part})" for part in required if part is not None)
    if excluded is not None:
        match = f"({match}) & !({excluded})"
    return TsQuery(match=match)


def _any_of(phrases: Sequence[Phrase]) -> str | None:
    """Phrases joined with OR; ``None`` when none of them can match."""
    parts = [part for part in map(_phrase, phrases) if part is not None]
    return " | ".join(f"({part})" for part in parts) if parts else None


def _phrase(phrase: Phrase) -> str | None:
    """One phrase as a tsquery; ``None`` when it can never match (as FTS5 does)."""
    if phrase.prefix and not index_tokens(phrase.terms[-1]):
        return None  # FTS5: a prefix whose last string has no token matches nothing
    tokens = _stream(phrase.terms)
    if not tokens:
        return None
    quoted = [quote_lexeme(t) for t in tokens]
    if phrase.prefix:
        quoted[-1] += ":*"
    return " <-> ".join(quoted)
