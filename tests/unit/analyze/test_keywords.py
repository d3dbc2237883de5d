"""Keywords: 1–3 word phrases by TF-IDF over stems; punctuation, stopwords and menu words respected.

The articles are written for these tests in news style.
"""

from __future__ import annotations

import gzip

import pytest

from khabar.analyze.keywords import (
    DocFrequencies,
    Keyword,
    count_document_frequencies,
    extract_keywords,
    shipped_frequencies,
)
from khabar.arabic.stopwords import is_stopword_text
from khabar.search.analyzer import analyze

ARTICLE = (
    "أعلن البنك المركزي المصري رفع أسعار الفائدة لمواجهة التضخم. وقال البنك المركزي المصري "
    "في بيان إن التضخم السنوي ارتفع، وإن رفع أسعار الفائدة ضروري. ويرى خبراء أن التضخم "
    "سيتراجع إذا استقر سعر الجنيه، فيما رحبت البورصة المصرية بقرار البنك المركزي المصري."
)
TITLE = "المركزي المصري يرفع الفائدة لكبح التضخم"


def test_keywords_say_what_the_article_is_about() -> None:
    found = extract_keywords(TITLE, ARTICLE)
    keys = {k.key for k in found}
    assert " ".join(analyze("التضخم")) in keys
    assert any(k.phrase in ("البنك المركزي المصري", "المركزي المصري") for k in found)
    assert 1 <= len(found) <= 8
    assert all(isinstance(k, Keyword) and 1 <= len(k.phrase.split()) <= 3 for k in found)
    scores = [k.score for k in found]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_k_limits_the_number_of_keywords() -> None:
    assert len(extract_keywords(TITLE, ARTICLE, k=3)) == 3


def test_no_stopword_at_a_phrase_edge() -> None:
    for keyword in extract_keywords(TITLE, ARTICLE, k=10):
        words = keyword.phrase.split()
        assert not is_stopword_text(words[0]) and not is_stopword_text(words[-1])


def test_arabic_punctuation_breaks_phrases() -> None:
    text = "الطاقة الشمسية، المتجددة؛ الطاقة الشمسية؟ المتجددة. الطاقة الشمسية، المتجددة"
    phrases = {k.phrase for k in extract_keywords("", text, k=10)}
    assert "الطاقة الشمسية" in phrases
    assert not any("الشمسية المتجددة" in p for p in phrases)


def test_menu_and_section_words_are_never_keywords() -> None:
    text = "رياضة اقتصاد أخبار رياضة اقتصاد أخبار منوعات. فاز المنتخب الأولمبي بالميدالية."
    phrases = {k.phrase for k in extract_keywords("رياضة", text, k=10)}
    assert not phrases & {"رياضة", "اقتصاد", "أخبار", "منوعات", "الرياضة"}
    assert phrases  # the real content is still there


def test_clitics_are_not_shown_and_occurrences_merge() -> None:
    text = "والاقتصاد الرقمي ينمو. الاقتصاد الرقمي يتوسع. وللاقتصاد الرقمي مستقبل."
    found = extract_keywords("", text)
    assert found[0].phrase == "الاقتصاد الرقمي"
    assert found[0].key == " ".join(analyze("الاقتصاد الرقمي"))


def test_a_better_phrase_hides_the_words_it_contains() -> None:
    text = "أطلقت وكالة الفضاء المسبار. وكالة الفضاء أكدت نجاح المسبار. وكالة الفضاء تحتفل."
    found = extract_keywords("", text, k=10)
    keys = [k.key.split() for k in found]
    words = [w for key in keys for w in key]
    assert len(words) == len(set(words))


def test_verbs_and_pronoun_words_are_not_keywords() -> None:
    text = "يكشف التقرير تمويلها. يكشف التقرير تمويلها. يكشف التقرير تمويلها."
    phrases = {k.phrase for k in extract_keywords("", text, k=10)}
    assert phrases == {"التقرير"}


def test_a_verb_after_wa_is_no_keyword_but_a_name_after_wa_is() -> None:
    text = (
        "قرار البرلمان وتثير الخطة جدلا. ويعلن البرلمان موقفه وتثير الخطة جدلا. "
        "زار الوفد تونس وتونس بلد جميل. البرلمان وتونس."
    )
    phrases = {k.phrase for k in extract_keywords("", text, k=10)}
    assert not any(p.split()[0] in {"وتثير", "تثير", "ويعلن", "يعلن"} for p in phrases)
    assert "تونس" in phrases and "البرلمان" in phrases


