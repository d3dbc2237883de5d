"""The search query language: user text → a frozen :class:`ParsedQuery` (pure, no I/O).

Grammar (whitespace separates items; every word goes through ``analyze`` so variants match)::

    query      := item*
    item       := group | "-" atom | filter | "AND"
    group      := atom ("OR" atom)*            at least one atom of a group must match
    atom       := word | word "*" | phrase     a word that analyzes to several terms is a phrase
    phrase     := '"' text '"' | '«' text '»' | '“' text '”'
    filter     := name ":" (value | phrase)
    name       := source | section | lang | from | to | sort   (Arabic: مصدر قسم لغة من إلى ترتيب)

Errors (``InvalidQueryError``, a subclass of ``InvalidInputError``; each names the character
position): an unclosed ``"``, ``OR`` with nothing to join, ``OR`` next to a filter or an
exclusion, an unknown Latin filter name with a value (``foo:bar``), a filter with no value,
a bad ``from:``/``to:`` date or ``from:`` after ``to:``, a bad ``lang:`` code or ``sort:`` value,
``from:``/``to:``/``sort:`` given twice, a negated filter, a prefix shorter than two letters,
and a query longer than ``MAX_QUERY_LENGTH``.

Handled leniently (what a reader typing ordinary text expects): punctuation, brackets and a
lone ``-`` or ``*`` are ignored; ``AND`` is accepted and ignored (every item is required
anyway); lowercase ``or``/``and`` are words; ``word:`` with nothing after the colon ("Breaking:",
"عاجل:"), an Arabic word before a colon and ``https://…`` are plain words; ``*`` inside a
phrase is text; an unpaired « or “ (common in pasted Arabic titles) is punctuation; items
after the first ``MAX_ITEMS`` are dropped with a warning; words the analyzer drops are ignored;
``section:`` takes a section key or its Arabic name (رياضة → sports); an unknown one is ignored
with a warning. Dates are whole UTC days, ``to:`` included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

from khabar.analyze.section_keys import section_key
from khabar.arabic.normalize import normalize
from khabar.errors import InvalidInputError
from khabar.search.analyzer import analyze

__all__ = [
    "MAX_ITEMS",
    "MAX_QUERY_LENGTH",
    "SORTS",
    "InvalidQueryError",
    "ParsedQuery",
    "Phrase",
    "QueryFilters",
    "QueryNote",
    "Sort",
    "parse_query",
    "source_matches",
]

Sort = Literal["relevance", "date"]
SORTS: tuple[Sort, ...] = get_args(Sort)
MAX_QUERY_LENGTH = 500
MAX_ITEMS = 32
MIN_PREFIX = 2

# --- values ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Phrase:
    """Analyzed terms that must appear in this order; ``prefix`` marks the last one a prefix."""

    terms: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class QueryFilters:
    """Filters from the query text. Several ``source:``/``lang:`` values mean "any of them"."""

    sources: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()  # section keys (see khabar.analyze.section_keys)
    languages: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None  # inclusive

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(
            self.sources or self.sections or self.languages or self.date_from or self.date_to
        )


@dataclass(frozen=True, slots=True)
class QueryNote:
    """Something the reader should know about how the query was read (not an error)."""

    code: str
    message_en: str
    message_ar: str

    def __str__(self) -> str:
        return self.message_en


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What a query asks for. Every clause holds analyzed terms, never user syntax."""

    text: str
    terms: tuple[str, ...] = ()  # required single words
    phrases: tuple[Phrase, ...] = ()  # required phrases
    prefixes: tuple[Phrase, ...] = ()  # required prefixes (``word*``)
    alternatives: tuple[tuple[Phrase, ...], ...] = ()  # each group: at least one matches
    exclusions: tuple[Phrase, ...] = ()  # none of these may match
    filters: QueryFilters = field(default_factory=QueryFilters)
    sort: Sort = "relevance"
    warnings: tuple[QueryNote, ...] = ()

    @property
    def has_match(self) -> bool:
        """Whether the query names anything that must match (not only exclusions/filters)."""
        return bool(self.terms or self.phrases or self.prefixes or self.alternatives)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for and nothing to filter on: the result is an empty page."""
        return not self.has_match and not self.filters.active

    def highlight_terms(self) -> set[str]:
        """Exact terms a snippet should mark (prefixes are matched separately)."""
        found = set(self.terms)
        for phrase in (*self.phrases, *(p for g in self.alternatives for p in g)):
            found.update(phrase.terms[:-1] if phrase.prefix else phrase.terms)
        for phrase in self.prefixes:
            found.update(phrase.terms[:-1])
        return found

    def highlight_prefixes(self) -> tuple[str, ...]:
        every = (*self.prefixes, *(p for g in self.alternatives for p in g))
        return tuple(p.terms[-1] for p in every if p.prefix)


# --- errors ------------------------------------------------------------------------------

# code → (English, Arabic); {pos} is the 1-based character position, {detail} what was seen.
_MESSAGES: dict[str, tuple[str, str]] = {
    "unclosed_quote": (
        "Unclosed quote at character {pos}: close the phrase with {detail}.",
        "علامة تنصيص غير مغلقة عند الحرف {pos}: أغلق العبارة بـ {detail}.",
    ),
    "lone_or": (
        "OR at character {pos} needs a word on each side.",
        "كلمة OR عند الحرف {pos} تحتاج إلى كلمة قبلها وكلمة بعدها.",
    ),
    "or_operand": (
        "OR at character {pos} can only join words, phrases or prefixes, not {detail}.",
        "كلمة OR عند الحرف {pos} تربط كلمات أو عبارات فقط، لا {detail}.",
    ),
    "unknown_filter": (
        "Unknown filter {detail}: at character {pos}; use source:, section:, lang:, from:, "
        'to: or sort: (put text with a colon in quotes: "…").',
        "مرشّح غير معروف {detail}: عند الحرف {pos}؛ المرشّحات هي source: و section: و lang: "
        'و from: و to: و sort: (ضع النص الذي فيه نقطتان بين علامتي تنصيص: "…").',
    ),
    "missing_value": (
        "The filter {detail}: at character {pos} needs a value.",
        "المرشّح {detail}: عند الحرف {pos} يحتاج إلى قيمة.",
    ),
    "bad_date": (
        "Bad date {detail} at character {pos}: write it as YYYY-MM-DD, e.g. 2024-03-01.",
        "تاريخ غير صالح {detail} عند الحرف {pos}: اكتبه بالشكل YYYY-MM-DD مثل 2024-03-01.",
    ),
    "date_range": (
        "from: ({detail}) at character {pos} is after to: — swap the dates.",
        "تاريخ from: ({detail}) عند الحرف {pos} بعد تاريخ to: — بدّل التاريخين.",
    ),
    "bad_language": (
        "Bad language code {detail} at character {pos}: use a code such as ar, en, fr or tr.",
        "رمز لغة غير صالح {detail} عند الحرف {pos}: استخدم رمزاً مثل ar أو en أو fr أو tr.",
    ),
    "bad_sort": (
        "Bad sort {detail} at character {pos}: use relevance or date.",
        "ترتيب غير صالح {detail} عند الحرف {pos}: استخدم relevance أو date.",
    ),
    "bad_sort_param": (
        "Bad sort {detail}: use relevance or date.",
        "ترتيب غير صالح {detail}: استخدم relevance أو date.",
    ),
    "duplicate_filter": (
        "The filter {detail}: at character {pos} is given twice.",
        "المرشّح {detail}: عند الحرف {pos} مكرّر.",
    ),
    "negated_filter": (
        "A filter cannot be excluded with - (character {pos}).",
        "لا يمكن استبعاد مرشّح بعلامة - (الحرف {pos}).",
    ),
    "short_prefix": (
        "The prefix {detail}* at character {pos} is too short: give at least 2 letters.",
        "البادئة {detail}* عند الحرف {pos} قصيرة جداً: اكتب حرفين على الأقل.",
    ),
    "too_long": (
        "The query is too long ({detail} characters; at most 500).",
        "نص البحث طويل جداً ({detail} حرفاً؛ الحد 500).",
    ),
    "too_slow": (
        "The search took too long: add words or filters to narrow it.",
        "استغرق البحث وقتاً طويلاً: أضف كلمات أو مرشّحات لتضييقه.",
    ),
}


class InvalidQueryError(InvalidInputError):
    """The query cannot be read. ``code``/``position`` say why and where (1-based)."""

    def __init__(self, code: str, position: int = 0, detail: str = "") -> None:
        english, arabic = _MESSAGES[code]
        shown = detail if len(detail) <= 40 else detail[:39] + "…"
        self.code = code
        self.position = position
        self.message_en = english.format(pos=position, detail=shown)
        self.message_ar = arabic.format(pos=position, detail=shown)
        super().__init__(f"invalid search query: {self.message_en}")


# --- scanning ----------------------------------------------------------------------------

_QUOTES = {'"': '"', "«": "»", "“": "”"}
_FILTER_NAME = re.compile(r"([^\W\d_]+):")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

FilterName = Literal["source", "section", "lang", "from", "to", "sort"]
# Names as typed (normalized with the search profile) → filter.
FILTER_NAMES: dict[str, FilterName] = {
    "source": "source",
    "section": "section",
    "lang": "lang",
    "from": "from",
    "to": "to",
    "sort": "sort",
    normalize("مصدر"): "source",
    normalize("قسم"): "section",
    normalize("لغة"): "lang",
    normalize("من"): "from",
    normalize("إلى"): "to",
    normalize("ترتيب"): "sort",
}
SORT_NAMES: dict[str, Sort] = {
    "relevance": "relevance",
    "date": "date",
    "newest": "date",
    normalize("صلة"): "relevance",
    normalize("الأحدث"): "date",
}


@dataclass(frozen=True, slots=True)
class _Atom:
    pos: int
    text: str
    quoted: bool = False
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True)
class _Filter:
    pos: int
    name: FilterName
    value: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class _Or:
    pos: int


_Token = _Atom | _Filter | _Or


def _tokens(text: str) -> Iterator[_Token]:
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-"
        if negated:
            i += 1
            if i >= n or text[i].isspace():
                continue  # a lone dash is punctuation
        token, i = _token_at(text, i, negated)
        if token is not None:
            yield token


def _token_at(text: str, i: int, negated: bool) -> tuple[_Token | None, int]:
    if text[i] in _QUOTES:
        quoted = _quoted(text, i)
        if quoted is None:
            return None, i + 1  # an unpaired « or “ is punctuation of pasted text
        return _Atom(i + 1, quoted[0], quoted=True, negated=negated), quoted[1]
    found = _FILTER_NAME.match(text, i)
    if found:
        token, end = _filter_at(text, i, found, negated)
        if token is not None:
            return token, end
    end = i
    while end < len(text) and not text[end].isspace() and text[end] not in _QUOTES:
        end += 1
    word = text[i:end]
    if word == "OR" and not negated:
        return _Or(i + 1), end
    if word == "AND" and not negated:
        return None, end
    stem = word.rstrip("*")
    return _Atom(i + 1, stem, prefix=stem != word, negated=negated), end


def _quoted(text: str, i: int) -> tuple[str, int] | None:
    """The text between the quote at ``i`` and its closing mark, and the index after it.

    An unclosed ``"`` is an error (typed on purpose); an unclosed « or “ gives ``None``.
    """
    close = text.find(_QUOTES[text[i]], i + 1)
    if close < 0 and text[i] == '"':
        raise InvalidQueryError("unclosed_quote", i + 1, '"')
    if close < 0:
        return None
    return text[i + 1 : close], close + 1


def _filter_at(
    text: str, i: int, found: re.Match[str], negated: bool
) -> tuple[_Filter | None, int]:
    raw_name = found.group(1)
    start = found.end()
    value_end = start
    while value_end < len(text) and not text[value_end].isspace():
        value_end += 1
    value = text[start:value_end]
    name = FILTER_NAMES.get(normalize(raw_name))
    if name is None:
        if raw_name.isascii() and value and not value.startswith("//"):
            raise InvalidQueryError("unknown_filter", i + 1, raw_name)
        return None, i  # "Breaking:", "عاجل:", "https://…" are words
    if negated:
        raise InvalidQueryError("negated_filter", i)
    quoted = _quoted(text, start) if start < len(text) and text[start] in _QUOTES else None
    if quoted is not None:
        value, value_end = quoted
    elif not value and not raw_name.isascii():
        return None, i  # "من:" ending a phrase of ordinary Arabic text is a word
    if not value.strip(" «»“”"):
        raise InvalidQueryError("missing_value", i + 1, raw_name)
    return _Filter(i + 1, name, value.strip(" «»“”")), value_end


# --- parsing -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Builder:
    text: str
    sort: Sort | None
    groups: list[list[_Atom]] = field(default_factory=list)
    exclusions: list[_Atom] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    dates: dict[str, tuple[date, int]] = field(default_factory=dict)
    query_sort: Sort | None = None
    notes: list[QueryNote] = field(default_factory=list)

    def add(self, tokens: list[_Token]) -> None:
        for index, token in enumerate(tokens):
            if isinstance(token, _Or):
                _check_or(tokens, index)
            elif isinstance(token, _Filter):
                self.add_filter(token)
            elif token.negated:
                self.exclusions.append(token)
            elif index > 0 and isinstance(tokens[index - 1], _Or):
                self.groups[-1].append(token)
            else:
                self.groups.append([token])

    def add_filter(self, f: _Filter) -> None:
        if f.name == "source":
            self.sources.append(f.value)
        elif f.name == "section":
            self.sections.append(f.value)
        elif f.name == "lang":
            self.languages.append(_language(f))
        elif f.name == "sort":
            if self.query_sort is not None:
                raise InvalidQueryError("duplicate_filter", f.pos, "sort")
            self.query_sort = _sort(f.value, f.pos)
        else:
            if f.name in self.dates:
                raise InvalidQueryError("duplicate_filter", f.pos, f.name)
            self.dates[f.name] = (_date(f), f.pos)

    def build(self) -> ParsedQuery:
        terms: list[str] = []
        phrases: list[Phrase] = []
        prefixes: list[Phrase] = []
        alternatives: list[tuple[Phrase, ...]] = []
        for group in self._limited(self.groups):
            options = tuple(dict.fromkeys(p for a in group if (p := _phrase(a)) is not None))
            if len(options) > 1:
                alternatives.append(options)
            elif options and options[0].prefix:
                prefixes.append(options[0])
            elif options and len(options[0].terms) > 1:
                phrases.append(options[0])
            elif options:
                terms.append(options[0].terms[0])
        singles = self._limited([[e] for e in self.exclusions])
        excluded = [p for a in singles if (p := _phrase(a[0])) is not None]
        return ParsedQuery(
            text=self.text,
            terms=tuple(dict.fromkeys(terms)),
            phrases=tuple(dict.fromkeys(phrases)),
            prefixes=tuple(dict.fromkeys(prefixes)),
            alternatives=tuple(dict.fromkeys(alternatives)),
            exclusions=tuple(dict.fromkeys(excluded)),
            filters=self._filters(),
            sort=self.sort or self.query_sort or "relevance",
            warnings=tuple(dict.fromkeys(self.notes)),
        )

    def _limited(self, groups: list[list[_Atom]]) -> list[list[_Atom]]:
        if len(groups) <= MAX_ITEMS:
            return groups
        self.notes.append(
            QueryNote(
                "too_many_items",
                f"Only the first {MAX_ITEMS} words or phrases were used.",
                f"استُخدمت أول {MAX_ITEMS} كلمة أو عبارة فقط.",
            )
        )
        return groups[:MAX_ITEMS]

    def _filters(self) -> QueryFilters:
        date_from = self.dates.get("from")
        date_to = self.dates.get("to")
        if date_from and date_to and date_from[0] > date_to[0]:
            raise InvalidQueryError("date_range", date_from[1], date_from[0].isoformat())
        sections = [section_key(value) for value in self.sections]
        if any(key is None for key in sections):
            self.notes.append(SECTION_NOTE)
        return QueryFilters(
            sources=tuple(dict.fromkeys(self.sources)),
            sections=tuple(dict.fromkeys(key for key in sections if key is not None)),
            languages=tuple(dict.fromkeys(self.languages)),
            date_from=date_from[0] if date_from else None,
            date_to=date_to[0] if date_to else None,
        )


SECTION_NOTE = QueryNote(
    "section_unknown",
    "Unknown section ignored; sections are politics, economy, sports, culture, technology, "
    "health, society, other (or their Arabic names).",
    "قسم غير معروف تم تجاهله؛ الأقسام: سياسة، اقتصاد، رياضة، ثقافة وفن، تكنولوجيا وعلوم، صحة، "
    "مجتمع ومنوعات، غير مصنف.",
)


def _check_or(tokens: list[_Token], index: int) -> None:
    here = tokens[index]
    for neighbour in (tokens[index - 1] if index > 0 else None, _at(tokens, index + 1)):
        if neighbour is None or isinstance(neighbour, _Or):
            raise InvalidQueryError("lone_or", here.pos)
        if isinstance(neighbour, _Filter):
            raise InvalidQueryError("or_operand", here.pos, f"{neighbour.name}:")
        if neighbour.negated:
            raise InvalidQueryError("or_operand", here.pos, "-")


def _at(tokens: list[_Token], index: int) -> _Token | None:
    return tokens[index] if index < len(tokens) else None


def _phrase(atom: _Atom) -> Phrase | None:
    """The analyzed form of one atom; ``None`` when the analyzer keeps nothing of it."""
    terms = tuple(analyze(atom.text))
    if atom.prefix and not atom.quoted:
        if not atom.text.strip("*"):
            return None  # a lone "*"
        if not terms or len(terms[-1]) < MIN_PREFIX:
            raise InvalidQueryError("short_prefix", atom.pos, atom.text)
        return Phrase(terms, prefix=True)
    return Phrase(terms) if terms else None


def _language(f: _Filter) -> str:
    code = f.value.lower()
    if not _LANGUAGE.fullmatch(code):
        raise InvalidQueryError("bad_language", f.pos, f.value)
    return code


def _sort(value: str, pos: int) -> Sort:
    found = SORT_NAMES.get(normalize(value))
    if found is None:
        raise InvalidQueryError("bad_sort" if pos else "bad_sort_param", pos, value)
    return found


def _date(f: _Filter) -> date:
    found = _DATE.fullmatch(f.value.translate(_DIGITS))
    try:
        if found is None:
            raise ValueError(f.value)
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise InvalidQueryError("bad_date", f.pos, f.value) from None


# --- public functions --------------------------------------------------------------------


def parse_query(text: str, *, sort: str | None = None) -> ParsedQuery:
    """Read a user query. ``sort`` (a separate parameter) overrides ``sort:`` in the text.

    Raises ``InvalidQueryError`` (an ``InvalidInputError``) on bad syntax; see the module
    docstring for what is an error and what is read leniently.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidQueryError("too_long", 0, str(len(text)))
    chosen = _sort(sort, 0) if sort is not None else None
    builder = _Builder(text, chosen)
    builder.add(list(_tokens(text)))
    return builder.build()


def source_matches(fragment: str, source_id: int, names: Iterable[str | None]) -> bool:
    """Whether ``source:fragment`` selects a source: its id, or a piece of a name or URL.

    Names are compared after search normalization, so ``الجزيره`` selects ``الجزيرة``.
    """
    wanted = fragment.strip()
    if wanted.isdigit():
        return int(wanted) == source_id
    folded = normalize(wanted)
    return bool(folded) and any(folded in normalize(n) for n in names if n)
