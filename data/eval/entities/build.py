"""Turn the hand-written annotations into ``ant_entities.jsonl`` and check them against the texts.

``annotations.txt`` (written by a person reading each article of ``selection.jsonl``) has one
block per article::

    @ BB-culture-10-20180211
    p يوهان يوهانسون | يوهانسون
    l برلين
    o فيسبوك

``p``/``o``/``l`` = person/organization/place; the first name is the canonical form, the names
after ``|`` are the other surface forms seen in that article. This script does not label
anything: it only parses, validates and serializes. It fails when a block names an unknown
docno, a type letter is unknown, a name repeats within an article, or a name or variant does
not occur in the article's title + text (after removing diacritics, tatweel, ``#``, ``_`` and
quotes; a name starting with ال also matches after the clitic لـ, written لل...).

``--unlisted`` prints, per article, names that the set annotates elsewhere and that occur in
this article's text without being annotated here: a review aid for the annotator, who then
decides by reading (hits inside longer names or as adjectives are expected).

Usage: ``.venv/bin/python data/eval/entities/build.py [--unlisted]``
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "annotations.txt"
SELECTION = HERE / "selection.jsonl"
OUTPUT = HERE / "ant_entities.jsonl"

TYPES = {"p": "person", "o": "organization", "l": "place"}
_NOISE = re.compile("[\u064b-\u0652\u0670\u0640#\"'«»“”]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Entity:
    type: str
    name: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    docno: str
    src: str
    cat: str
    title: str
    text: str


def normalize(text: str) -> str:
    """Drop diacritics, tatweel, hashtags, quotes; underscores and space runs -> one space."""
    return _SPACES.sub(" ", _NOISE.sub("", text).replace("_", " ")).strip()


def occurs(name: str, haystack: str) -> bool:
    needle = normalize(name)
    if needle in haystack:
        return True
    if not needle.startswith("ال"):
        return False
    # لـ + ال: "للبوليساريو"; with a stem starting in ل the three lams write as two: "للجنة".
    return "لل" + needle[2:] in haystack or (needle[2:3] == "ل" and "لل" + needle[3:] in haystack)


def parse_entity(line: str) -> Entity:
    letter, _, rest = line.partition(" ")
    if letter not in TYPES:
        raise ValueError(f"unknown type letter in {line!r}")
    names = [n.strip() for n in rest.split("|")]
    if not all(names):
        raise ValueError(f"empty name in {line!r}")
    return Entity(TYPES[letter], names[0], tuple(names[1:]))


def parse_blocks(lines: Iterable[str]) -> Iterator[tuple[str, list[Entity]]]:
    docno: str | None = None
    entities: list[Entity] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@ "):
            if docno is not None:
                yield docno, entities
            docno, entities = line[2:].strip(), []
        elif docno is None:
            raise ValueError(f"entity before the first @ line: {line!r}")
        else:
            entities.append(parse_entity(line))
    if docno is not None:
        yield docno, entities


def problems(article: Article, entities: list[Entity]) -> list[str]:
    haystack = normalize(article.title + "\n" + article.text)
    found: list[str] = []
    seen: set[str] = set()
    for ent in entities:
        for name in (ent.name, *ent.variants):
            if name in seen:
                found.append(f"{article.docno}: {name!r} listed twice")
            seen.add(name)
            if not occurs(name, haystack):
                found.append(f"{article.docno}: {name!r} not in title+text")
    return found


def read_selection(path: Path) -> dict[str, Article]:
    articles: dict[str, Article] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        articles[row["docno"]] = Article(
            row["docno"], row["src"], row["cat"], row["title"], row["text"]
        )
    return articles


def to_line(article: Article, entities: list[Entity]) -> str:
    row = {
        "docno": article.docno,
        "src": article.src,
        "cat": article.cat,
        "title": article.title,
        "entities": [
            {"type": e.type, "name": e.name, "variants": list(e.variants)} for e in entities
        ],
    }
    return json.dumps(row, ensure_ascii=False)


def as_word(name: str) -> re.Pattern[str]:
    """``name`` as whole words, allowing the one-letter clitics و ف ب ل ك in front."""
    needle = re.escape(normalize(name))
    return re.compile(rf"(?<!\w)[وفبلك]{{0,2}}{needle}(?!\w)")


def unlisted(article: Article, entities: list[Entity], gazetteer: set[str]) -> list[str]:
    haystack = normalize(article.title + "\n" + article.text)
    mine = {n for e in entities for n in (e.name, *e.variants)}
    covered = " | ".join(normalize(n) for n in mine)
    return sorted(
        n
        for n in gazetteer - mine
        if as_word(n).search(haystack) and not as_word(n).search(covered)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unlisted", action="store_true", help="print the review aid only")
    args = parser.parse_args(argv)
    articles = read_selection(SELECTION)
    blocks = list(parse_blocks(ANNOTATIONS.read_text(encoding="utf-8").splitlines()))
    unknown = [d for d, _ in blocks if d not in articles]
    missing = sorted(set(articles) - {d for d, _ in blocks})
    errors = [f"unknown docno {d}" for d in unknown] + [f"not annotated {d}" for d in missing]
    errors += [p for d, ents in blocks if d in articles for p in problems(articles[d], ents)]
    if args.unlisted:
        gazetteer = {n for _, ents in blocks for e in ents for n in (e.name, *e.variants)}
        for docno, ents in blocks:
            hits = unlisted(articles[docno], ents, gazetteer)
            if hits:
                print(docno, "|", " ; ".join(hits))
        return
    if errors:
        raise SystemExit("\n".join(errors))
    OUTPUT.write_text("".join(to_line(articles[d], e) + "\n" for d, e in blocks), encoding="utf-8")
    print(f"wrote {len(blocks)} articles, {sum(len(e) for _, e in blocks)} entities to {OUTPUT}")


if __name__ == "__main__":
    main()
