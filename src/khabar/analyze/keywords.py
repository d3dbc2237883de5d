"""Keywords: the 1–3 word phrases that say what an article is about (TF-IDF over light stems).

Candidates are runs of 1–3 words that cross no punctuation (، ؛ ؟ . : quotes, brackets, a line
end, a number — the break rules of :mod:`khabar.analyze.entity_text`), contain no stopword
(:mod:`khabar.arabic.stopwords`, function words and news-reporting verbs), no word shorter than
two letters, and are not a section or menu word (``data/extract/markers.toml`` sections and
Khabar's own section names). A phrase's key is its words' stems (the search analyzer's terms),
so ``الاقتصاد المصري`` and ``والاقتصاد المصري`` are one phrase.

Score = weighted frequency × phrase IDF, where a title occurrence counts :data:`TITLE_WEIGHT`
times, a phrase's IDF is the mean IDF of its words (from the shipped document-frequency table,
``data/keywords/df.tsv.gz``: stems of ANT v2.1, Apache-2.0) times ``len ** LENGTH_EXPONENT``,
and a multi-word phrase must be seen :data:`MIN_PHRASE_COUNT` times (title included). Words
that are imperfect verbs (يدخل، يكشف) or carry an object pronoun (تمويلها) and name particles
(عبد، بن) are not keyword words; nor is a تفعل word whose يفعل twin is common in the
document-frequency table (a headline verb: تعلن، تطرد; :data:`VERB_TWIN_SHARE`). The best
phrases are taken in score order, skipping a phrase that shares a word with one already
taken, so "كيم جونغ أون" and "كيم" are not both listed.
Before that, a phrase *absorbs* the shorter phrases it contains when it accounts for at least
:data:`ABSORB_SHARE` of their occurrences (``الخلية الإرهابية`` seen 4 times, ``الخلية`` 5
times): the longer phrase takes the better of the two scores and the shorter one is dropped, so
a name or a term is listed whole rather than as its most telling word. On the hand-annotated
set ``data/eval/keywords`` these two rules and the display rule below took exact-match
precision@5 from 0.341 to 0.406 and recall@10 from 0.303 to 0.327 (bench/keywords.py).

The display form is the phrase as the text writes it most often, without a leading conjunction
or the ب/ل/ك before ``ال``; another leading ب/ل/ك/و/ف is dropped only when the article also
writes the word without it (بانفجار → انفجار, but بيكر and برينان stay whole).
"""

from __future__ import annotations

import functools
import gzip
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

from khabar.analyze.entity_text import Token, tokens_of
from khabar.analyze.section_keys import SECTION_NAMES
from khabar.arabic.normalize import normalize
from khabar.arabic.stopwords import is_stopword
from khabar.extract.rules import load_rules
from khabar.search.analyzer import analyze, term

__all__ = [
    "DocFrequencies",
    "Keyword",
    "count_document_frequencies",
    "extract_keywords",
    "shipped_frequencies",
]

TITLE_WEIGHT: Final = 3
MIN_PHRASE_COUNT: Final = 2
LENGTH_EXPONENT: Final = 0.5
MAX_WORDS: Final = 3
MIN_STEM_LETTERS: Final = 3
ABSORB_SHARE: Final = 0.5
VERB_TWIN_SHARE: Final = 0.25
VERB_TWIN_MIN_DF: Final = 10
DF_FILE: Final = "df.tsv.gz"


@dataclass(frozen=True, slots=True)
class Keyword:
    """One keyword of an article: as written, its stem key, and its score."""

    phrase: str
    key: str
    score: float


@dataclass(frozen=True, slots=True, eq=False)
class DocFrequencies:
    """In how many documents of a corpus each stem appears."""

    n_docs: int
    table: Mapping[str, int]

    def idf(self, stem: str) -> float:
        """Smoothed inverse document frequency (a stem never seen counts as seen once)."""
        return math.log((self.n_docs + 1) / (self.table.get(stem, 1) + 1)) + 1.0

    def df(self, stem: str) -> int:
        return self.table.get(stem, 0)

    def to_text(self, note: str = "") -> str:
        head = f"# n_docs={self.n_docs}" + (f" {note}" if note else "")
        rows = (f"{stem}\t{df}" for stem, df in sorted(self.table.items()))
        return "\n".join([head, *rows]) + "\n"

    @classmethod
    def from_text(cls, text: str) -> DocFrequencies:
        lines = text.splitlines()
        if not lines or not lines[0].startswith("# n_docs="):
            raise ValueError("a document-frequency table starts with '# n_docs=N'")
        n_docs = int(lines[0].split()[1].removeprefix("n_docs="))
        table = {}
        for line in lines[1:]:
            stem, df = line.split("\t")
            table[stem] = int(df)
        return cls(n_docs, table)

    @classmethod
    def load(cls, path: Path) -> DocFrequencies:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls.from_text(fh.read())


