"""Turn the hand-written keyword annotations into ``ant_keywords.jsonl`` and check them.

``annotations.txt`` (written by reading each article of ``selection.jsonl``) has one block per
article: a line ``## docno`` and one line of 5-10 phrases separated by `` | ``. This script does
not label anything: it parses, validates and serializes. It fails when a block names an unknown
docno, an article has fewer than 5 or more than 10 phrases, a phrase has more than 3 words or
repeats, or a phrase does not occur in the article's title + text (compared after removing
diacritics, tatweel, ``#``, ``_`` and quotes; a clitic و ف ب ل ك before a word is allowed, and a
phrase starting with ال also matches after لـ written لل).

Usage: ``.venv/bin/python data/eval/keywords/build.py``
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "annotations.txt"
SELECTION = HERE / "selection.jsonl"
OUTPUT = HERE / "ant_keywords.jsonl"

MIN_PHRASES, MAX_PHRASES, MAX_WORDS = 5, 10, 3
_NOISE = re.compile("[\u064b-\u0652\u0670\u0640#_\"'«»“”]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    return _SPACES.sub(" ", _NOISE.sub(" ", text)).strip()


def occurs(phrase: str, text: str) -> bool:
    """``phrase`` as whole words of ``text`` (clitics allowed before it)."""
    body = re.escape(clean(phrase))
    if phrase.startswith("ال"):
        body = f"(?:{body}|لل{re.escape(clean(phrase)[2:])})"
    return re.search(rf"(?<!\w)[وفبلك]{{0,2}}{body}(?!\w)", clean(text)) is not None


def parse(text: str) -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    docno = ""
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## "):
            docno = line[3:].strip()
            if docno in blocks:
                raise ValueError(f"line {number}: {docno} annotated twice")
            blocks[docno] = []
        elif docno:
            blocks[docno].extend(p.strip() for p in line.split("|") if p.strip())
        else:
            raise ValueError(f"line {number}: phrases before the first '## docno'")
    return blocks


def check(docno: str, phrases: list[str], article: dict[str, str]) -> list[str]:
    problems = []
    if not MIN_PHRASES <= len(phrases) <= MAX_PHRASES:
        problems.append(f"{docno}: {len(phrases)} phrases")
    if len(set(phrases)) != len(phrases):
        problems.append(f"{docno}: a phrase repeats")
    for phrase in phrases:
        if len(phrase.split()) > MAX_WORDS:
            problems.append(f"{docno}: more than {MAX_WORDS} words: {phrase}")
        if not occurs(phrase, article["title"] + "\n" + article["text"]):
            problems.append(f"{docno}: not in the text: {phrase}")
    return problems


def main() -> None:
    articles = {
        r["docno"]: r
        for r in (json.loads(line) for line in SELECTION.read_text("utf-8").splitlines() if line)
    }
    blocks = parse(ANNOTATIONS.read_text("utf-8"))
    problems = [f"unknown docno {d}" for d in blocks if d not in articles]
    problems += [f"not annotated: {d}" for d in articles if d not in blocks]
    for docno, phrases in blocks.items():
        if docno in articles:
            problems += check(docno, phrases, articles[docno])
    if problems:
        raise SystemExit("\n".join(problems))
    rows = [
        {"docno": d, "src": articles[d]["src"], "cat": articles[d]["cat"], "keywords": p}
        for d, p in blocks.items()
    ]
    OUTPUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"wrote {len(rows)} articles, {sum(len(r['keywords']) for r in rows)} keywords")


if __name__ == "__main__":
    main()
