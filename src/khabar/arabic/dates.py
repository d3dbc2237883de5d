"""Arabic dates in pages and feeds: written dates, Hijri dates, times and relative forms.

The vocabulary (month names of every region, Hijri months, weekdays, time-of-day words, time
zones, relative units) is data: ``khabar/data/arabic/dates.toml``. Text and table keys are both
folded with ``normalize(…, "search")`` (harakat, tatweel, alef forms, ى/ي, ة/ه, Arabic-Indic
digits), so «أيّار», «ايار» and «أيـــار» are one month.

What is understood:

- ``12 أيار/مايو 2024``, ``2 أيار (مايو) 2024``, ``الأحد، 8 فيفري 2019``, ``28 من مايو 2018م``,
  ``12/05/2024``, ``2024-05-12``; a missing year is the latest one not after ``now``;
- Hijri dates by month name or with هـ (``10 شوال 1439 هـ``), converted via Umm al-Qura;
- a clock time next to the date (``الساعة 10:30 صباحاً``, ``4:43 م``) and its zone
  (``بتوقيت مكة``, ``بتوقيت غرينتش``, ``GMT+3``, ``(GMT+0400)``); without a zone the source's
  ``tz`` is used; a date without a time is midnight in that zone;
- relative forms against ``now``: «منذ ساعتين», «منذ 5 دقائق», «قبل يومين», «أمس», «اليوم»;
- RFC 822 and ISO 8601 strings (feed ``pubDate``), when they are the whole text.

Results are aware UTC datetimes.
"""

from __future__ import annotations

import re
import tomllib
from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from importlib.resources import files
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

from hijridate import Gregorian, Hijri

from khabar.arabic.normalize import normalize

__all__ = ["Calendar", "FoundDate", "find_dates", "parse_arabic_date"]