def count_document_frequencies(texts: Iterable[str], min_df: int = 2) -> DocFrequencies:
    """Document frequencies of the analyzer's stems over ``texts`` (stems below ``min_df``
    dropped: an unknown stem counts as seen once)."""
    counts: Counter[str] = Counter()
    n_docs = 0
    for text in texts:
        n_docs += 1
        counts.update(set(analyze(text)))
    return DocFrequencies(n_docs, {s: df for s, df in counts.items() if df >= min_df})


@functools.cache
def shipped_frequencies() -> DocFrequencies:
    """The shipped table (``khabar/data/keywords/df.tsv.gz``)."""
    resource = resources.files("khabar").joinpath("data", "keywords", DF_FILE)
    return DocFrequencies.from_text(gzip.decompress(resource.read_bytes()).decode("utf-8"))


@functools.cache
def _menu_keys() -> frozenset[tuple[str, ...]]:
    """Stem tuples of section and menu words: never a keyword."""
    phrases = [*load_rules().sections, *SECTION_NAMES.values()]
    return frozenset(key for p in phrases if (key := tuple(analyze(p))))


@functools.lru_cache(maxsize=200_000)
def _stem(surface: str) -> str:
    """The search analyzer's term of one word ("" when it can never be in a keyword)."""
    normalized = normalize(surface, "stem")
    if len(normalized) < 2 or is_stopword(normalized):
        return ""
    stem = term(normalized)
    return stem if len(stem) >= MIN_STEM_LETTERS or not stem.isalpha() else ""


def _display_word(token: Token, written: frozenset[str]) -> str:
    """The first word of a phrase as shown: no conjunction, no ب/ل/ك (one the stemmer also
    strips and the article also writes without it: بانفجار → انفجار, but not بغداد, بيكر).
    A ب/ل/ك before ال goes when the rest is a word the corpus knows or the article writes:
    بالمنزل → المنزل, but the name بالوتا stays whole (not الوتا)."""
    if len(token.forms) > 1 and (token.cuts[1] < 0 or token.forms[1].startswith("ال")):
        shown = token.display(1)
        if token.cuts[1] < 0 or shown in written or _known_word(shown):
            return shown
    surface = token.surface
    for _ in range(2):  # وبانفجار → بانفجار → انفجار
        clitic = surface[:1] in _CLITIC_LETTERS and len(surface) > 3
        if clitic and _stem(surface[1:]) == _stem(surface) and surface[1:] in written:
            surface = surface[1:]
    return surface


KNOWN_WORD_DF: Final = 20
"""A stem in at least this many documents of the shipped table is a word, not a rare name."""


def _known_word(word: str) -> bool:
    return shipped_frequencies().df(_stem(word)) >= KNOWN_WORD_DF


_NOT_ALONE: Final = frozenset({"عبد", "بن", "ابن", "ابو", "ال", "ام"})
"""Name particles: part of a name, never a keyword by themselves."""
_PRONOUN_SUFFIXES: Final = ("ها", "هم", "هما", "كم", "هن")
_CLITIC_LETTERS: Final = frozenset("وفبلك")


@dataclass(slots=True)
class _Candidate:
    weight: float = 0.0
    count: int = 0
    places: list[tuple[int, int]] | None = None
    """(token list, start) of each occurrence: 0 = title, 1 = text."""


def _keyword_stem(token: Token) -> str:
    """The stem of a word that may be part of a keyword, or "" (stopwords, particles, verbs in
    the imperfect يفعل, words with an object pronoun: تمويلها)."""
    stem = _stem(token.surface)
    if not stem or stem in _NOT_ALONE:
        return ""
    word = token.norm
    if len(word) >= 5 and word[0] == "و" and len(token.forms) > 1:
        word = token.forms[1]  # وتثير، ويعلن: the verb tests read the word after و
    if len(word) >= 4 and ((word[0] == "ي" and word[1] not in "وا") or word.startswith("تت")):
        return ""  # يدخل، يكشف، تتنافس؛ not يوفنتوس، ياسر
    if len(word) >= 5 and word.endswith(_PRONOUN_SUFFIXES):
        return ""
    if word[0] == "ت" and len(word) >= 3 and _imperfect_t(word):
        return ""  # تعلن، تطرد، تقر (headline verbs); not تونس، تركيا، تقرير
    return stem


