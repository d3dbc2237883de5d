"""Arabic dates: a table of real-world date strings with their expected values.

Sources of the strings (copied here so the test needs no ../shared/data):
- ANT corpus v2.1 (Apache-2.0; Chouigui, Ben Khiroun & Elayeb): ``time`` fields (RSS pubDate)
  and dates written in the ``text`` of Al Arabiya, BBC Arabic, CNN Arabic, France24 and Sky News
  Arabia articles, 2018 — typos and odd spacing (no-break spaces, "ديسمبر2015") kept as written;
- page bylines: assabah.com.tn (trafilatura's eval set) and CNN Arabic (newspaper4k test data);
- relative forms («منذ ساعتين» …), written against a fixed reference time.

``bench/arabic_dates.py`` measures dateparser on the same table.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from zoneinfo import ZoneInfo

import pytest

from khabar.arabic.dates import find_dates, parse_arabic_date

NOW = datetime(2018, 10, 20, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    text: str
    expected: str | None  # ISO 8601 in UTC; None: the text states no date
    tz: str = "UTC"  # the source's zone, used when the text names none
    now: datetime = NOW


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


CASES: list[Case] = [
    # --- ANT `time` fields: RSS pubDate as the outlets wrote it ---
    Case("Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18T17:35:43"),
    Case("Fri, 16 Feb 2018 11:20:37 GMT", "2018-02-16T11:20:37"),
    Case("Tue, 13 Feb 2018 10:22:00 +0000", "2018-02-13T10:22:00"),
    Case("Sun, 11 Feb 2018 00:18:24 GMT", "2018-02-11T00:18:24"),
    Case("Fri, 26 Jan 2018 14:49:41 GMT", "2018-01-26T14:49:41"),
    Case("Wed, 18 Jul 2018 06:35:00 GMT", "2018-07-18T06:35:00"),
    # --- ANT texts: Egyptian/Gulf month names ---
    Case("31 يوليو 2017", "2017-07-31T00:00"),
    Case("29 مارس 2019", "2019-03-29T00:00"),
    Case("5 يونيو 2017", "2017-06-05T00:00"),
    Case("27 سبتمبر 1996", "1996-09-27T00:00"),
    Case("31 ديسمبر 2020", "2020-12-31T00:00"),
    Case("10 فبراير 1940", "1940-02-10T00:00"),
    Case("10 مايو 1994", "1994-05-10T00:00"),
    Case("3 نوفمبر 2016", "2016-11-03T00:00"),
    Case("16 يناير 2018", "2018-01-16T00:00"),
    Case("26 أكتوبر 2016", "2016-10-26T00:00"),
    Case("10 أبريل 2012", "2012-04-10T00:00"),
    Case("22 أغسطس 1983", "1983-08-22T00:00"),
    Case("8 إبريل 1904", "1904-04-08T00:00"),
    Case("26 اغسطس 2018", "2018-08-26T00:00"),
    Case("14 اكتوبر 2014", "2014-10-14T00:00"),
    Case("6 أكتوبر 2018 م", "2018-10-06T00:00"),
    Case("11 يوليو 2016م", "2016-07-11T00:00"),
    Case("28 من مايو 2018", "2018-05-28T00:00"),
    Case("الجمعة 15 يونيو 2018", "2018-06-15T00:00"),
    Case("الأحد 17 مارس 2018م", "2018-03-17T00:00"),
    Case("الأحد 8 ابريل 2018", "2018-04-08T00:00"),
    Case("الجمعة 23 من مارس 2018", "2018-03-23T00:00"),
    Case("19\xa0يناير 1925", "1925-01-19T00:00"),
    Case("3\xa0من فبراير 2016", "2016-02-03T00:00"),
    Case("20 أغسطس\xa0 2018", "2018-08-20T00:00"),
    Case("11 سبتمبر\xa02001", "2001-09-11T00:00"),
    Case("الاثنين 1 أكتوبر 2018", "2018-10-01T00:00"),
    Case("14 مايو 2018م", "2018-05-14T00:00"),
    # --- ANT texts: Levantine/Iraqi names, alone and with the Egyptian name ---
    Case("15 تموز/يوليو 2016", "2016-07-15T00:00"),
    Case("8 آذار/مارس 2018", "2018-03-08T00:00"),
    Case("9 كانون الأول/ديسمبر 2017", "2017-12-09T00:00"),
    Case("25 حزيران/يونيو 2009", "2009-06-25T00:00"),
    Case("3 أيار/مايو 1930", "1930-05-03T00:00"),
    Case("5 تشرين الثاني/نوفمبر 2018", "2018-11-05T00:00", now=datetime(2018, 12, 1, tzinfo=UTC)),
    Case("7 آب/أغسطس 2018", "2018-08-07T00:00"),
    Case("11 أيلول/سبتمبر 2001", "2001-09-11T00:00"),
    Case("6 كانون الثاني/يناير 2017", "2017-01-06T00:00"),
    Case("20 نيسان/أبريل 2018", "2018-04-20T00:00"),
    Case("9 تشرين الأول/أكتوبر 2012", "2012-10-09T00:00"),
    Case("14 شباط/فبراير 2005", "2005-02-14T00:00"),
    Case("15 نيسان/إبريل 2016", "2016-04-15T00:00"),
    Case("13 آب/اغسطس 2017", "2017-08-13T00:00"),
    Case("7 نيسان 2018", "2018-04-07T00:00"),
    Case("8 كانون الثاني 2018", "2018-01-08T00:00"),
    Case("16 تموز 2016", "2016-07-16T00:00"),
    Case("20 أيلول 1990", "1990-09-20T00:00"),
    Case("19 كانون الأول/ديسمبر2015", "2015-12-19T00:00"),
    Case("24كانون الأول/ديسمبر 1944", "1944-12-24T00:00"),
    Case("29آذار/مارس2019", "2019-03-29T00:00"),
    Case("12\xa0 كانون الثاني/يناير2018", "2018-01-12T00:00"),
    Case("14 من حزيران / يونيو 1946", "1946-06-14T00:00"),
    Case("السبت 10 آذار/مارس 2018", "2018-03-10T00:00"),
    Case("الأحد 24 حزيران/يونيو 2018", "2018-06-24T00:00"),
    Case("3 حزيران/يونيو 2018م", "2018-06-03T00:00"),
    Case("31 كانون الأول/ ديسمبر 2001", "2001-12-31T00:00"),
    Case("22 نيسان/ أبريل 1988", "1988-04-22T00:00"),
    # --- ANT texts: Egyptian name first (BBC, CNN style) ---
    Case("31 مارس/آذار 2019", "2019-03-31T00:00"),
    Case("26 يوليو/تموز 2016", "2016-07-26T00:00"),
    Case("14 يونيو/حزيران 1800", "1800-06-14T00:00"),
    Case("11 سبتمبر/أيلول 2001", "2001-09-11T00:00"),
    Case("22 مايو/أيار 2017", "2017-05-22T00:00"),
    Case("22 أغسطس/آب 1799", "1799-08-22T00:00"),
    Case("20 فبراير/شباط 2018", "2018-02-20T00:00"),
    Case("16 يناير/كانون الثاني 2016", "2016-01-16T00:00"),
    Case("1 نوفمبر/تشرين الثاني 1966", "1966-11-01T00:00"),
    Case("17 سبتمبر/ أيلول 2018", "2018-09-17T00:00"),
    Case("25 يوليو / تموز 2018", "2018-07-25T00:00"),
    Case("22 من أغسطس/ آب 2018", "2018-08-22T00:00"),
    Case("8 ديسمبر/كانون الأول 2017", "2017-12-08T00:00"),
    Case("28 أكتوبر/تشرين الأول 2016", "2016-10-28T00:00"),
    Case("13 نوفمبر (تشرين الثاني) 2013", "2013-11-13T00:00"),
    Case("19 أكتوبر (تشرين الأول) 2012", "2012-10-19T00:00"),
    Case("السبت 19 يناير/كانون الثاني 2019", "2019-01-19T00:00"),
    Case("الاثنين 23 يوليو/تموز 2018", "2018-07-23T00:00"),
    Case("9 أغسطس/ آب 2018م", "2018-08-09T00:00"),
    Case("03 ابريل/نيسان 2009", "2009-04-03T00:00"),
    Case("4 مايو /أيار 2017", "2017-05-04T00:00"),
    Case("9 يونيه/حزيران 1981", "1981-06-09T00:00"),
    Case("28 سبتمبر/آب 2016", "2016-09-28T00:00"),  # names disagree: the first one wins
    # --- Maghrebi names (ANT texts, assabah.com.tn) ---
    Case("8 ماي 1945", "1945-05-08T00:00"),
    Case("24 ماي 1994", "1994-05-24T00:00"),
    Case("16 فيفري 1992", "1992-02-16T00:00"),
    Case(
        "منذ بداية الحراك الشعبي في 13 ديسمبر2018 ونحن", "2018-12-13T00:00", now=NOW.replace(2019)
    ),
    # --- Hijri (ANT texts) ---
    Case("10 شوال 1439 هـ", "2018-06-24T00:00"),
    Case("12/2/1439هـ", "2017-11-01T00:00"),
    Case("14/10/1439", "2018-06-28T00:00"),
    Case("الخميس 28 شوال", "2018-07-12T00:00", now=datetime(2018, 7, 20, tzinfo=UTC)),
    # --- numeric dates (ANT texts) ---
    Case("2018/7/11", "2018-07-11T00:00"),
    Case("14/5/2015", "2015-05-14T00:00"),
    Case("31/12/2017", "2017-12-31T00:00"),
    Case("13/06/2018م", "2018-06-13T00:00"),
    Case("1/\u200f1/\u200f2018", "2018-01-01T00:00"),
    Case("١٢/٢/٢٠١٨", "2018-02-12T00:00"),
    Case("04/08/2016م", "2016-08-04T00:00"),
    # --- dates with a clock time and zone (ANT texts) ---
    Case("الخميس 14 حزيران / يونيو في الساعة 15:00", "2018-06-14T15:00"),
    Case("الأربعاء 27 حزيران / يونيو في الساعة 00:18", "2018-06-27T00:18"),
    Case("19 مايو/ أيار الجاري الساعة 12:00 ظهرا", "2018-05-19T12:00"),
    Case("8:00 مساء الثلاثاء 20 فبراير/شباط", "2018-02-20T20:00"),
    Case("07:30 في 14 أغسطس / أب", "2018-08-14T07:30"),
    Case(
        "اليوم في تمام الساعة 18:00 بتوقيت غرينتش",
        "2018-05-08T18:00",
        tz="Asia/Riyadh",
        now=datetime(2018, 5, 8, 9, 0, tzinfo=UTC),
    ),
    Case(
        "الساعة الثالثة والنصف عصرا (20:30 بتوقيت غرينتش) اليوم الخميس",
        "2018-03-08T20:30",
        tz="America/New_York",
        now=datetime(2018, 3, 8, 22, 0, tzinfo=UTC),
    ),
    Case(
        "الساعة 8:35 مساء اليوم",
        "2018-06-10T12:35",
        tz="Asia/Singapore",
        now=datetime(2018, 6, 10, 9, 0, tzinfo=UTC),
    ),
    Case(
        "اليوم الساعة 11:19 صباحا",
        "2018-03-25T08:19",
        tz="Asia/Riyadh",
        now=datetime(2018, 3, 25, 10, 0, tzinfo=UTC),
    ),
    # --- page bylines ---
    Case("الجمعة 8 فيفري 2019", "2019-02-07T23:00", tz="Africa/Tunis"),  # assabah.com.tn
    Case("الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", "2013-08-28T10:00"),  # CNN
    # --- relative forms against NOW (2018-10-20 12:00 UTC; 15:00 in Riyadh) ---
    Case("منذ ساعتين", "2018-10-20T10:00"),
    Case("منذ 5 دقائق", "2018-10-20T11:55"),
    Case("منذ ساعة", "2018-10-20T11:00"),
    Case("منذ دقيقة", "2018-10-20T11:59"),
    Case("منذ ٣ ساعات", "2018-10-20T09:00"),
    Case("منذ ثلاث ساعات", "2018-10-20T09:00"),
    Case("قبل يومين", "2018-10-18T12:00"),
    Case("منذ 3 أيام", "2018-10-17T12:00"),
    Case("منذ أسبوع", "2018-10-13T12:00"),
    Case("أمس", "2018-10-18T21:00", tz="Asia/Riyadh"),
    Case("أمس الساعة 10:30 مساءً", "2018-10-19T19:30", tz="Asia/Riyadh"),
    Case("أول أمس", "2018-10-18T00:00"),
    Case("اليوم", "2018-10-19T21:00", tz="Asia/Riyadh"),
    # --- no date here ---
    Case("رئيسة الوزراء البريطانية تيريزا ماي", None),
    Case("منذ ثلاثين عاما", None),
    Case("منذ ساعات", None),
    Case("98 من أبريل/ نيسان 2017", None),  # BBC typo: no day 98
    Case("31 فبراير 2018", None),
    Case("وتوفي عام 683هـ.", None),
    Case("نشرت القافلة في عددها لشهر شعبان 1390هـ", None),
]


@pytest.mark.parametrize("case", CASES, ids=[c.text for c in CASES])
def test_real_world_dates(case: Case) -> None:
    parsed = parse_arabic_date(case.text, now=case.now, tz=ZoneInfo(case.tz))
    assert parsed == (_at(case.expected) if case.expected else None)


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 80


def test_results_are_aware_utc() -> None:
    parsed = parse_arabic_date("12 مايو 2024", now=NOW, tz=ZoneInfo("Asia/Riyadh"))
    assert parsed is not None and parsed.tzinfo is UTC
    assert parsed == datetime(2024, 5, 11, 21, 0, tzinfo=UTC)


def _table(name: str) -> dict[str, int]:
    text = files("khabar.data").joinpath("arabic/dates.toml").read_text("utf-8")
    table: dict[str, int] = tomllib.loads(text)[name]
    return table


@pytest.mark.parametrize("name,month", sorted(_table("gregorian_months").items()))
def test_every_gregorian_month_name(name: str, month: int) -> None:
    parsed = parse_arabic_date(f"7 {name} 2023", now=NOW)
    assert parsed == datetime(2023, month, 7, tzinfo=UTC)


@pytest.mark.parametrize("name,month", sorted(_table("hijri_months").items()))
def test_every_hijri_month_name(name: str, month: int) -> None:
    parsed = parse_arabic_date(f"7 {name} 1440 هـ", now=NOW)
    assert parsed is not None
    assert parsed == parse_arabic_date(f"7/{month}/1440", now=NOW)


@pytest.mark.parametrize(
    "text",
    ["12 أَيَّار 2024", "12 أيـــار 2024", "12 ايار 2024", "١٢ أيار ٢٠٢٤", "12 ﺃﻳﺎﺭ 2024"],
)
def test_harakat_tatweel_alef_and_digits_do_not_matter(text: str) -> None:
    assert parse_arabic_date(text, now=NOW) == datetime(2024, 5, 12, tzinfo=UTC)


def test_times_and_zones() -> None:
    riyadh = ZoneInfo("Asia/Riyadh")
    cases = {
        "12 مايو 2024 الساعة 10:30 صباحاً": datetime(2024, 5, 12, 7, 30, tzinfo=UTC),
        "12 مايو 2024 الساعة 10:30 مساءً": datetime(2024, 5, 12, 19, 30, tzinfo=UTC),
        "12 مايو 2024 - 12:15 ص": datetime(2024, 5, 11, 21, 15, tzinfo=UTC),
        "12 مايو 2024 - 4:43 م": datetime(2024, 5, 12, 13, 43, tzinfo=UTC),
        "12 مايو 2024 10:30 بتوقيت غرينتش": datetime(2024, 5, 12, 10, 30, tzinfo=UTC),
        "12 مايو 2024 10:30 بتوقيت القاهرة": datetime(2024, 5, 12, 7, 30, tzinfo=UTC),
        "12 مايو 2024 10:30 GMT+3": datetime(2024, 5, 12, 7, 30, tzinfo=UTC),
        "12 مايو 2024 10:30 (GMT)": datetime(2024, 5, 12, 10, 30, tzinfo=UTC),
        "الساعة 10:30 صباحاً، الأحد 12 مايو 2024": datetime(2024, 5, 12, 7, 30, tzinfo=UTC),
    }
    for text, expected in cases.items():
        assert parse_arabic_date(text, now=NOW, tz=riyadh) == expected, text


def test_a_missing_year_is_the_latest_one_not_after_now() -> None:
    assert parse_arabic_date("14 أكتوبر", now=NOW) == datetime(2018, 10, 14, tzinfo=UTC)
    assert parse_arabic_date("25 ديسمبر", now=NOW) == datetime(2017, 12, 25, tzinfo=UTC)


def test_gregorian_wins_over_hijri_in_the_same_text() -> None:
    text = "الأحد 10 شوال 1439 هـ الموافق 24 يونيو 2018 م"
    assert parse_arabic_date(text, now=NOW) == datetime(2018, 6, 24, tzinfo=UTC)
    assert [found.calendar for found in find_dates(text, now=NOW)] == ["hijri", "gregorian"]


def test_find_dates_returns_the_spans_as_written() -> None:
    text = "نُشر في الأحد 12 أيّار/مايو 2024 - 10:30، وعُدّل منذ ساعتين."
    found = find_dates(text, now=datetime(2024, 5, 12, 12, tzinfo=UTC))
    assert [f.text for f in found] == ["الأحد 12 أيّار/مايو 2024 - 10:30", "منذ ساعتين"]
    assert [text[f.start : f.end] for f in found] == [f.text for f in found]
    assert found[0].value == datetime(2024, 5, 12, 10, 30, tzinfo=UTC)
    assert found[1].value == datetime(2024, 5, 12, 10, 0, tzinfo=UTC)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_arabic_date("أمس", now=datetime(2024, 5, 12))