def test_empty_article_has_no_keywords() -> None:
    assert extract_keywords("", "") == []
    assert extract_keywords("", "في من على إلى ، . 2024") == []


def test_document_frequencies_count_articles_and_round_trip() -> None:
    table = count_document_frequencies(["الاقتصاد ينمو", "الاقتصاد والاقتصاد", "الطقس"], min_df=2)
    stem = analyze("الاقتصاد")[0]
    assert table.n_docs == 3 and table.table == {stem: 2}
    assert table.idf("unknown") > table.idf(stem)
    again = DocFrequencies.from_text(table.to_text("note"))
    assert again.n_docs == 3 and again.table == table.table


def test_a_table_without_a_header_is_refused() -> None:
    with pytest.raises(ValueError, match="n_docs"):
        DocFrequencies.from_text("اقتصاد\t3\n")


def test_the_shipped_table_is_small_and_loads() -> None:
    table = shipped_frequencies()
    assert table.n_docs > 20_000
    assert table.df(analyze("الحكومة")[0]) > 1000
    assert len(gzip.compress(table.to_text().encode())) < 400_000


def test_a_phrase_absorbs_the_word_it_mostly_appears_in() -> None:
    # الخلية is seen 4 times, 3 of them in الخلية الإرهابية: the phrase is listed, not the word
    text = (
        "فككت الشرطة الخلية الإرهابية في طنجة. وكانت الخلية الإرهابية تخطط لهجمات. "
        "واعتقل أعضاء الخلية الإرهابية. وقالت الوزارة إن الخلية كانت نشطة."
    )
    phrases = [k.phrase for k in extract_keywords("تفكيك خلية في طنجة", text, k=10)]
    assert "الخلية الإرهابية" in phrases
    assert "الخلية" not in phrases


def test_a_word_mostly_seen_alone_is_not_absorbed() -> None:
    text = "ارتفع التضخم. التضخم مرتفع. التضخم يقلق الأسواق. التضخم السنوي بلغ ذروته."
    keys = {k.key for k in extract_keywords("", text, k=10)}
    assert " ".join(analyze("التضخم")) in keys


def test_a_name_keeps_a_first_letter_that_looks_like_a_clitic() -> None:
    # بيكر and برينان start with ب but are never written without it: shown whole
    text = "انتقل الحارس بيكر إلى ليفربول. وقال بيكر إنه سعيد. ويعد بيكر أغلى حارس. برينان انتقد."
    phrases = {k.phrase for k in extract_keywords("بيكر في ليفربول", text, k=10)}
    assert any("بيكر" in p for p in phrases)
    assert not any(p.split()[0] == "يكر" for p in phrases)


def test_a_clitic_is_dropped_when_the_article_also_writes_the_bare_word() -> None:
    text = "وقع انفجار في المصنع. وأدى الانفجار إلى حريق. تضرر الحي بانفجار ثان. انفجار جديد."
    phrases = {k.phrase for k in extract_keywords("", text, k=10)}
    assert not any(p.startswith("بانفجار") for p in phrases)


def test_a_rare_name_that_starts_like_bi_al_stays_whole() -> None:
    # بالوتا (Pallotta) is not ب + الوتا; بالمنزل is ب + المنزل (a word the corpus knows)
    text = (
        "أوقف الاتحاد جيمس بالوتا رئيس النادي. وقال بالوتا إنه سيستأنف. "
        "وعاد بالوتا إلى روما. واحتفل الأطفال بالمنزل. وبقي الجميع بالمنزل طويلا."
    )
    phrases = {k.phrase for k in extract_keywords("إيقاف بالوتا", text, k=10)}
    assert "بالوتا" in phrases and "الوتا" not in phrases
    assert "المنزل" in phrases and "بالمنزل" not in phrases


def test_headline_verbs_in_ta_are_not_keywords_but_ta_nouns_are() -> None:
    text = "بريطانيا تطرد دبلوماسيين. تطرد لندن الدبلوماسيين. تونس تتابع. تونس وتركيا والتقرير."
    phrases = {k.phrase for k in extract_keywords("بريطانيا تطرد دبلوماسيين", text, k=10)}
    assert not any("تطرد" in p for p in phrases)
    assert {"تونس", "بريطانيا"} <= phrases
