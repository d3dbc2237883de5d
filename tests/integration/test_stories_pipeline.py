"""Stories end to end: imported articles from several outlets grouped by event, across a
restart, with republications joining their original's story."""

from __future__ import annotations

from pathlib import Path

from tests.support.events import FINAL, QUAKE_A, QUAKE_B, QUAKE_C, write_records

from khabar.service import Khabar
from khabar.settings import Settings


def _settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'k.db'}", extract_workers=1)


def test_articles_about_one_event_share_a_story_across_a_restart(tmp_path: Path) -> None:
    first = write_records(
        tmp_path / "a.jsonl",
        [
            ("العربية", "a1", "زلزال بقوة ست درجات يضرب جنوب تركيا", QUAKE_A, "2024-05-06T03:00Z"),
            ("سكاي نيوز", "s1", "نهائي دوري الأبطال: ريال مدريد بطلا", FINAL, "2024-05-06T04:00Z"),
            ("بي بي سي", "b1", "زلزال في هاتاي التركية وانهيار مبان", QUAKE_B, "2024-05-06T05:00Z"),
        ],
    )
    with Khabar(_settings(tmp_path)) as service:
        assert service.import_jsonl(first).added == 3
        by_title = {a.title: a for a in service.articles(limit=10)}
    quake = by_title["زلزال بقوة ست درجات يضرب جنوب تركيا"]
    assert quake.story_id == quake.id
    assert by_title["زلزال في هاتاي التركية وانهيار مبان"].story_id == quake.story_id
    assert by_title["نهائي دوري الأبطال: ريال مدريد بطلا"].story_id not in (None, quake.id)

    later = write_records(
        tmp_path / "b.jsonl",
        [
            ("فرانس 24", "f1", "ارتفاع ضحايا زلزال هاتاي", QUAKE_C, "2024-05-07T09:00Z"),
            ("سي إن إن", "c1", "زلزال جنوب تركيا", QUAKE_A + " انتهى.", "2024-05-07T10:00Z"),
        ],
    )
    with Khabar(_settings(tmp_path)) as service:  # a new process resumes the stories
        assert service.import_jsonl(later).added == 2
        story = service.storage.get_story(quake.id)
        members = service.storage.story_articles(quake.id)
        republished = next(a for a in members if a.title == "زلزال جنوب تركيا")
    assert story.size == 4 and len(members) == 4
    assert story.outlets == ("العربية", "بي بي سي", "فرانس 24", "سي إن إن")
    assert republished.copy_kind == "republication" and republished.group_id == quake.id
