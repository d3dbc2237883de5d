"""Real-looking Arabic news texts about a few events, and a JSON lines writer for them.

Written for these tests (an earthquake reported by several outlets in different words, and
an unrelated football final), so that story and copy decisions have something to decide.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["FINAL", "QUAKE_A", "QUAKE_B", "QUAKE_C", "write_records"]

QUAKE_A = (
    "ضرب زلزال بقوة ست درجات على مقياس ريختر جنوب تركيا فجر الاثنين وأدى إلى انهيار مبان "
    "في ولاية هاتاي وقالت إدارة الكوارث التركية إن فرق الإنقاذ انتشلت عشرات الجرحى من تحت "
    "الأنقاض في أنطاكيا واسكندرون"
)
QUAKE_B = (
    "أعلنت إدارة الكوارث والطوارئ التركية أن زلزالا بلغت قوته ست درجات هز ولاية هاتاي "
    "جنوبي تركيا وأسفر عن انهيار عدد من المباني في أنطاكيا بينما تواصل فرق الإنقاذ البحث "
    "عن ناجين تحت الأنقاض"
)
QUAKE_C = (
    "ارتفع عدد ضحايا زلزال هاتاي جنوب تركيا وقالت إدارة الكوارث إن فرق الإنقاذ ما زالت "
    "تعمل في أنطاكيا واسكندرون لانتشال العالقين تحت أنقاض المباني المنهارة بعد الزلزال"
)
FINAL = (
    "توج فريق ريال مدريد بلقب دوري أبطال أوروبا لكرة القدم بعد فوزه على ليفربول بهدف "
    "دون رد في المباراة النهائية التي أقيمت على ملعب فرنسا الدولي في باريس"
)


def write_records(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """``rows``: (source, url key, title, text, published ISO) → one import record each."""
    with path.open("w", encoding="utf-8") as fh:
        for source, key, title, text, published in rows:
            record = {
                "source": source,
                "url": f"https://{key}.example/news",
                "title": title,
                "text": text,
                "published": published,
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
