"""Quality gate: B-cubed F1 of the story clusterer on the labelled ANT week.

The labels (``data/eval/stories/ant_week_stories.jsonl``, 991 articles of 12-18 March 2018 in
687 stories, grouped by reading; see that folder's README) live in the project; the texts
are joined from the ANT corpus in ../shared/data by docno, so the test skips when that is
absent. The articles go through the shipped vectorizer and settings one by one in time
order, as the pipeline would feed them. The floor is pinned just below the measured value
(bench/stories.py, bench/RESULTS.md) and must never be lowered; raise it when clustering
improves. The title-only TF-IDF baseline's best F1 on the same set is 0.841.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from khabar.stories import StoryArticle, StoryClusterer, bcubed, load_settings, load_vectorizer

ROOT = Path(__file__).resolve().parents[2]
ANT = ROOT.parent / "shared" / "data" / "ant" / "train.jsonl.gz"
LABELS = ROOT / "data" / "eval" / "stories" / "ant_week_stories.jsonl"
F1_FLOOR = 0.90
PRECISION_FLOOR = 0.90
RECALL_FLOOR = 0.88

pytestmark = pytest.mark.skipif(
    not ANT.exists(), reason=f"ANT corpus not found at {ANT} (../shared/data absent)"
)


def _articles(docnos: set[str]) -> list[StoryArticle]:
    vectorizer = load_vectorizer()
    out = []
    with gzip.open(ANT, "rt", encoding="utf-8") as handle:
        for record in map(json.loads, handle):
            if record["docno"] not in docnos:
                continue
            when = parsedate_to_datetime(record["time"]).astimezone(UTC)
            vector = vectorizer.vector(record["title"], record["text"])
            out.append(StoryArticle(record["docno"], when, record["title"], record["src"], vector))
    return sorted(out, key=lambda a: (a.published, a.article_id))


def test_story_clustering_bcubed_floor_on_the_ant_week() -> None:
    rows = [json.loads(line) for line in LABELS.read_text("utf-8").splitlines() if line.strip()]
    truth = {row["docno"]: row["story"] for row in rows}
    articles = _articles(set(truth))
    assert len(articles) == len(truth) == 991
    clusterer = StoryClusterer(load_settings().cluster)
    predicted = {a.article_id: clusterer.assign(a).story_id for a in articles}
    score = bcubed(truth, predicted)
    assert score.f1 >= F1_FLOOR, f"story B-cubed F1 {score.f1:.3f} fell below {F1_FLOOR}"
    assert score.precision >= PRECISION_FLOOR, f"precision {score.precision:.3f}"
    assert score.recall >= RECALL_FLOOR, f"recall {score.recall:.3f}"
