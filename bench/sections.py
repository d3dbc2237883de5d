"""Section classification quality on ANT: Khabar's model beside a plain baseline, same run.

(a) held-out split: the fixed list ``khabar/data/sections/heldout_docnos.txt`` (10 %, stratified
    by section, seed 13, near-duplicate groups kept on one side), the same articles the shipped
    model never saw. Both models are trained here on the other 90 %.
(b) leave one outlet out: train on four outlets, test on the fifth, for each. Articles of the
    training outlets that are near-duplicates of a test-outlet article (wire copies) are dropped
    from training. Macro-F1 is over the sections the test outlet has (France24 has no
    technology feed, Sky News and CNN no culture feed).

Three systems: ``Khabar`` (the shipped recipe's classifier, argmax), ``Khabar + source priors``
(the same recipe trained in full by :func:`train_on_docs` — with its own out-of-outlet
calibration and training prior — whose probabilities are adjusted to each test source's section
shares, estimated without labels from a random sample of at most ``SAMPLE`` of that source's
test articles by :mod:`khabar.analyze.section_priors`: what ``khabar reanalyze`` does with a
source's stored articles; a source with fewer than ``MIN_ARTICLES`` test articles is left
unadjusted), and the baseline.

Baseline: TF-IDF of word 1-2-grams (scikit-learn's tokenizer, min_df=2) after light
normalization (``normalize(text, "search")``) + LinearSVC with defaults.

Near-duplicates: MinHash (24 hashes, 6 bands of 4) over 5-term shingles of the analyzed title +
text, union-find over band collisions (≈ Jaccard ≥ 0.65). ``--make-split`` rewrites the held-out
list (only when the data changes: the shipped model and the quality floor depend on it).

Needs ../shared/data/ant/train.jsonl.gz. Prints a markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from khabar.analyze.section_model import SectionModel, features
from khabar.analyze.section_priors import SAMPLE, estimate_priors
from khabar.analyze.section_training import (
    Doc,
    LabelledArticle,
    TrainOptions,
    article_doc,
    fit,
    section_of,
    train_on_docs,
)
from khabar.arabic.normalize import normalize
from khabar.search.analyzer import analyze

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant" / "train.jsonl.gz"
HELDOUT = ROOT / "src" / "khabar" / "data" / "sections" / "heldout_docnos.txt"
SEED = 13

Predict = Callable[[Sequence[int]], list[str]]
Fitter = Callable[[Sequence[int]], Predict]


def load_ant(path: Path = ANT) -> list[LabelledArticle]:
    articles = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            section = section_of(r["cat"], r.get("cats") or [])
            if section is not None:
                articles.append(
                    LabelledArticle(r["docno"], r["src"], r["title"], r["text"], section)
                )
    return articles


def read_heldout(path: Path = HELDOUT) -> set[str]:
    return {line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()}


# --- near-duplicates and the split -----------------------------------------------------------


def _stable_hash(shingle: tuple[str, ...]) -> int:
    return int.from_bytes(hashlib.blake2b(" ".join(shingle).encode(), digest_size=7).digest())


def near_duplicate_groups(articles: Sequence[LabelledArticle]) -> list[int]:
    """A group id per article: near-duplicates (MinHash band collisions) share one."""
    prime = (1 << 61) - 1
    rng = np.random.default_rng(0)
    a = rng.integers(1, 1 << 30, 24, dtype=np.uint64)
    b = rng.integers(0, 1 << 30, 24, dtype=np.uint64)
    parent = list(range(len(articles)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    buckets: dict[tuple[int, tuple[int, ...]], int] = {}
    for i, article in enumerate(articles):
        terms = analyze(article.title + "\n" + article.text)
        shingles = {_stable_hash(tuple(terms[j : j + 5])) for j in range(max(1, len(terms) - 4))}
        h = np.array(sorted(shingles), dtype=np.uint64) % np.uint64(1 << 31)
        signature = ((h[:, None] * a[None, :] + b[None, :]) % np.uint64(prime)).min(axis=0)
        for band in range(6):
            key = (band, tuple(int(x) for x in signature[band * 4 : band * 4 + 4]))
            first = buckets.setdefault(key, i)
            root_a, root_b = find(first), find(i)
            if root_a != root_b:
                parent[root_b] = root_a
    return [find(i) for i in range(len(articles))]


def make_split(articles: Sequence[LabelledArticle], groups: Sequence[int]) -> list[str]:
    from sklearn.model_selection import StratifiedGroupKFold

    labels = [a.section for a in articles]
    folds = StratifiedGroupKFold(n_splits=10, shuffle=True, random_state=SEED)
    _, test = next(folds.split(np.zeros(len(articles)), labels, groups))
    return sorted(articles[i].key for i in test)


# --- the two systems ------------------------------------------------------------------------


def khabar_fitter(articles: Sequence[LabelledArticle]) -> Fitter:
    options = TrainOptions()
    docs = [article_doc(a, options.features) for a in articles]

    def fit_on(train: Sequence[int]) -> Predict:
        fitted = fit([docs[i] for i in train], [articles[i].section for i in train], options)
        return lambda test: [
            str(s) for s in fitted.svc.predict(fitted.matrix([docs[i] for i in test]))
        ]

    return fit_on


def khabar_priors_fitter(articles: Sequence[LabelledArticle]) -> Fitter:
    """The full training recipe, then each test source's priors estimated and applied."""
    options = TrainOptions()
    terms = [(analyze(a.title), analyze(a.text)) for a in articles]
    docs = [Doc(features(t, b, options.features), t) for t, b in terms]

    def fit_on(train: Sequence[int]) -> Predict:
        model = train_on_docs([articles[i] for i in train], [docs[i] for i in train], options)

        def predict(test: Sequence[int]) -> list[str]:
            probs = {i: model.probabilities_of_terms(*terms[i]) for i in test}
            by_source: dict[str, list[int]] = defaultdict(list)
            for i in test:
                by_source[articles[i].source].append(i)
            for members in by_source.values():
                rng = np.random.default_rng(SEED)
                sample = rng.permutation(members)[:SAMPLE]
                priors = estimate_priors(model, [probs[int(i)] for i in sample])
                if priors is not None:
                    probs |= {i: model.adjusted(probs[i], priors) for i in members}
            return [max(probs[i], key=probs[i].__getitem__) for i in test]

        return predict

    return fit_on