Calendar = Literal["gregorian", "hijri", "relative", "machine"]


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in a text: the span as written, where it is, and its value (aware, UTC)."""

    text: str
    start: int
    end: int
    value: datetime
    calendar: Calendar


# --- the tables ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return normalize(text, "search")


@dataclass(frozen=True, slots=True)
class _Tables:
    months: Mapping[str, tuple[Calendar, int]]
    gregorian_names: tuple[str, ...]
    hijri_years: tuple[int, int]
    weekdays: tuple[str, ...]
    eras: Mapping[str, Calendar]
    meridiem: Mapping[str, str]
    zones: Mapping[str, str]
    relative_prefixes: tuple[str, ...]
    relative_units: Mapping[str, tuple[str, int]]
    number_words: Mapping[str, int]
    day_words: Mapping[str, int]


def _folded_keys(table: Mapping[str, Any]) -> dict[str, Any]:
    return {_fold(key): value for key, value in table.items()}


def _load_tables() -> _Tables:
    raw = tomllib.loads(files("khabar.data").joinpath("arabic/dates.toml").read_text("utf-8"))
    gregorian = _folded_keys(raw["gregorian_months"])
    hijri = _folded_keys(raw["hijri_months"])
    months: dict[str, tuple[Calendar, int]] = {k: ("gregorian", v) for k, v in gregorian.items()}
    months |= {k: ("hijri", v) for k, v in hijri.items()}
    return _Tables(
        months=months,
        gregorian_names=tuple(gregorian),
        hijri_years=(raw["hijri_years"]["first"], raw["hijri_years"]["last"]),
        weekdays=tuple(_folded_keys(raw["weekdays"])),
        eras=_folded_keys(raw["era_markers"]),
        meridiem=_folded_keys(raw["meridiem"]),
        zones=_folded_keys(raw["zones"]),
        relative_prefixes=tuple(_folded_keys(raw["relative_prefixes"])),
        relative_units={k: (v[0], v[1]) for k, v in _folded_keys(raw["relative_units"]).items()},
        number_words=_folded_keys(raw["number_words"]),
        day_words=_folded_keys(raw["day_words"]),
    )


_T: Final = _load_tables()
_UNIT_DELTAS: Final = {
    "seconds": timedelta(seconds=1),
    "minutes": timedelta(minutes=1),
    "hours": timedelta(hours=1),
    "days": timedelta(days=1),
    "weeks": timedelta(weeks=1),
    "months": timedelta(days=30),
}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any run of spaces."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


# Patterns run on folded text: no harakat, ASCII digits, lowercase Latin. The Arabic letters are
# all \w there, so _END ends a word ("ماي" does not match inside "مايو").
_END: Final = r"(?![^\W\d_])"  # not followed by a letter ("ديسمبر2015" is a month and a year)
_MONTH: Final = rf"(?:{_alternation(_T.months)}){_END}"
_NAMED_DATE: Final = re.compile(
    rf"(?:(?<!\w)(?:{_alternation(_T.weekdays)}){_END}\s*[,،]?\s*)?"
    rf"(?<![\d:/.])(?:ال)?(?P<day>\d{{1,2}})(?!\d)\s*(?:من\s+)?(?:شهر\s+)?"
    rf"(?P<month>{_MONTH})"
    rf"(?:\s*[/(]\s*(?:{_alternation(_T.gregorian_names)}){_END}\s*\)?)?"
    rf"(?:\s*[,،]?\s*(?:من\s+)?(?:عام\s+|سنه\s+)?(?P<year>\d{{4}})(?!\d))?"
    rf"(?:\s*(?P<era>{_alternation(_T.eras)}){_END})?"
)
_NUMERIC_DATE: Final = re.compile(
    rf"(?:(?<!\w)(?:{_alternation(_T.weekdays)}){_END}\s*[,،]?\s*)?"
    r"(?<![\d/.:-])(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})(?![\d/.:-])"
    rf"(?:\s*(?P<era>{_alternation(_T.eras)}){_END})?"
)
_RELATIVE: Final = re.compile(
    rf"(?<!\w)[وف]?(?:{_alternation(_T.relative_prefixes)})\s+"
    rf"(?:(?P<count>\d{{1,3}}|{_alternation(_T.number_words)})\s+)?"
    rf"(?P<unit>{_alternation(_T.relative_units)}){_END}"
)
_DAY_WORD: Final = re.compile(rf"(?<!\w)[وف]?(?P<word>{_alternation(_T.day_words)}){_END}")
_TIME: Final = re.compile(
    r"(?<![\d:.])(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?(?![\d:.])"
    rf"(?:\s*(?P<meridiem>{_alternation(_T.meridiem)}){_END})?"
)
_OFFSET: Final = r"[+-]\s*\d{1,2}(?::?\d{2})?"
_ZONE: Final = re.compile(
    rf"\(?\s*(?:(?:ب?توقيت|بالتوقيت)\s+(?P<place>{_alternation(_T.zones)}){_END}"
    rf"(?:\s*(?P<place_offset>{_OFFSET}))?"
    rf"|(?:gmt|utc)\s*(?P<offset>{_OFFSET})?|(?<!\d)(?P<bare>[+-]\d{{2}}:?\d{{2}})(?!\d))\s*\)?"
)
_TIME_WINDOW: Final = 40  # folded characters between a date and its clock time ("، آخر تحديث ")
_ZONE_WINDOW: Final = 12
_MATCH_SLACK: Final = 40  # room for the clock time or zone itself after its window
_MACHINE_ISO: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_RFC822: Final = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+\S+)?"
)


# --- public API ------------------------------------------------------------------------------


def parse_arabic_date(text: str, *, now: datetime, tz: tzinfo = UTC) -> datetime | None:
    """The date ``text`` states (aware, UTC), or None when it states none.

    ``now`` (aware) anchors relative forms and years left out; ``tz`` is the source's zone,
    used when the text names none. When a text carries a Hijri and a Gregorian date, the
    Gregorian one is returned; otherwise the first date found.
    """
    found = find_dates(text, now=now, tz=tz)
    if not found:
        return None
    gregorian = next((f for f in found if f.calendar == "gregorian"), None)
    if found[0].calendar == "hijri" and gregorian is not None:
        return gregorian.value
    return found[0].value


def find_dates(text: str, *, now: datetime, tz: tzinfo = UTC) -> list[FoundDate]:
    """Every date in ``text`` (a byline, a date element, a paragraph), in order of appearance."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    machine = _machine_date(text)
    if machine is not None:
        return [machine]
    folded, origin = _fold_with_offsets(text)
    context = _Context(folded=folded, now=now, tz=tz)
    found = [f for f in _scan(context) if f is not None]
    return [
        FoundDate(text[origin[s] : origin[e]].strip(), origin[s], origin[e], value, calendar)
        for s, e, value, calendar in _without_overlaps(found)
    ]


