"""``khabar process`` and ``khabar sections train`` over small JSON lines files."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from khabar.analyze.section_model import SectionModel
from khabar.process_cli import process
from khabar.sections_cli import sections_app

runner = CliRunner()


def _process_app() -> typer.Typer:
    app = typer.Typer()
    app.command()(process)
    return app


def _write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_process_adds_language_and_section(tmp_path: Path) -> None:
    source = _write_jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "title": "المنتخب يفوز على ضيفه بثلاثة أهداف في تصفيات كأس العالم",
                "text": "سجل المهاجم هدفين في الشوط الأول من المباراة أمام جماهير الملعب.",
                "source": "example",
            },
            {
                "title": "مقال",
                "text": "نص قصير",
                "url": "https://example.com/ar/health/2024/1",
            },
            {
                "title": "A new phone",
                "text": "The company released a new phone today.",
                "categories": ["Technology"],
            },
        ],
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(_process_app(), ["--jsonl", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["section"] for r in rows] == ["sports", "health", "technology"]
    assert [r["section_decided_by"] for r in rows] == ["model", "feed", "feed"]
    assert rows[0]["language"] == "ar" and rows[0]["source"] == "example"
    assert rows[2]["language"] == "en"
    assert all(0.0 <= r["section_confidence"] <= 1.0 for r in rows)


def test_process_names_the_bad_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"title": "x", "text": "y"}\nnot json\n', "utf-8")
    result = runner.invoke(_process_app(), ["--jsonl", str(source)])
    assert result.exit_code != 0
    assert "bad.jsonl:2" in str(result.exception)


WORDS = {
    "sports": [
        "مباراة",
        "هدف",
        "الدوري",
        "لاعب",
        "المدرب",
        "ملعب",
        "المنتخب",
        "بطولة",
        "الفريق",
        "الكأس",
    ],
    "economy": [
        "النفط",
        "البورصة",
        "الأسهم",
        "الاستثمار",
        "التضخم",
        "الدولار",
        "الشركات",
        "الأرباح",
        "السوق",
    ],
}


def test_sections_train_writes_a_model_that_process_can_use(tmp_path: Path) -> None:
    records = []
    for n in range(36):
        section = "sports" if n % 2 else "economy"
        words = WORDS[section]
        records.append(
            {
                "docno": f"d{n}",
                "src": f"outlet{n % 3}",
                "cat": "sport" if section == "sports" else "economy",
                "title": " ".join(words[n % 5 : n % 5 + 3]),
                "text": " ".join(words[(n + k) % len(words)] for k in range(12)),
            }
        )
    labelled = _write_jsonl(tmp_path / "train.jsonl", records)
    args = ["train", "--jsonl", str(labelled), "--out", str(tmp_path)]
    result = runner.invoke(sections_app, args)
    assert result.exit_code == 0, result.output
    model = SectionModel.load(tmp_path / "model.npz")
    assert model.classes == ("economy", "sports")
    assert model.info["articles"] == 36
    source = _write_jsonl(tmp_path / "in.jsonl", [{"title": "مباراة الدوري", "text": "هدف لاعب"}])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        _process_app(),
        ["--jsonl", str(source), "--out", str(out), "--model", str(tmp_path / "model.npz")],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text("utf-8"))["section"] == "sports"


WIRE = (
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة جدة بسعة خمسمائة سرير "
    "ويضم المستشفى أقساما للطوارئ والعناية المركزة وجراحة القلب والأورام ويخدم سكان "
    "المنطقة الغربية وقال الوزير إن المشروع يأتي ضمن خطة لتطوير الخدمات الصحية في المملكة"
)


def test_process_links_copies_and_credits_the_original(tmp_path: Path) -> None:
    records: list[dict[str, object]] = [
        {
            "id": "okaz-1",
            "source": "عكاظ",
            "url": "https://okaz.example/1",
            "title": "مستشفى",
            "text": WIRE,
            "published": "2015-07-21T08:00:00Z",
            "author": "جدة - واس",
        },
        {
            "id": "riyadh-7",
            "source": "الرياض",
            "url": "https://riyadh.example/7",
            "title": "مستشفى جديد",
            "text": "في خبر سار، " + WIRE,
            "published": "2015-07-21T10:00:00Z",
        },
        {
            "id": "okaz-1-amp",
            "source": "عكاظ",
            "url": "https://okaz.example/1?utm_source=tw",
            "title": "مستشفى",
            "text": "نص مختلف تماما عن الخبر",
            "published": "2015-07-21T11:00:00Z",
        },
        {
            "id": "sport",
            "source": "الرياض",
            "url": "https://riyadh.example/8",
            "title": "مباراة",
            "text": "تعادل الهلال مع النصر في مباراة مثيرة على ملعب الملك فهد الدولي مساء أمس "
            "وسجل أهداف المباراة لاعبو الفريقين في الشوط الثاني",
            "published": "2015-07-21T12:00:00Z",
        },
    ]
    source = _write_jsonl(tmp_path / "in.jsonl", records)
    result = runner.invoke(_process_app(), ["--jsonl", str(source)])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    spa = "وكالة الأنباء السعودية"
    assert rows["okaz-1"]["copy_kind"] is None and rows["okaz-1"]["original"] == spa
    assert rows["riyadh-7"]["copy_kind"] == "republication"
    assert rows["riyadh-7"]["duplicate_of"] == "okaz-1" and rows["riyadh-7"]["original"] == spa
    assert rows["okaz-1-amp"]["copy_kind"] == "duplicate"
    assert rows["okaz-1-amp"]["duplicate_of"] == "okaz-1"
    assert rows["sport"]["copy_kind"] is None and rows["sport"]["original"] is None
    assert rows["okaz-1"]["story_id"] == rows["riyadh-7"]["story_id"] == "okaz-1"
    assert rows["sport"]["story_id"] == "sport"