def baseline_fitter(articles: Sequence[LabelledArticle]) -> Fitter:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    texts = [normalize(a.title + "\n" + a.text, "search") for a in articles]

    def fit_on(train: Sequence[int]) -> Predict:
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2)
        svc = LinearSVC().fit(
            vectorizer.fit_transform([texts[i] for i in train]),
            [articles[i].section for i in train],
        )
        return lambda test: [
            str(s) for s in svc.predict(vectorizer.transform([texts[i] for i in test]))
        ]

    return fit_on


# --- scoring --------------------------------------------------------------------------------


def f1_scores(truth: Sequence[str], predicted: Sequence[str]) -> tuple[float, dict[str, float]]:
    """Macro-F1 over the sections present in ``truth``, and per-section F1."""
    from sklearn.metrics import f1_score

    labels = sorted(set(truth))
    per = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    return float(np.mean(per)), {label: float(x) for label, x in zip(labels, per, strict=True)}


def shipped_with_threshold(
    articles: Sequence[LabelledArticle], test: Sequence[int], model: SectionModel
) -> dict[str, float]:
    """The shipped model on the held-out split: argmax F1, then with 'other' below threshold."""
    probs = np.array(
        [list(model.probabilities(articles[i].title, articles[i].text).values()) for i in test]
    )
    truth = [articles[i].section for i in test]
    best = [model.classes[j] for j in probs.argmax(axis=1)]
    accepted = probs.max(axis=1) >= model.threshold
    with_other = [b if ok else "other" for b, ok in zip(best, accepted, strict=True)]
    correct = np.array([b == t for b, t in zip(best, truth, strict=True)])
    return {
        "macro_f1": f1_scores(truth, best)[0],
        "macro_f1_with_other": f1_scores(truth, with_other)[0],
        "coverage": float(accepted.mean()),
        "accuracy_accepted": float(correct[accepted].mean()),
        "ece": expected_calibration_error(probs.max(axis=1), correct),
    }