# --- scanning --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    folded: str
    now: datetime
    tz: tzinfo

    def today(self, zone: tzinfo | None = None) -> date:
        return self.now.astimezone(zone or self.tz).date()


_Found = tuple[int, int, datetime, Calendar]


def _scan(ctx: _Context) -> Iterable[_Found | None]:
    for match in _NAMED_DATE.finditer(ctx.folded):
        yield _named_date(ctx, match)
    for match in _NUMERIC_DATE.finditer(ctx.folded):
        yield _numeric_date(ctx, match)
    for match in _RELATIVE.finditer(ctx.folded):
        yield _relative(ctx, match)
    for match in _DAY_WORD.finditer(ctx.folded):
        yield _day_word(ctx, match)


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    kept: list[_Found] = []
    for item in sorted(found, key=lambda f: (f[0], -f[1])):
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, and for each folded index its original index.

    The extra last entry is ``len(text)``, so a folded span [s, e) is ``text[origin[s]:origin[e]]``
    (harakat and tatweel dropped by folding stay inside the span).
    """
    parts: list[str] = []
    origin: list[int] = []
    seen: dict[str, str] = {}
    for index, char in enumerate(text):
        folded = seen.get(char)
        if folded is None:
            folded = seen[char] = _fold(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    origin.append(len(text))
    return "".join(parts), origin


def _named_date(ctx: _Context, match: re.Match[str]) -> _Found | None:
    calendar, month = _T.months[re.sub(r"\s+", " ", match["month"])]
    year = int(match["year"]) if match["year"] else None
    if match["era"] and _T.eras[match["era"]] == "hijri":
        calendar = "hijri"
    day = _calendar_day(ctx, calendar, year, month, int(match["day"]))
    return None if day is None else _with_time(ctx, match, day, calendar)


def _numeric_date(ctx: _Context, match: re.Match[str]) -> _Found | None:
    a, b, c = match["a"], match["b"], match["c"]
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    elif len(c) == 4:
        year, month, day = int(c), int(b), int(a)
        if month > 12 >= day:  # m/d/y written the American way
            month, day = day, month
    else:
        return None
    era = _T.eras.get(match["era"] or "")
    first, last = _T.hijri_years
    calendar: Calendar = "hijri" if era == "hijri" or first <= year <= last else "gregorian"
    found = _calendar_day(ctx, calendar, year, month, day)
    return None if found is None else _with_time(ctx, match, found, calendar)


def _calendar_day(
    ctx: _Context, calendar: Calendar, year: int | None, month: int, day: int
) -> date | None:
    if calendar == "hijri":
        return _hijri_day(ctx, year, month, day)
    if year is None:
        year = _latest_year(ctx.today(), month, day)
    if not (1 <= month <= 12 and 1 <= day <= monthrange(year, month)[1]):
        return None
    return date(year, month, day)


def _latest_year(today: date, month: int, day: int) -> int:
    """The year of (month, day) closest before ``today`` (a day of slack for time zones)."""
    return today.year if (month, day) <= (today.month, today.day + 1) else today.year - 1


def _hijri_day(ctx: _Context, year: int | None, month: int, day: int) -> date | None:
    if year is None:
        today = Gregorian.fromdate(ctx.today()).to_hijri()
        year = today.year if (month, day) <= (today.month, today.day + 1) else today.year - 1
    first, last = _T.hijri_years
    if not (first <= year <= last and 1 <= month <= 12 and 1 <= day <= 30):
        return None  # outside the Umm al-Qura table hijridate converts
    if day > Hijri(year, month, 1).month_length():
        return None
    gregorian = Hijri(year, month, day).to_gregorian()
    return date(gregorian.year, gregorian.month, gregorian.day)


def _relative(ctx: _Context, match: re.Match[str]) -> _Found | None:
    unit, implied = _T.relative_units[match["unit"]]
    count_text = match["count"]
    if count_text:
        count = int(count_text) if count_text.isdigit() else _T.number_words[count_text]
    else:
        count = implied
    if count == 0:
        return None  # «منذ ساعات»: some hours, no date
    value = ctx.now.astimezone(UTC) - count * _UNIT_DELTAS[unit]
    return match.start(), match.end(), value, "relative"


def _day_word(ctx: _Context, match: re.Match[str]) -> _Found | None:
    days_back = _T.day_words[re.sub(r"\s+", " ", match["word"])]
    found = _with_time(ctx, match, ctx.today() - timedelta(days=days_back), "relative")
    return found


# --- time of day and zone --------------------------------------------------------------------


def _with_time(ctx: _Context, match: re.Match[str], day: date, calendar: Calendar) -> _Found:
    """The date in ``match`` at the clock time and zone written next to it (else midnight, tz)."""
    start, end = match.start(), match.end()
    clock = _clock_after(ctx.folded, end) or _clock_before(ctx.folded, start)
    when = _clock(clock) if clock else None
    zone_from = end
    if clock is not None and when is not None:
        start, end, zone_from = min(start, clock.start()), max(end, clock.end()), clock.end()
    zone, zone_end = _zone_near(ctx.folded, zone_from)
    local = datetime.combine(day, when or time(), tzinfo=zone or ctx.tz)
    return start, max(end, zone_end), local.astimezone(UTC), calendar


def _zone_near(folded: str, position: int) -> tuple[tzinfo | None, int]:
    found = _ZONE.search(folded, position, position + _ZONE_WINDOW + _MATCH_SLACK)
    if found is None or found.start() > position + _ZONE_WINDOW:
        return None, position
    zone = _zone(found)
    return (zone, found.end()) if zone else (None, position)


def _clock_after(folded: str, end: int) -> re.Match[str] | None:
    clock = _TIME.search(folded, end, end + _TIME_WINDOW + _MATCH_SLACK)
    if clock is None or clock.start() > end + _TIME_WINDOW:
        return None
    return clock if _belongs(folded[end : clock.start()]) else None


def _clock_before(folded: str, start: int) -> re.Match[str] | None:
    """A clock time written before the date («الساعة 10:30 صباحاً، الأحد 12 مايو»)."""
    clocks = list(_TIME.finditer(folded, max(0, start - _TIME_WINDOW), start))
    return clocks[-1] if clocks and _belongs(folded[clocks[-1].end() : start]) else None


def _belongs(gap: str) -> bool:
    """A clock time belongs to a date when no other number stands between them."""
    return not any(char.isdigit() for char in gap)


def _clock(match: re.Match[str]) -> time | None:
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    hour = _twenty_four_hour(hour, _T.meridiem.get(match["meridiem"] or ""))
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _twenty_four_hour(hour: int, meridiem: str | None) -> int:
    if meridiem == "am":
        return 0 if hour == 12 else hour
    if meridiem == "pm" and hour < 12:
        return hour + 12
    if meridiem == "noon" and hour < 11:
        return hour + 12
    if meridiem == "night" and 6 <= hour < 12:
        return hour + 12
    return hour


def _zone(match: re.Match[str]) -> tzinfo | None:
    if match["place"]:
        place = ZoneInfo(_T.zones[re.sub(r"\s+", " ", match["place"])])
        return _offset(match["place_offset"]) if match["place_offset"] else place
    if match["bare"]:
        return _offset(match["bare"])
    return _offset(match["offset"]) if match["offset"] else UTC


def _offset(text: str) -> tzinfo | None:
    sign = -1 if text.lstrip().startswith("-") else 1
    digits = re.sub(r"[^\d]", "", text)
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


# --- machine formats -------------------------------------------------------------------------


def _machine_date(text: str) -> FoundDate | None:
    """RFC 822 (``Sun, 18 Feb 2018 21:35:43 +0400``) or ISO 8601, when it is the whole text."""
    stripped = text.strip()
    value = _iso_date(stripped) or _rfc822_date(stripped)
    if value is None:
        return None
    start = text.index(stripped)
    return FoundDate(stripped, start, start + len(stripped), value, "machine")


def _iso_date(text: str) -> datetime | None:
    if _MACHINE_ISO.fullmatch(text) is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None  # shaped like ISO 8601 but out of range (month 13): not a date
    return _utc(parsed)


def _rfc822_date(text: str) -> datetime | None:
    if _RFC822.fullmatch(text) is None:
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except ValueError:
        return None  # RFC 822 shape with impossible values
    return _utc(parsed)


def _utc(parsed: datetime) -> datetime | None:
    """``parsed`` in UTC; None when that falls outside the calendar (9999-12-31T23:59-05:00)."""
    try:
        return parsed.replace(tzinfo=parsed.tzinfo or UTC).astimezone(UTC)
    except OverflowError:
        return None
