from khabar.arabic.normalize import normalize
from khabar.arabic.stopwords import is_stopword, is_stopword_text, stopwords


def test_function_words_news_verbs_and_clitic_forms() -> None:
    for word in ["في", "فى", "إلى", "الى", "الذي", "وفي", "فإن", "قال", "وقال", "أضاف", "وأوضح"]:
        assert is_stopword_text(word), word
    for word in ["القاهرة", "غزة", "الرئيس", "كتاب"]:
        assert not is_stopword_text(word), word


def test_lookup_takes_normalized_tokens_with_or_without_ta_fold() -> None:
    assert is_stopword(normalize("هذه", "stem")) and is_stopword(normalize("هذه", "search"))
    assert all(w == normalize(w, "search") for w in stopwords())
    assert len(stopwords()) > 500
