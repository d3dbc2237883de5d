"""The search query language (khabar.search.query): every construct, every error."""

from __future__ import annotations

from datetime import date

import pytest

from khabar.errors import InvalidInputError
from khabar.search import analyze
from khabar.search.query import (
    MAX_ITEMS,
    MAX_QUERY_LENGTH,
    InvalidQueryError,
    ParsedQuery,
    Phrase,
    QueryFilters,
    parse_query,
    source_matches,
)


def one(word: str) -> str:
    """The single analyzed term of ``word`` (whatever the analyzer of the day does)."""
    terms = analyze(word)
    assert len(terms) == 1, terms
    return terms[0]


def test_words_are_analyzed_and_all_required() -> None:
    q = parse_query("القاهرة  مُحَمَّدٌ")
    assert q.terms == (one("القاهرة"), one("محمد"))
    assert q.terms == parse_query("القاهره محمد").terms
    assert (q.phrases, q.prefixes, q.alternatives, q.exclusions) == ((), (), (), ())
    assert q.filters == QueryFilters() and q.sort == "relevance" and q.warnings == ()
    assert q.has_match and not q.is_empty and q.text == "القاهرة  مُحَمَّدٌ"


def test_repeated_words_count_once() -> None:
    assert parse_query("النفط النفط").terms == (one("النفط"),)


@pytest.mark.parametrize("quoted", ['"أسعار النفط"', "«أسعار النفط»", "“أسعار النفط”"])
def test_phrases_in_any_quote_style(quoted: str) -> None:
    q = parse_query(f"{quoted} مصر")
    assert q.phrases == (Phrase((one("أسعار"), one("النفط"))),)
    assert q.terms == (one("مصر"),)


def test_a_one_word_phrase_is_a_word_and_star_inside_a_phrase_is_text() -> None:
    assert parse_query('"النفط"').terms == (one("النفط"),)
    assert parse_query('"النف*"').prefixes == ()


def test_a_word_the_analyzer_splits_is_a_phrase() -> None:
    q = parse_query("covid-19")
    assert q.terms == () and q.phrases == (Phrase(tuple(analyze("covid-19"))),)


def test_or_makes_a_group_of_alternatives() -> None:
    q = parse_query('مصر النفط OR "الغاز الطبيعي" OR طاق* تونس')
    assert q.terms == (one("مصر"), one("تونس"))
    assert q.alternatives == (
        (
            Phrase((one("النفط"),)),
            Phrase((one("الغاز"), one("الطبيعي"))),
            Phrase((one("طاق"),), prefix=True),
        ),
    )


def test_or_between_the_same_word_is_one_word() -> None:
    q = parse_query("النفط OR النفط")
    assert q.alternatives == () and q.terms == (one("النفط"),)


def test_lowercase_or_and_and_are_words_uppercase_and_is_ignored() -> None:
    assert parse_query("cats or dogs").terms == ("cats", "or", "dogs")
    assert parse_query("cats AND dogs").terms == ("cats", "dogs")


def test_exclusions() -> None:
    q = parse_query('النفط -مصر -"الغاز الطبيعي" -طاق*')
    assert q.terms == (one("النفط"),)
    assert q.exclusions == (
        Phrase((one("مصر"),)),
        Phrase((one("الغاز"), one("الطبيعي"))),
        Phrase((one("طاق"),), prefix=True),
    )


def test_only_exclusions_is_an_empty_query() -> None:
    q = parse_query("-مصر")
    assert not q.has_match and q.is_empty


def test_prefix() -> None:
    q = parse_query("اقتصا*")
    assert q.prefixes == (Phrase((one("اقتصا"),), prefix=True),)
    assert parse_query("prices**").prefixes == (Phrase(("prices",), prefix=True),)


@pytest.mark.parametrize("text", ["-", "*", "- * -", "()", "؟!", "NEAR(", "   "])
def test_punctuation_alone_is_lenient(text: str) -> None:
    q = parse_query(text)
    assert not q.phrases and not q.alternatives and not q.exclusions
    assert q.terms in ((), ("near",))