def expected_calibration_error(
    confidence: np.ndarray[Any, Any], correct: np.ndarray[Any, Any]
) -> float:
    bins = np.minimum((confidence * 10).astype(int), 9)
    return float(
        sum(
            abs(confidence[bins == k].mean() - correct[bins == k].mean()) * (bins == k).mean()
            for k in range(10)
            if (bins == k).any()
        )
    )


def run(articles: list[LabelledArticle], systems: dict[str, Fitter]) -> dict[str, Any]:
    heldout = read_heldout()
    test_a = [i for i, a in enumerate(articles) if a.key in heldout]
    train_a = [i for i, a in enumerate(articles) if a.key not in heldout]
    groups = near_duplicate_groups(articles)
    results: dict[str, Any] = {"a": {}, "b": defaultdict(dict), "sizes": {}, "pairs": {}}
    truth_a = [articles[i].section for i in test_a]
    for name, fitter in systems.items():
        t0 = time.perf_counter()
        predicted = fitter(train_a)(test_a)
        results["pairs"][("a", name)] = (truth_a, predicted)
        results["a"][name] = f1_scores(truth_a, predicted)
        print(
            f"(a) {name}: {results['a'][name][0]:.4f} ({time.perf_counter() - t0:.0f}s)",
            file=sys.stderr,
            flush=True,
        )
    for outlet in sorted({a.source for a in articles}):
        test = [i for i, a in enumerate(articles) if a.source == outlet]
        test_groups = {groups[i] for i in test}
        train = [
            i for i, a in enumerate(articles) if a.source != outlet and groups[i] not in test_groups
        ]
        results["sizes"][outlet] = (len(train), len(test))
        truth = [articles[i].section for i in test]
        for name, fitter in systems.items():
            predicted = fitter(train)(test)
            pooled = results["pairs"].setdefault(("b", name), ([], []))
            pooled[0].extend(truth)
            pooled[1].extend(predicted)
            results["b"][outlet][name] = f1_scores(truth, predicted)
            print(
                f"(b) {outlet} {name}: {results['b'][outlet][name][0]:.4f}",
                file=sys.stderr,
                flush=True,
            )
    results["test_a"] = test_a
    results["groups"] = groups
    return results


def markdown(results: dict[str, Any], names: Sequence[str], shipped: dict[str, float]) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    python = platform.python_version()
    machine = f"{platform.system()} {platform.machine()}, {_cores()} cores, Python {python}"
    lines = [
        f"### Sections — {now} — {machine}",
        "",
        "Macro-F1 (per-section F1 in the last columns); (a) fixed 10 % held-out split, "
        "(b) leave one outlet out (train on four outlets, test on the fifth).",
        "",
    ]
    sections = ["politics", "economy", "sports", "culture", "technology"]
    lines.append("| test set | system | macro-F1 | " + " | ".join(sections) + " |")
    lines.append("|---|---|---|" + "---|" * len(sections))

    def row(label: str, name: str, score: tuple[float, dict[str, float]]) -> str:
        per = " | ".join(f"{score[1][s]:.3f}" if s in score[1] else "–" for s in sections)
        return f"| {label} | {name} | **{score[0]:.3f}** | {per} |"

    for name in names:
        lines.append(row("(a) held-out 10 %", name, results["a"][name]))
    for outlet, scores in results["b"].items():
        for name in names:
            lines.append(row(f"(b) {outlet}", name, scores[name]))
    for name in names:
        mean = float(np.mean([scores[name][0] for scores in results["b"].values()]))
        lines.append(f"| (b) mean of 5 outlets | {name} | **{mean:.3f}** |" + " |" * len(sections))
    for (split, name), (truth, predicted) in results["pairs"].items():
        label = "(a) held-out 10 %" if split == "a" else "(b) the 5 test outlets pooled"
        lines += ["", f"Confusion matrix, {name}, {label} (rows: truth, columns: predicted):", ""]
        lines += confusion_table(truth, predicted, sections)
    lines += [
        "",
        "Shipped model on (a), with its confidence threshold "
        f"(below it: غير مصنف): macro-F1 argmax {shipped['macro_f1']:.3f}, "
        f"with 'other' counted wrong {shipped['macro_f1_with_other']:.3f}, coverage "
        f"{shipped['coverage']:.1%}, accuracy of the accepted {shipped['accuracy_accepted']:.3f}, "
        f"expected calibration error {shipped['ece']:.3f}.",
    ]
    return "\n".join(lines)


