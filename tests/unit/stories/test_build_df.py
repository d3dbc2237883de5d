"""The document-frequency builder counts each term once per article and keeps frequent ones."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from khabar.stories.build_df import count_documents, main
from khabar.stories.vectors import DocumentFrequencies, content_terms

RECORDS = [
    ("صاروخ صاروخ", "قمر"),
    ("صاروخ", "مريخ"),
    ("", "قمر في السماء"),
]


def _df(word: str) -> str:
    return content_terms(word)[0]


def test_counts_documents_not_occurrences_and_drops_rare_terms() -> None:
    table = count_documents(RECORDS, text_chars=100, min_df=2)
    assert table.documents == 3
    assert table.counts == {_df("صاروخ"): 2, _df("قمر"): 2}


def test_text_is_read_up_to_text_chars_and_top_limits_the_table() -> None:
    table = count_documents(RECORDS, text_chars=0, min_df=1, top=1)
    assert table.counts == {_df("صاروخ"): 2}


def test_cli_writes_a_gzipped_table_and_leaves_excluded_articles_out(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl.gz"
    rows = [{"docno": f"d{k}", "title": t, "text": x} for k, (t, x) in enumerate(RECORDS)]
    corpus.write_bytes(gzip.compress("\n".join(map(json.dumps, rows)).encode("utf-8")))
    exclude = tmp_path / "exclude.jsonl"
    exclude.write_text('{"docno": "d1"}\n', encoding="utf-8")
    out = tmp_path / "df.tsv.gz"
    main([str(out), str(corpus), "--exclude", str(exclude), "--min-df", "2"])
    table = DocumentFrequencies.from_tsv(gzip.decompress(out.read_bytes()).decode("utf-8"))
    assert table.documents == 2
    assert table.counts == {_df("قمر"): 2}