def test_source_and_lang_filters_collect_several_values() -> None:
    q = parse_query('source:الجزيرة source:"بي بي سي" مصدر:3 lang:AR lang:en النفط')
    assert q.filters.sources == ("الجزيرة", "بي بي سي", "3")
    assert q.filters.languages == ("ar", "en")
    assert q.terms == (one("النفط"),) and q.filters.active


def test_filters_alone_are_not_empty() -> None:
    assert not parse_query("lang:ar").is_empty
    assert parse_query("lang:ar").has_match is False


def test_dates_are_whole_days_and_accept_arabic_digits() -> None:
    q = parse_query("from:2024-03-01 to:٢٠٢٤-٠٣-٠٥")
    assert (q.filters.date_from, q.filters.date_to) == (date(2024, 3, 1), date(2024, 3, 5))
    same_day = parse_query("from:2024-03-01 to:2024-03-01").filters
    assert same_day.date_from == same_day.date_to


def test_arabic_filter_names() -> None:
    q = parse_query("مصدر:الجزيرة لغة:ar من:2024-01-01 إلى:2024-02-01 ترتيب:الأحدث قسم:رياضة")
    assert q.filters.sources == ("الجزيرة",) and q.filters.languages == ("ar",)
    assert q.filters.date_from == date(2024, 1, 1) and q.filters.date_to == date(2024, 2, 1)
    assert q.sort == "date" and q.filters.sections == ("sports",)


def test_sections_by_key_or_arabic_name() -> None:
    q = parse_query("section:sport section:رياضة قسم:الاقتصاد section:Politics كرة")
    assert q.filters.sections == ("sports", "economy", "politics")
    assert q.warnings == ()
    assert QueryFilters(sections=("sports",)).active


def test_unknown_section_is_ignored_with_a_note() -> None:
    q = parse_query("section:weather كرة")
    assert q.filters.sections == ()
    assert [n.code for n in q.warnings] == ["section_unknown"]
    assert "section" in str(q.warnings[0]) and q.warnings[0].message_ar


def test_sort_in_the_query_and_as_a_parameter() -> None:
    assert parse_query("النفط").sort == "relevance"
    assert parse_query("النفط sort:date").sort == "date"
    assert parse_query("sort:newest النفط").sort == "date"
    assert parse_query("النفط", sort="date").sort == "date"
    assert parse_query("النفط sort:date", sort="relevance").sort == "relevance"


@pytest.mark.parametrize(
    "text",
    ["عاجل: انفجار", "Breaking: news", "من: القاهرة", "10:30", "https://example.com/a"],
)
def test_colons_in_ordinary_text_are_words(text: str) -> None:
    q = parse_query(text)
    assert q.filters == QueryFilters()
    assert q.has_match or text.startswith("https")  # the analyzer may drop URLs


@pytest.mark.parametrize("text", ["قال «نحن هنا", "“النفط", "source:«الجزيرة النفط"])
def test_unpaired_typographic_quotes_are_punctuation(text: str) -> None:
    q = parse_query(text)
    assert q.terms and not q.phrases
    assert q.filters.sources in ((), ("الجزيرة",))


def test_too_many_items_keeps_the_first_with_a_warning() -> None:
    words = [f"w{n}" for n in range(MAX_ITEMS + 5)]
    q = parse_query(" ".join(words))
    assert q.terms == tuple(words[:MAX_ITEMS])
    assert [n.code for n in q.warnings] == ["too_many_items"]


def test_highlight_terms() -> None:
    q = parse_query('النفط "أسعار الغاز" مصر OR تونس اقتص* -ليبيا')
    expected = {one(w) for w in ("النفط", "أسعار", "الغاز", "مصر", "تونس")}
    assert q.highlight_terms() == expected
    assert q.highlight_prefixes() == (one("اقتص"),)


def test_parsed_query_is_frozen() -> None:
    q = parse_query("النفط")
    with pytest.raises(AttributeError):
        q.sort = "date"  # type: ignore[misc]
    assert isinstance(q, ParsedQuery)


