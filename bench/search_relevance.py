"""Search relevance on ANT: Khabar's analyzer index beside plain FTS5 ``unicode61``, one run.

Every ANT article gives one query; by default a fixed-seed sample of 5,000 of them is run
(``--sample 0`` runs all 24,206: about 45 minutes here, most of it FTS5's OR queries at
≈ 45 ms each, so the default stays a sample). The query is the article's title, typed as a
reader would (punctuation and quotes dropped), with the *first content word* (first Arabic
word of ≥ 3 letters that is not a stopword) changed in form. The form change rotates over the
articles (article i starts at kind i mod 5; a kind that does not apply to the word passes to
the next one):

    al        add ال (or remove it when the word starts with ال); not applied to a word
              starting with و ف ب ك ل, which may be a proclitic (بالصور → البالصور is no
              spelling). Verbs and names still get ال, which no writer would do: a harder
              case than real queries.
    wa        add the conjunction و (or remove it from وال…)
    harakat   full vocalization: a haraka after every letter
    alef      أ/إ/آ → ا, or a leading ا → أ, or final ى ↔ ي
    ta        final ة ↔ ه

The relevant document is the article itself (its wire copies in other outlets count as misses,
for every engine alike). All ANT documents (title + text) are indexed in

(a) Khabar: the real storage API (``add_source``, ``upsert_article``, ``search.update``) in a
    temporary SQLite file; queries through ``search.search(query, limit=10)``, which ANDs the
    analyzed words (stopwords dropped) and also builds snippets;
(b) plain FTS5 ``tokenize='unicode61'`` (SQLite defaults) over the raw title and text, in its own
    temporary file, ranked by ``bm25(…, 3.0, 1.0)`` (Khabar's title/body weights); every query
    word quoted and AND-ed (what a user's words mean in a naive search box), and an OR variant
    for fairness.

Two more rows put the numbers in context: *short queries* (the changed word and the next two
title words: whole titles are long, so an OR of their words finds the article anyway) and a
control on the unchanged titles (``--no-control`` skips it).
Reports MRR@10 and recall@10 overall and per kind of form change, plus index and query time.

Needs ../shared/data/ant/train.jsonl.gz (exits with a clear message if it is missing).
Usage: python bench/search_relevance.py [--sample N (default 5000; 0 = all)] [--no-control]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from khabar.arabic.stopwords import is_stopword_text
from khabar.errors import KhabarError
from khabar.storage.protocol import StorageType
from search_common import (
    AntArticle,
    IndexTimer,
    add_sources,
    draft,
    load_ant,
    machine_line,
    markdown_table,
    open_bench_storage,
    query_words,
)

K: Final = 10
SEED: Final = 13
FATHA, DAMMA, KASRA, SUKUN = "\u064e", "\u064f", "\u0650", "\u0652"
_HARAKAT_CYCLE: Final = (FATHA, SUKUN, KASRA, DAMMA)
_HAMZA_ALEFS: Final = "أإآ"
_CLITIC_LETTERS: Final = "وفبكل"


# --- queries: one form change of the first content word (pure) ---------------------------


def _is_arabic_letter(ch: str) -> bool:
    return "\u0621" <= ch <= "\u064a"


def _al(word: str) -> str | None:
    if word.startswith("ال") and len(word) >= 5:
        return word[2:]
    # بالصور → البالصور is no spelling: a word that may start with a proclitic passes.
    return None if word[0] in _CLITIC_LETTERS else "ال" + word


def _wa(word: str) -> str | None:
    return word[1:] if word.startswith("وال") else "و" + word


def _harakat(word: str) -> str | None:
    return "".join(
        ch + _HARAKAT_CYCLE[i % len(_HARAKAT_CYCLE)] if _is_arabic_letter(ch) else ch
        for i, ch in enumerate(word)
    )


def _alef(word: str) -> str | None:
    for i, ch in enumerate(word):
        if ch in _HAMZA_ALEFS:
            return word[:i] + "ا" + word[i + 1 :]
    if word.startswith("ا"):
        return "أ" + word[1:]
    swaps = {"ى": "ي", "ي": "ى"}
    return word[:-1] + swaps[word[-1]] if word[-1] in swaps else None


def _ta(word: str) -> str | None:
    swaps = {"ة": "ه", "ه": "ة"}
    return word[:-1] + swaps[word[-1]] if word[-1] in swaps else None


VARIANTS: Final[tuple[tuple[str, Callable[[str], str | None]], ...]] = (
    ("al", _al),
    ("wa", _wa),
    ("harakat", _harakat),
    ("alef", _alef),
    ("ta", _ta),
)


def _first_content_word(words: Sequence[str]) -> int | None:
    arabic = [
        i for i, w in enumerate(words) if w and all(_is_arabic_letter(c) for c in w) and len(w) >= 3
    ]
    content = [i for i in arabic if not is_stopword_text(words[i])]
    found = content or arabic
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class Query:
    key: str  # the relevant article's key
    kind: str  # which form change was applied
    words: tuple[str, ...]  # with the changed word
    original: tuple[str, ...]  # the unchanged title words
    short: tuple[str, ...]  # the changed word and the next two words


def make_query(key: str, title: str, rotation: int) -> Query | None:
    """The query for one article, or ``None`` when its title has no Arabic word to change."""
    words = query_words(title)
    at = _first_content_word(words)
    if at is None:
        return None
    for step in range(len(VARIANTS)):
        kind, change = VARIANTS[(rotation + step) % len(VARIANTS)]
        changed = change(words[at])
        if changed and changed != words[at]:
            new = (*words[:at], changed, *words[at + 1 :])
            return Query(key, kind, new, tuple(words), new[at : at + 3])
    return None


# --- engines -------------------------------------------------------------------------------

Engine = Callable[[Sequence[str]], list[str]]  # query words → ranked keys (top K)


@dataclass
class Outcome:
    """Reciprocal ranks of one engine, overall and per kind of form change."""

    ranks: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    seconds: float = 0.0
    errors: int = 0

    def add(self, kind: str, key: str, ranked: Sequence[str]) -> None:
        rr = 1.0 / (ranked.index(key) + 1) if key in ranked else 0.0
        self.ranks[kind].append(rr)
        self.ranks["all"].append(rr)

    def mrr(self, kind: str = "all") -> float:
        values = self.ranks[kind]
        return sum(values) / len(values) if values else 0.0

    def recall(self, kind: str = "all") -> float:
        values = self.ranks[kind]
        return sum(1 for v in values if v > 0) / len(values) if values else 0.0

    def ms_per_query(self) -> float:
        n = len(self.ranks["all"])
        return 1000 * self.seconds / n if n else 0.0


def khabar_engine(storage: StorageType, outcome: Outcome) -> Engine:
    def run(words: Sequence[str]) -> list[str]:
        try:
            page = storage.search.search(" ".join(words), limit=K)
        except KhabarError:
            outcome.errors += 1  # a query the query language rejects counts as a miss
            return []
        return [hit.article.key for hit in page.hits]

    return run


def fts5_engine(conn: sqlite3.Connection, joiner: str, outcome: Outcome) -> Engine:
    sql = (
        "SELECT key FROM raw JOIN raw_fts ON raw_fts.rowid = raw.id WHERE raw_fts MATCH ? "
        "ORDER BY bm25(raw_fts, 3.0, 1.0) LIMIT ?"
    )

    def run(words: Sequence[str]) -> list[str]:
        match = f" {joiner} ".join('"' + w.replace('"', '""') + '"' for w in words)
        try:
            return [r[0] for r in conn.execute(sql, (match, K))]
        except sqlite3.OperationalError:
            outcome.errors += 1
            return []

    return run


# --- indexing ------------------------------------------------------------------------------


def index_khabar(path: Path, articles: Sequence[AntArticle]) -> tuple[StorageType, float]:
    storage = open_bench_storage(path)
    sources = add_sources(storage, (a.src for a in articles))
    timer = IndexTimer(storage)
    for i, a in enumerate(articles):
        timer.add(draft(sources[a.src], str(i), a.title, a.text, a.published))
    timer.flush()
    return storage, timer.seconds


def index_fts5(path: Path, articles: Sequence[AntArticle]) -> tuple[sqlite3.Connection, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE raw (id INTEGER PRIMARY KEY, key TEXT NOT NULL)")
    conn.execute("CREATE VIRTUAL TABLE raw_fts USING fts5 (title, body, tokenize='unicode61')")
    start = time.perf_counter()
    conn.execute("BEGIN")
    for i, a in enumerate(articles):
        conn.execute("INSERT INTO raw (id, key) VALUES (?, ?)", (i + 1, str(i)))
        conn.execute(
            "INSERT INTO raw_fts (rowid, title, body) VALUES (?, ?, ?)", (i + 1, a.title, a.text)
        )
    conn.execute("COMMIT")
    return conn, time.perf_counter() - start


# --- the run -------------------------------------------------------------------------------

ENGINES: Final = ("Khabar analyzer (AND)", "FTS5 unicode61, words AND-ed", "FTS5 unicode61, OR-ed")
QUERY_SETS: Final[dict[str, Callable[[Query], Sequence[str]]]] = {
    "changed title": lambda q: q.words,
    "short (3 words)": lambda q: q.short,
    "unchanged title": lambda q: q.original,
}
Results = dict[str, dict[str, Outcome]]  # query set → engine → outcome


def run_set(
    queries: Sequence[Query],
    words: Callable[[Query], Sequence[str]],
    storage: StorageType,
    conn: sqlite3.Connection,
) -> dict[str, Outcome]:
    outcomes = {name: Outcome() for name in ENGINES}
    engines = (
        khabar_engine(storage, outcomes[ENGINES[0]]),
        fts5_engine(conn, "AND", outcomes[ENGINES[1]]),
        fts5_engine(conn, "OR", outcomes[ENGINES[2]]),
    )
    for name, engine in zip(ENGINES, engines, strict=True):
        outcome = outcomes[name]
        start = time.perf_counter()
        for q in queries:
            outcome.add(q.kind, q.key, engine(words(q)))
        outcome.seconds = time.perf_counter() - start
        print(f"  {name}: {len(queries)} queries in {outcome.seconds:.0f} s", flush=True)
    return outcomes


def build_queries(articles: Sequence[AntArticle], sample: int) -> tuple[list[Query], int]:
    """The queries (all, or a fixed-seed sample), and how many titles gave none."""
    queries = [q for i, a in enumerate(articles) if (q := make_query(str(i), a.title, i))]
    skipped = len(articles) - len(queries)
    if sample and sample < len(queries):
        queries = random.Random(SEED).sample(queries, sample)
        queries.sort(key=lambda q: int(q.key))
    return queries, skipped


def _cell(outcome: Outcome, kind: str = "all") -> str:
    return f"{outcome.mrr(kind):.3f} / {outcome.recall(kind):.3f}"


def report(results: Results, index_s: tuple[float, float], n_docs: int) -> None:
    sets = list(results)
    rows = []
    for i, name in enumerate(ENGINES):
        seconds = index_s[0] if i == 0 else index_s[1]
        main_outcome = results[sets[0]][name]
        rows.append(
            (
                name,
                *(_cell(results[s][name]) for s in sets),
                f"{seconds:.0f} s ({n_docs / seconds:.0f} docs/s)",
                f"{main_outcome.ms_per_query():.1f} ms",
                sum(results[s][name].errors for s in sets),
            )
        )
    header = [f"MRR@10 / recall@10, {s}" for s in sets]
    print(markdown_table(("engine", *header, "index time", "query time", "errors"), rows))
    print()
    kinds = [k for k, _ in VARIANTS]
    changed = results[sets[0]]
    counts = {k: len(changed[ENGINES[0]].ranks[k]) for k in kinds}
    print(
        markdown_table(
            ("changed title, by form change", *(f"{k} (n={counts[k]})" for k in kinds)),
            [(name, *(_cell(changed[name], k) for k in kinds)) for name in ENGINES],
        )
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sample", type=int, default=5000, help="query a fixed-seed sample (0 = all)"
    )
    parser.add_argument("--no-control", action="store_true", help="skip the unchanged-title row")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    wall = time.perf_counter()

    articles = list(load_ant())
    queries, skipped = build_queries(articles, args.sample)
    sets = {k: v for k, v in QUERY_SETS.items() if not (args.no_control and k == "unchanged title")}
    results: Results = {}
    with tempfile.TemporaryDirectory(prefix="khabar-relevance-") as tmp:
        print(f"indexing {len(articles)} ANT articles …", flush=True)
        storage, khabar_s = index_khabar(Path(tmp) / "khabar.db", articles)
        conn, fts5_s = index_fts5(Path(tmp) / "fts5.db", articles)
        print(f"  Khabar {khabar_s:.0f} s, FTS5 {fts5_s:.0f} s", flush=True)
        for set_name, words in sets.items():
            print(f"querying: {set_name} …", flush=True)
            results[set_name] = run_set(queries, words, storage, conn)
        storage.close()
        conn.close()

    scope = f"a fixed-seed sample (seed {SEED}) of {len(queries)}" if args.sample else "all"
    print()
    print(f"### Search relevance — {machine_line(started)}")
    print()
    print(
        f"bench/search_relevance.py: {len(articles)} ANT articles indexed (title + text); "
        f"{scope} title queries ({skipped} titles without an Arabic word skipped); "
        f"the run took {time.perf_counter() - wall:.0f} s."
    )
    print()
    report(results, (khabar_s, fts5_s), len(articles))
    print()
    print(
        "Index time: Khabar = `upsert_article` + `search.update()` in batches of 1000 "
        "(analysis included); FTS5 = raw inserts in one transaction. Query time is for the "
        "changed-title set; Khabar's includes building snippets for the hits."
    )


if __name__ == "__main__":
    main()
