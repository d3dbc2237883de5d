import pytest

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


def test_prefixes_are_marked_and_nothing_is_scanned_without_terms() -> None:
    snippet = make_snippet("Oil prices rose in Cairo", set(), prefixes=("pri",))
    assert snippet == "Oil <mark>prices</mark> rose in Cairo"
    assert make_snippet("وصل محمد إلى القاهرة", set()) == "وصل محمد إلى القاهرة"


def _walk(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """The reference: analyze every word from the start (what ``_hits`` must equal)."""
    from khabar.arabic.tokenize import WORD_PATTERN
    from khabar.search.analyzer import analyze
    from khabar.search.snippet import GIVE_UP_CHARS, MAX_HITS, SCAN_CHARS

    hits: list[tuple[int, int]] = []
    for match in WORD_PATTERN.finditer(text):
        if hits and (len(hits) >= MAX_HITS or match.start() > SCAN_CHARS):
            break
        if match.start() > GIVE_UP_CHARS:
            break
        if terms.intersection(analyze(match.group())):
            hits.append(match.span())
    return hits


@pytest.mark.parametrize(
    "text",
    [
        "بغزة غزة (غزة) «غزة» غزةغزة غزة،غزة http://x.example/غزة وغزة",
        "غزة " * 30,
        "كلمة " * 700 + "غزة " + "كلمة " * 50 + "غزة",
        "كلمة " * 4000 + "غزة",
        "غزة\nغزة\tغزة غـزة غَزَّة",
    ],
)
def test_hits_equal_a_word_by_word_walk(text: str) -> None:
    from khabar.search.snippet import _hits

    terms = set(query_terms("غزة"))
    assert _hits(text, terms, ()) == _walk(text, terms)


_SPELLINGS = (
    "قال مسؤول إن المسئولين والمسؤولية شيء شئ وشيءٌ الشىء شيئاً، وأضاف: «القاهرةُ» القاهره"
    " بالقاهـــرة والقاهرة\u200f القا\u200cهرة الإسلام الاسلام وإسلامية آسيا أسيا\xa0غزّة"
    " مُحَمَّدٌ ومحمّد لمحمد المستشفى المستشفي ومستشفيات يئن\u200bئ ٣٫٥ 1,000 covid"
)


@pytest.mark.parametrize(
    "query",
    ["مسؤول", "شيء", "القاهرة", "الإسلام", "آسيا", "غزة", "محمد", "المستشفى", "مسئولية قاهرة"],
)
def test_located_words_equal_a_word_by_word_walk(query: str) -> None:
    """The shortcut (look for the terms in the original spelling) finds exactly the words
    that the walk analyzing every word finds: hamza seats, harakat, tatweel, invisible
    marks, alef forms, ى/ي, ة/ه and no-break spaces included."""
    from khabar.search.snippet import _hits, _located

    terms = set(query_terms(query))
    assert _located(_SPELLINGS, len(_SPELLINGS), terms) is not None  # the shortcut applies
    assert _hits(_SPELLINGS, terms, ()) == _walk(_SPELLINGS, terms)
    assert _walk(_SPELLINGS, terms)  # every query marks something here


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("ارتفع ٣٫٥ و 1,000 و1000", "1000"),  # number terms: the general way
        ("Covid covid COVID", "covid"),  # Latin terms: the general way
        ("\ufefb\ufee7\ufeea القاهرة", "القاهرة"),  # presentation forms: not NFKC text
        ("ي\u0654 القاهرة", "القاهرة"),  # a composable sequence: not NFKC text
    ],
)
def test_shortcut_steps_aside_where_it_cannot_be_exact(text: str, query: str) -> None:
    from khabar.search.snippet import _hits, _located

    terms = set(query_terms(query))
    assert _located(text, len(text), terms) is None
    assert _hits(text, terms, ()) == _walk(text, terms)


def test_spellings_come_from_the_normalizer() -> None:
    from khabar.search.snippet import _spellings

    spelled, removed = _spellings()
    assert set("أإآا") <= set(spelled["ا"]) and set("ءؤئ") <= set(spelled["ء"])
    assert set("ةه") <= set(spelled["ه"]) and set("ىي") <= set(spelled["ي"])
    assert "\u0640" in removed and "\u064b" in removed and "\u200f" in removed
