"""Variant recall: every spelling of a word finds the others; unrelated words stay apart.

Words are real news vocabulary (ANT corpus titles and leads). A pair hits when every query
term is among the document's analyzed terms — exactly what the FTS5 query (every term
required) asks of the index.

Measured on this table (150 pairs, 24 negative pairs), every row after the same normalizer
and tokenizer:

| stemmer                                      | variant hits | negative merges |
|----------------------------------------------|--------------|-----------------|
| Khabar light stemmer (khabar.arabic.stem)    | 150 / 150    | 0 / 24          |
| Snowball Arabic (PyStemmer 3.1.0)            | 117 / 150    | 3 / 24          |
| no stemming                                  |  97 / 150    | 0 / 24          |

Snowball misses chains (والمدرسة → والمدرس), treats ة and ه differently (القاهرة → قاهر but
القاهره → قاهره), strips root letters (فلسطين → لسط, وزارة → زار, فريق → ريق) and so merges
وزير/زير, بيان/يان, فريق/ريق.

(``test_snowball_comparison`` recomputes the Snowball row when PyStemmer is installed.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.search import analyze, query_terms
from khabar.storage import open_storage
from khabar.types import ArticleDraft, NewSource

# (category, query, document text)
VARIANTS: list[tuple[str, str, str]] = [
    # hamza and alef forms
    ("alef", "إيران", "ايران"),
    ("alef", "ايران", "إيران"),
    ("alef", "الأمريكي", "الامريكي"),
    ("alef", "أمريكا", "امريكا"),
    ("alef", "أعلن", "اعلن"),
    ("alef", "إطلاق", "اطلاق"),
    ("alef", "الإسلامية", "الاسلامية"),
    ("alef", "آلاف", "الاف"),
    ("alef", "أسعار", "اسعار"),
    ("alef", "ألمانيا", "المانيا"),
    ("alef", "الأردن", "الاردن"),
    ("alef", "أفريقيا", "افريقيا"),
    ("alef", "إنجلترا", "انجلترا"),
    ("alef", "الإنترنت", "الانترنت"),
    ("alef", "أبطال", "ابطال"),
    ("alef", "الأمير", "الامير"),
    ("alef", "إصابة", "اصابة"),
    ("alef", "القرآن", "القران"),
    ("alef", "الله", "ٱلله"),
    ("alef", "إسرائيل", "اسرائيل"),
    ("hamza", "مسؤول", "مسئول"),
    ("hamza", "المسؤولين", "المسئولين"),
    ("hamza", "شؤون", "شئون"),
    ("hamza", "شيء", "شئ"),
    ("hamza", "الشاطئ", "الشاطىء"),
    ("hamza", "هيئة", "هيئه"),
    ("hamza", "الرئيس", "الرئيس"),
    ("hamza", "مسؤولية", "مسئولية"),
    # ta marbuta and ha
    ("ta", "القاهرة", "القاهره"),
    ("ta", "القاهره", "القاهرة"),
    ("ta", "منظمة", "منظمه"),
    ("ta", "حكومة", "حكومه"),
    ("ta", "الهيئة", "الهيئه"),
    ("ta", "شركة", "شركه"),
    ("ta", "مدينة", "مدينه"),
    ("ta", "العاصمة", "العاصمه"),
    ("ta", "كرة", "كره"),
    ("ta", "صحيفة", "صحيفه"),
    ("ta", "المرحلة", "المرحله"),
    ("ta", "الدوله", "الدولة"),
    ("ta", "قمة", "قمه"),
    ("ta", "جلسة", "جلسه"),
    ("ta", "الشرطة", "الشرطه"),
    ("ta", "علاقه", "لا علاقة له"),
    # alef maqsura and ya
    ("ya", "مصطفى", "مصطفي"),
    ("ya", "إلى", "الي"),
    ("ya", "على", "علي"),
    ("ya", "المستشفى", "المستشفي"),
    ("ya", "موسى", "موسي"),
    ("ya", "الأولى", "الاولي"),
    ("ya", "الكبرى", "الكبري"),
    ("ya", "أخرى", "اخري"),
    ("ya", "مستوى", "مستوي"),
    ("ya", "في", "فى"),
    ("ya", "الذي", "الذى"),
    ("ya", "يحيى", "يحيي"),
    ("ya", "عيسى", "عيسي"),
    # harakat (with and without)
    ("harakat", "محمد", "مُحَمَّدٌ"),
    ("harakat", "مُحَمَّد", "محمد"),
    ("harakat", "الرئيس", "الرَّئِيسُ"),
    ("harakat", "القدس", "القُدْس"),
    ("harakat", "السلام", "السَّلامُ"),
    ("harakat", "كتاب", "كِتَابٌ"),
    ("harakat", "مدرسة", "مَدْرَسَةٌ"),
    ("harakat", "الحكومة", "الحُكُومَةِ"),
    ("harakat", "غزة", "غَزَّة"),
    ("harakat", "مؤتمر صحفي", "مُؤْتَمَرٍ صَحَفِيٍّ"),
    ("harakat", "العَالَم", "العالم"),
    # tatweel and invisible characters
    ("tatweel", "السلام", "الســـلام"),
    ("tatweel", "فلسطين", "فلـسطين"),
    ("tatweel", "الله", "اللـه"),
    ("tatweel", "مصر", "مـصر"),
    ("tatweel", "القاهرة", "القـاهرة"),
    ("tatweel", "جديد", "جديـــد"),
    ("invisible", "مرحبا", "مرح\u200cبا"),
    ("invisible", "فلسطين", "\u200fفلسطين\u200e"),
    ("presentation", "لا", "ﻻ"),
    ("presentation", "الله", "ﷲ"),
    # proclitic chains
    ("clitic", "المدرسة", "والمدرسة"),
    ("clitic", "القاهرة", "فبالقاهرة"),
    ("clitic", "الرئيس", "وللرئيس"),
    ("clitic", "الرئيس", "للرئيس"),
    ("clitic", "الولايات", "والولايات"),
    ("clitic", "الصين", "والصين"),
    ("clitic", "الإمارات", "والإمارات"),
    ("clitic", "السعودية", "والسعودية"),
    ("clitic", "التنمية", "والتنمية"),
    ("clitic", "الاتحاد", "والاتحاد"),
    ("clitic", "مدينة", "بمدينة"),
    ("clitic", "شركة", "لشركة"),
    ("clitic", "الحكومة", "بالحكومة"),
    ("clitic", "المحكمة", "فالمحكمة"),
    ("clitic", "العادة", "كالعادة"),
    ("clitic", "العاصمة", "وبالعاصمة"),
    ("clitic", "مصر", "ومصر"),
    ("clitic", "مصر", "بمصر"),
    ("clitic", "مصر", "لمصر"),
    ("clitic", "غزة", "وغزة"),
    ("clitic", "غزة", "بغزة"),
    ("clitic", "قطر", "وقطر"),
    ("clitic", "تونس", "وتونس"),
    ("clitic", "دمشق", "ودمشق"),
    ("clitic", "موسكو", "بموسكو"),
    ("clitic", "لندن", "ولندن"),
    ("clitic", "لبنان", "ولبنان"),
    ("clitic", "فرنسا", "وفرنسا"),
    ("clitic", "فلسطين", "وفلسطين"),
    ("clitic", "وزير", "والوزير"),
    ("clitic", "الوزير", "ووزير"),
    ("clitic", "وزارة", "الوزارة"),
    ("clitic", "بيان", "وبيان"),
    ("clitic", "البيان", "بالبيان"),
    ("clitic", "كتاب", "بكتاب"),
    ("clitic", "الكتاب", "وللكتاب"),
    ("clitic", "اللجنة", "للجنة"),
    ("clitic", "لجنة", "وللجنة"),
    ("clitic", "الفريق", "وفريق"),
    ("clitic", "فريق", "والفريق"),
    ("clitic", "وكالة", "الوكالة"),
    ("clitic", "فيلم", "بالفيلم"),
    ("clitic", "قال", "وقال"),
    ("clitic", "الأسلحة", "وبالأسلحة"),
    # tanween endings
    ("tanween", "هاتف", "هاتفاً"),
    ("tanween", "هاتف", "هاتفا"),
    ("tanween", "عام", "عاماً"),
    ("tanween", "أيضا", "أيضاً"),
    ("tanween", "وفقا", "وفقاً"),
    ("tanween", "مشيرا", "مشيراً"),
    ("tanween", "جديد", "جديداً"),
    ("tanween", "كبير", "كبيرًا"),
    ("tanween", "رسميا", "رسمياً"),
    ("tanween", "حاليا", "حالياً"),
    ("tanween", "اتفاق", "اتفاقاً"),
    ("tanween", "قرار", "قراراً"),
    ("tanween", "هدف", "هدفاً"),
    # digits and decimal separators
    ("digits", "2024", "٢٠٢٤"),
    ("digits", "٢٠٢٤", "2024"),
    ("digits", "1403", "۱۴۰۳"),
    ("digits", "3.5", "٣٫٥"),
    ("digits", "٣٫٥", "3.5"),
    ("digits", "1000", "١٬٠٠٠"),
    ("digits", "1,000", "١٬٠٠٠"),
    ("digits", "١٠", "10"),
    ("digits", "2018", "٢٠١٨م"),
    ("digits", "25 يناير", "٢٥ يناير"),
    # hashtags and several words at once
    ("hashtag", "غزة", "#غزة"),
    ("hashtag", "الحلاني", "#عاصي_الحلاني"),
    ("phrase", "إلى القاهرة", "الي القاهره"),
    ("phrase", "الأمم المتحدة", "الامم المتحده"),
    ("phrase", "وزير الخارجية الأمريكي", "وَزِيرُ الخَارِجِيَّةِ الأَمْرِيكِيِّ"),
]

# Pairs of distinct words that must never match each other (either direction).
NEGATIVES: list[tuple[str, str]] = [
    ("كتاب", "مكتب"),
    ("كتاب", "كاتب"),
    ("مكتب", "كاتب"),
    ("كاتب", "مكاتب"),
    ("علم", "عالم"),
    ("علم", "معلم"),
    ("عالم", "معلم"),
    ("درس", "دراسة"),
    ("عمل", "عامل"),
    ("عمل", "معمل"),
    ("جامعة", "مجتمع"),
    ("ملك", "مملكة"),
    ("حكم", "حكومة"),
    ("سلام", "إسلام"),
    ("وزارة", "زيارة"),
    ("وزير", "زير"),
    ("فلسطين", "فلس"),
    ("قانون", "قانع"),
    ("لبنان", "لبن"),
    ("بيان", "يان"),
    ("كانت", "أنت"),
    ("مصر", "مصير"),
    ("قال", "مقال"),
    ("فريق", "ريق"),
]


def _hits(query: str, doc: str) -> bool:
    return set(query_terms(query)) <= set(analyze(doc))


def test_tables_are_big_enough() -> None:
    assert len(VARIANTS) >= 100
    assert len({(q, d) for _, q, d in VARIANTS}) == len(VARIANTS)


@pytest.mark.parametrize(("category", "query", "doc"), VARIANTS)
def test_variant_hits(category: str, query: str, doc: str) -> None:
    assert query_terms(query), category
    assert _hits(query, doc), (category, query_terms(query), analyze(doc))


@pytest.mark.parametrize(("a", "b"), NEGATIVES)
def test_unrelated_words_stay_apart(a: str, b: str) -> None:
    assert not _hits(a, b) and not _hits(b, a), (analyze(a), analyze(b))


def test_snowball_comparison() -> None:
    """Recompute the Snowball row of the module docstring (needs PyStemmer, a dev tool)."""
    stemmer_module = pytest.importorskip("Stemmer")
    from khabar.arabic.normalize import fold_after_stem, normalize
    from khabar.arabic.tokenize import tokenize

    snowball = stemmer_module.Stemmer("arabic")

    def terms(text: str) -> set[str]:
        words = tokenize(normalize(text, "stem"))
        return {fold_after_stem(snowball.stemWord(w)) for w in words}

    hits = sum(terms(q) <= terms(d) for _, q, d in VARIANTS)
    merges = sum(terms(a) <= terms(b) or terms(b) <= terms(a) for a, b in NEGATIVES)
    assert (hits, merges) == (117, 3)


END_TO_END = [v for v in VARIANTS if v[0] in {"alef", "clitic", "digits", "tanween"}][::3]


@pytest.mark.parametrize("engine", ["fts5", "tantivy"])
def test_variants_found_through_sqlite_search(tmp_path: Path, engine: str) -> None:
    """A subset through the real index: one article per document, searched by its query."""
    storage = open_storage(f"sqlite:///{tmp_path}/k.db", search_engine=engine)
    try:
        source = storage.add_source(NewSource(url="https://example.com/feed"))
        ids = {}
        for i, (_, query, doc) in enumerate(END_TO_END):
            draft = ArticleDraft(
                source_id=source.id,
                key=f"a{i}",
                url=f"https://example.com/a{i}",
                title=f"خبر {i}",
                text=doc,
            )
            ids[query, doc] = storage.upsert_article(draft).article.id
        storage.search.update()
        for (query, doc), article_id in ids.items():
            found = [h.article.id for h in storage.search.search(query, limit=100).hits]
            assert article_id in found, (query, doc)
    finally:
        storage.close()
