"""Real-looking Arabic news texts about a few events, and a JSON lines writer for them.

Written for these tests (an earthquake reported by several outlets in different words, and
an unrelated football final), so that story and copy decisions have something to decide; and
three reports naming Erdogan in two spellings, with an older unrelated one (entity pages,
trending).
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = [
    "ERDOGAN",
    "ERDOGAN_2",
    "ERDOGAN_3",
    "ERDOGAN_ROWS",
    "FINAL",
    "QUAKE_A",
    "QUAKE_B",
    "QUAKE_C",
    "RIYADH",
    "write_records",
]

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


ERDOGAN = (
    "قال الرئيس التركي رجب طيب أردوغان في أنقرة إن بلاده ستواصل دعم جهود السلام في سوريا "
    "وأضاف أردوغان خلال مؤتمر صحفي مع الأمين العام للأمم المتحدة أن الحل السياسي هو الطريق الوحيد"
)
ERDOGAN_2 = (
    "التقى الرئيس رجب طيب إردوغان وزير الخارجية الروسي سيرغي لافروف في إسطنبول وبحث الجانبان "
    "الوضع في سوريا والعلاقات الثنائية بين تركيا وروسيا في مجالات الطاقة والتجارة"
)
ERDOGAN_3 = (
    "أعلن الرئيس التركي رجب طيب أردوغان من إسطنبول خطة لدعم الاقتصاد التركي وخفض التضخم "
    "وقال أردوغان إن الحكومة ستطلق برنامجا للاستثمار في البنية التحتية خلال العام المقبل"
)
RIYADH = (
    "أكد وزير الخارجية السعودي في الرياض أن المملكة تدعم استقرار المنطقة وأن التعاون مع "
    "الدول الشقيقة مستمر في مجالات الأمن والاقتصاد والطاقة"
)

ERDOGAN_ROWS = [
    ("الشرق", "o1", "الرياض تدعم استقرار المنطقة", RIYADH, "2024-05-01T10:00Z"),
    ("العربية", "e1", "أردوغان: الحل في سوريا سياسي", ERDOGAN, "2024-05-06T08:00Z"),
    ("بي بي سي", "e2", "إردوغان يلتقي لافروف", ERDOGAN_2, "2024-05-06T09:00Z"),
    ("سكاي نيوز", "e3", "أردوغان يعلن خطة اقتصادية", ERDOGAN_3, "2024-05-06T11:00Z"),
]
"""One older Riyadh report, then Erdogan named by three outlets within three hours (one story),
as :func:`write_records` rows."""


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