@functools.lru_cache(maxsize=50_000)
def _imperfect_t(word: str) -> bool:
    """True when ``word`` (تفعل) is a verb by corpus evidence: its ي twin (يفعل) is common
    next to it in the document-frequency table (تطرد 56 / يطرد 32, تعلن 437 / يعلن 582, but
    تونس 579 / يونس 98, تقرير 1539 / يقرير 0)."""
    frequencies = shipped_frequencies()
    own, twin = _stem(word), _stem("ي" + word[1:])
    if not own or not twin:
        return False
    twin_df = frequencies.df(twin)
    return twin_df >= VERB_TWIN_MIN_DF and twin_df >= VERB_TWIN_SHARE * frequencies.df(own)


def _candidates(
    tokens: Sequence[Token],
    list_id: int,
    weight: float,
    into: dict[tuple[str, ...], _Candidate],
) -> None:
    stems = [_keyword_stem(t) for t in tokens]
    menu = _menu_keys()
    for i in range(len(tokens)):
        for n in range(1, MAX_WORDS + 1):
            j = i + n
            if j > len(tokens) or not stems[j - 1] or (n > 1 and tokens[j - 1].brk):
                break
            key = tuple(stems[i:j])
            if key in menu or (n == 1 and not key[0].isalpha()):
                continue
            cand = into.get(key)
            if cand is None:
                cand = into[key] = _Candidate(places=[])
            cand.weight += weight
            cand.count += 1
            assert cand.places is not None
            cand.places.append((list_id, i))


def extract_keywords(title: str, text: str, k: int = 8) -> list[Keyword]:
    """The ``k`` best keywords of an article, best first."""
    frequencies = shipped_frequencies()
    lists = (tokens_of(title), tokens_of(text))
    found: dict[tuple[str, ...], _Candidate] = {}
    _candidates(lists[0], 0, TITLE_WEIGHT, found)
    _candidates(lists[1], 1, 1.0, found)
    scored = []
    for key, cand in found.items():
        if len(key) > 1 and cand.count < MIN_PHRASE_COUNT:
            continue
        idf = sum(frequencies.idf(s) for s in key) / len(key)
        scored.append((cand.weight * idf * len(key) ** LENGTH_EXPONENT, key, cand))
    scored = _absorb(scored)
    scored.sort(key=lambda row: (-row[0], row[1]))
    return _select(scored, k, lists)


Scored = tuple[float, tuple[str, ...], _Candidate]


def _absorb(scored: list[Scored]) -> list[Scored]:
    """Shorter phrases merged into the longer phrase that accounts for most of their
    occurrences (see the module docstring), shortest first so a word can climb to a
    three-word name."""
    rows = {key: (score, cand) for score, key, cand in scored}
    for key in sorted(rows, key=len):
        score, cand = rows[key]
        longer = [
            (other, rows[other][1].count)
            for other in rows
            if len(other) > len(key) and _contains(other, key)
        ]
        best = max(longer, key=lambda item: (item[1], rows[item[0]][0]), default=None)
        if best is not None and best[1] >= ABSORB_SHARE * cand.count:
            other_score, other_cand = rows[best[0]]
            rows[best[0]] = (max(score, other_score), other_cand)
            del rows[key]
    return [(score, key, cand) for key, (score, cand) in rows.items()]


def _contains(longer: tuple[str, ...], key: tuple[str, ...]) -> bool:
    n = len(key)
    return any(longer[i : i + n] == key for i in range(len(longer) - n + 1))


def _select(
    scored: list[Scored],
    k: int,
    lists: tuple[Sequence[Token], Sequence[Token]],
) -> list[Keyword]:
    chosen: list[Keyword] = []
    taken: set[str] = set()
    written = frozenset(t.surface for tokens in lists for t in tokens)
    for score, key, cand in scored:
        if len(chosen) >= k:
            break
        if not taken.isdisjoint(key):
            continue  # shares a word with a better keyword
        assert cand.places is not None
        displays = Counter(_display(lists[lid], i, len(key), written) for lid, i in cand.places)
        phrase = max(displays.items(), key=lambda item: item[1])[0]
        chosen.append(Keyword(phrase, " ".join(key), round(score, 4)))
        taken.update(key)
    return chosen


def _display(tokens: Sequence[Token], start: int, n: int, written: frozenset[str]) -> str:
    words = [
        _display_word(tokens[start], written),
        *(t.surface for t in tokens[start + 1 : start + n]),
    ]
    return " ".join(words)
