"""Build the document-frequency table the story vectors weigh terms with (a dev tool).

Counts, for each term of :func:`khabar.stories.vectors.content_terms`, the articles whose
title or first ``text_chars`` characters contain it, and keeps the ``top`` most frequent
terms seen in at least ``min_df`` articles (terms not kept get the highest IDF, as unseen).
Articles listed in ``--exclude`` files (one docno per line, or JSON lines with a ``docno``)
are left out, so an evaluation set does not shape its own weights.

Usage::

    python -m khabar.stories.build_df src/khabar/data/stories/df.tsv.gz \
        ../shared/data/ant/train.jsonl.gz --exclude data/eval/stories/ant_week_stories.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from khabar.stories.thresholds import load_settings
from khabar.stories.vectors import DocumentFrequencies, content_terms

__all__ = ["count_documents", "main"]

TOP: int = 40_000
MIN_DF: int = 2


def count_documents(
    records: Iterable[tuple[str, str]], text_chars: int, top: int = TOP, min_df: int = MIN_DF
) -> DocumentFrequencies:
    """Document frequencies of ``(title, text)`` records, the ``top`` most frequent kept."""
    counts: Counter[str] = Counter()
    documents = 0
    for title, text in records:
        documents += 1
        counts.update(set(content_terms(title)) | set(content_terms(text[:text_chars])))
    kept = [(t, n) for t, n in counts.most_common(top) if n >= min_df]
    return DocumentFrequencies(documents, dict(kept))


def _excluded(paths: Sequence[Path]) -> set[str]:
    out: set[str] = set()
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(json.loads(line)["docno"] if line.startswith("{") else line)
    return out


def _records(paths: Sequence[Path], exclude: set[str]) -> Iterator[tuple[str, str]]:
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("docno") not in exclude:
                    yield record.get("title") or "", record.get("text") or ""


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("corpus", type=Path, nargs="+", help="JSONL.gz with title and text")
    parser.add_argument("--exclude", type=Path, action="append", default=[])
    parser.add_argument("--top", type=int, default=TOP)
    parser.add_argument("--min-df", type=int, default=MIN_DF)
    parser.add_argument("--text-chars", type=int, default=load_settings().vector.text_chars)
    args = parser.parse_args(argv)
    records = _records(args.corpus, _excluded(args.exclude))
    table = count_documents(records, args.text_chars, args.top, args.min_df)
    args.out.write_bytes(gzip.compress(table.to_tsv().encode("utf-8"), mtime=0))
    print(f"{table.documents} documents, {len(table.counts)} terms -> {args.out}")


if __name__ == "__main__":
    main()