def confusion_table(
    truth: Sequence[str], predicted: Sequence[str], sections: Sequence[str]
) -> list[str]:
    """A markdown confusion matrix with each row's recall."""
    from sklearn.metrics import confusion_matrix

    matrix = confusion_matrix(truth, predicted, labels=list(sections))
    lines = ["| truth \\ predicted | " + " | ".join(sections) + " | recall |"]
    lines.append("|---|" + "---|" * (len(sections) + 1))
    for label, row in zip(sections, matrix, strict=True):
        total = int(row.sum())
        recall = f"{row[sections.index(label)] / total:.3f}" if total else "–"
        cells = " | ".join(str(int(x)) for x in row)
        lines.append(f"| {label} | {cells} | {recall} |")
    return lines


def feed_sections(path: Path = ANT) -> dict[str, set[str]]:
    """Every section each URL's feeds (``cat`` and ``cats``) map to, by docno."""
    out: dict[str, set[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out[r["docno"]] = {
                s for c in (r["cat"], *(r.get("cats") or [])) if (s := section_of(c)) is not None
            }
    return out


def recorded_disagreement(
    articles: Sequence[LabelledArticle], results: dict[str, Any], name: str
) -> str:
    """How many of a system's (a) errors the data itself marks as disputed labels.

    An error is *recorded disagreement* when the predicted section is one of the other
    sections the same URL's feeds list (``cats``), or the label of a near-duplicate of the
    article (same MinHash group) elsewhere in ANT: the outlets themselves filed that text
    under the predicted section.
    """
    truth, predicted = results["pairs"][("a", name)]
    test, groups = results["test_a"], results["groups"]
    feeds = feed_sections()
    by_group: dict[int, set[str]] = defaultdict(set)
    for article, group in zip(articles, groups, strict=True):
        by_group[group].add(article.section)
    multi = sum(len(feeds[articles[i].key]) > 1 for i in test)
    conflicting = sum(len(by_group[groups[i]]) > 1 for i in test)
    errors = [k for k, (t, p) in enumerate(zip(truth, predicted, strict=True)) if t != p]
    disputed = {
        k
        for k in errors
        if predicted[k] in feeds[articles[test[k]].key] | by_group[groups[test[k]]]
    }
    forgiven = [truth[k] if k in disputed else p for k, p in enumerate(predicted)]
    return (
        f"{name} on (a): {len(errors)} errors of {len(truth)}; {multi} held-out URLs were in "
        f"feeds of two sections, {conflicting} have a near-duplicate filed under another "
        f"section; {len(disputed)} errors predict exactly such a recorded other section. "
        f"Macro-F1 {f1_scores(truth, predicted)[0]:.3f}, counting those as right "
        f"{f1_scores(truth, forgiven)[0]:.3f}."
    )


def _cores() -> int:
    import os

    return os.cpu_count() or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--make-split", action="store_true", help="rewrite the held-out list")
    args = parser.parse_args()
    if not ANT.exists():
        sys.exit(f"ANT not found at {ANT} (../shared/data absent): nothing to measure")
    articles = load_ant()
    if args.make_split:
        keys = make_split(articles, near_duplicate_groups(articles))
        HELDOUT.write_text("\n".join(keys) + "\n", "utf-8")
        print(f"wrote {len(keys)} held-out docnos to {HELDOUT}")
        return
    systems = {
        "Khabar": khabar_fitter(articles),
        "Khabar + source priors": khabar_priors_fitter(articles),
        "baseline": baseline_fitter(articles),
    }
    results = run(articles, systems)
    from khabar.analyze.sections import shipped_model_path

    shipped = shipped_with_threshold(
        articles, results["test_a"], SectionModel.load(shipped_model_path())
    )
    print(markdown(results, list(systems), shipped))
    print()
    for name in systems:
        print(recorded_disagreement(articles, results, name))


if __name__ == "__main__":
    main()
