"""Corpus statistics shipped as data: the keyword DF table and the names seen often.

``python -m khabar.analyze.entity_corpus --ant ANT.jsonl.gz --exclude SELECTION.jsonl`` reads
the ANT corpus (v2.1, Apache-2.0; Chouigui, Ben Khiroun & Elayeb) and writes:

- ``data/keywords/df.tsv.gz`` — in how many articles each analyzer stem appears (stems seen in
  at least two articles);
- ``data/entities/learned.tsv`` — multi-word names that the context patterns (titles before
  people, head words before organizations and places; :mod:`khabar.analyze.entity_patterns`)
  find in at least :data:`MIN_DOCS` articles, with their type (the type most of their finds
  gave) and spellings.

The articles of the entity evaluation set (``data/eval/entities/selection.jsonl``) are left
out, and so is every other ANT article that shares much of its text with one of them
(:func:`near_copies`: wire copies, the same story filed twice), so that neither table has seen
the articles the benchmark measures on.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from khabar.analyze.entity_data import EntityType, Gazetteer, shipped_gazetteer
from khabar.analyze.entity_patterns import NameRules, find_pattern_mentions
from khabar.analyze.entity_text import entity_key, tokens_of
from khabar.analyze.keywords import count_document_frequencies

__all__ = ["Article", "learn_names", "main", "near_copies"]

MIN_DOCS: Final = 3
"""A mined name must be found by the patterns in this many articles to be shipped."""
SHINGLE: Final = 5
NEAR_COPY_SHARE: Final = 0.2
NEAR_COPY_SHINGLES: Final = 30
PACKAGE_DATA: Final = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True, slots=True)
class Article:
    docno: str
    title: str
    text: str


def read_articles(path: Path) -> Iterator[Article]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            yield Article(str(row["docno"]), str(row.get("title") or ""), str(row["text"]))


def _shingles(text: str) -> set[int]:
    words = text.split()
    return {hash(" ".join(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def near_copies(articles: Iterable[Article], held_out: Iterable[Article]) -> set[str]:
    """Docnos of ``articles`` that share more than :data:`NEAR_COPY_SHARE` of their word
    5-grams (or more than :data:`NEAR_COPY_SHINGLES` of them) with a held-out article."""
    held: set[int] = set()
    for article in held_out:
        held |= _shingles(article.text)
    copies = set()
    for article in articles:
        own = _shingles(article.text)
        shared = len(own & held)
        if shared > NEAR_COPY_SHINGLES or (own and shared / len(own) > NEAR_COPY_SHARE):
            copies.add(article.docno)
    return copies


def learn_names(
    articles: Iterable[Article], gazetteer: Gazetteer, rules: NameRules
) -> list[tuple[EntityType, int, str, tuple[str, ...]]]:
    """(type, articles, name, other spellings) of pattern-found multi-word names seen in at
    least :data:`MIN_DOCS` articles and not already in ``gazetteer``."""
    docs: Counter[str] = Counter()
    types: dict[str, Counter[EntityType]] = defaultdict(Counter)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        seen = set()
        tokens = tokens_of(article.title + "\n" + article.text)
        for mention in find_pattern_mentions(tokens, gazetteer, rules, mining=True):
            if mention.entity is not None or len(mention.name.split()) < 2:
                continue
            key = entity_key(mention.name)
            types[key][mention.type] += 1
            spellings[key][mention.name] += 1
            seen.add(key)
        docs.update(seen)
    known = {e.key for e in gazetteer.entities}
    rows = []
    for key, n in docs.items():
        if n < MIN_DOCS or key in known:
            continue
        names = [name for name, _ in spellings[key].most_common()]
        etype = types[key].most_common(1)[0][0]
        rows.append((etype, n, names[0], tuple(names[1:])))
    return sorted(rows, key=lambda r: (r[0], -r[1], r[2]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ant", type=Path, required=True)
    parser.add_argument("--exclude", type=Path, required=True, help="evaluation selection")
    parser.add_argument("--out", type=Path, default=PACKAGE_DATA)
    parser.add_argument("--skip-df", action="store_true")
    args = parser.parse_args(argv)
    held_out = list(read_articles_jsonl(args.exclude))
    held_docnos = {a.docno for a in held_out}
    articles = [a for a in read_articles(args.ant) if a.docno not in held_docnos]
    copies = near_copies(articles, held_out)
    kept = [a for a in articles if a.docno not in copies]
    print(f"{len(kept)} articles ({len(held_docnos)} held out, {len(copies)} near copies)")
    note = f"source=ANT v2.1 (Apache-2.0) articles={len(kept)} min_df=2"
    if not args.skip_df:
        frequencies = count_document_frequencies(a.title + "\n" + a.text for a in kept)
        df_path = args.out / "keywords" / "df.tsv.gz"
        with gzip.GzipFile(df_path, "wb", mtime=0) as fh:
            fh.write(frequencies.to_text(note).encode("utf-8"))
        print(f"wrote {len(frequencies.table)} stems to {df_path}")
    rows = learn_names(kept, shipped_gazetteer(learned=False), NameRules.shipped())
    learned = args.out / "entities" / "learned.tsv"
    header = (
        "# Names seen often: multi-word names the context patterns found in at least "
        f"{MIN_DOCS} articles of the\n# ANT corpus v2.1 (Apache-2.0), {len(kept)} articles, "
        "evaluation articles and their near copies left out.\n# Generated by python -m "
        "khabar.analyze.entity_corpus; do not edit by hand.\n"
        "# Columns: type, articles, name, other spellings (|-separated).\n"
    )
    lines = [f"{t}\t{n}\t{name}\t{'|'.join(v)}" for t, n, name, v in rows]
    learned.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} names to {learned}")


def read_articles_jsonl(path: Path) -> Iterator[Article]:
    """Articles of a plain JSON-lines file (the evaluation selection)."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            yield Article(str(row["docno"]), str(row.get("title") or ""), str(row["text"]))


if __name__ == "__main__":
    main()
