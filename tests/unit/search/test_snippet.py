from khabar.search import make_snippet, query_terms


def test_snippet_marks_original_spelling_with_harakat() -> None:
    text = "وصل مُحَمَّدٌ إلى القاهرة <b>أمس</b>"
    snippet = make_snippet(text, set(query_terms("محمد القاهره")))
    assert "<mark>مُحَمَّدٌ</mark>" in snippet and "<mark>القاهرة</mark>" in snippet
    assert "&lt;b&gt;" in snippet


def test_snippet_marks_clitic_forms_digits_and_tanween() -> None:
    text = "وللرئيس هاتفاً جديداً ارتفع ٣٫٥٪ #غزة"
    snippet = make_snippet(text, set(query_terms("الرئيس هاتف 3.5 غزة")))
    for word in ["وللرئيس", "هاتفاً", "٣٫٥", "غزة"]:
        assert f"<mark>{word}</mark>" in snippet, word


def test_snippet_without_hits_is_the_start_of_the_text() -> None:
    assert make_snippet("نص " * 200, {"قاهر"}, width=20).endswith("…")
    assert "<mark>" not in make_snippet("نص قصير", {"قاهر"})


def test_long_texts_are_not_scanned_to_the_end() -> None:
    from khabar.search.snippet import GIVE_UP_CHARS

    filler = "كلمة عادية " * (GIVE_UP_CHARS // 10)
    snippet = make_snippet(filler + " القاهرة", set(query_terms("القاهرة")))
    assert "<mark>" not in snippet and snippet.startswith("كلمة عادية")
    early = make_snippet("زار القاهرة اليوم " + filler + " القاهرة", set(query_terms("القاهرة")))
    assert early.count("<mark>") == 1