# --- errors ------------------------------------------------------------------------------

ERRORS = [
    ('النفط "أسعار', "unclosed_quote", 7, "Unclosed quote at character 7"),
    ('«أسعار" النفط', "unclosed_quote", 7, 'close the phrase with "'),
    ('source:"الجزيرة', "unclosed_quote", 8, "Unclosed quote"),
    ("OR", "lone_or", 1, "OR at character 1 needs a word on each side"),
    ("النفط OR", "lone_or", 7, "needs a word on each side"),
    ("OR النفط", "lone_or", 1, "needs a word on each side"),
    ("النفط OR OR مصر", "lone_or", 7, "needs a word"),
    ("AND OR NOT", "lone_or", 5, "needs a word"),
    ("النفط OR -مصر", "or_operand", 7, "not -"),
    ("-مصر OR النفط", "or_operand", 6, "not -"),
    ("النفط OR lang:ar", "or_operand", 7, "not lang:"),
    ("foo:bar", "unknown_filter", 1, "Unknown filter foo: at character 1"),
    ("النفط site:x.com", "unknown_filter", 7, "use source:"),
    ("source:", "missing_value", 1, "source: at character 1 needs a value"),
    ("النفط lang: ar", "missing_value", 7, "needs a value"),
    ('source:""', "missing_value", 1, "needs a value"),
    ("from:2024-13-01", "bad_date", 1, "Bad date 2024-13-01 at character 1"),
    ("to:yesterday", "bad_date", 1, "YYYY-MM-DD"),
    ("from:2024-02-30", "bad_date", 1, "Bad date"),
    ("from:2024-03-02 to:2024-03-01", "date_range", 1, "(2024-03-02) at character 1 is after"),
    ("lang:arabic", "bad_language", 1, "Bad language code arabic"),
    ("lang:a1", "bad_language", 1, "Bad language code"),
    ("sort:best", "bad_sort", 1, "Bad sort best at character 1"),
    ("sort:date sort:date", "duplicate_filter", 11, "sort: at character 11 is given twice"),
    ("from:2024-01-01 from:2024-01-02", "duplicate_filter", 17, "from: at character 17"),
    ("-source:x", "negated_filter", 1, "cannot be excluded"),
    ("ا*", "short_prefix", 1, "too short"),
    ("النفط -x*", "short_prefix", 8, "The prefix x* at character 8"),
    ("x" * (MAX_QUERY_LENGTH + 1), "too_long", 0, "too long (501 characters"),
]


@pytest.mark.parametrize(("text", "code", "position", "message"), ERRORS)
def test_errors_name_the_problem_and_position(
    text: str, code: str, position: int, message: str
) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        parse_query(text)
    exc = caught.value
    assert isinstance(exc, InvalidInputError)
    assert (exc.code, exc.position) == (code, position)
    assert message in exc.message_en and message in str(exc)
    assert exc.message_ar and exc.message_ar != exc.message_en
    if position:
        assert str(position) in exc.message_ar


def test_every_error_code_is_tested() -> None:
    from khabar.search.query import _MESSAGES

    tested = {code for _, code, _, _ in ERRORS} | {"bad_sort_param", "too_slow"}
    assert tested == set(_MESSAGES)


def test_bad_sort_parameter() -> None:
    with pytest.raises(InvalidQueryError, match="Bad sort newest-first: use relevance"):
        parse_query("النفط", sort="newest-first")


def test_long_detail_is_shortened_in_messages() -> None:
    with pytest.raises(InvalidQueryError) as caught:
        parse_query("from:" + "9" * 100)
    assert len(caught.value.message_en) < 140


# --- source matching ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("7", True),
        ("8", False),
        ("الجزيره", True),
        ("aljazeera", True),
        ("AlJazeera", True),
        ("bbc", False),
        (" ", False),
    ],
)
def test_source_matches(fragment: str, expected: bool) -> None:
    names = ("https://www.aljazeera.net/rss", "الجزيرة نت", None)
    assert source_matches(fragment, 7, names) is expected
