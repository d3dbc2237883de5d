"""Pure presentation helpers for the Arabic interface: digits, plurals, times, cursors.

Nothing here touches the request, the service or the clock: callers pass ``now`` and the
reader's time zone, so every function is tested with plain values.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hijridate import Gregorian

from khabar.errors import InvalidInputError
from khabar.feeds.text import html_to_text
from khabar.types import Article

__all__ = [
    "ARTICLES",
    "DAYS",
    "ERRORS",
    "HOURS",
    "MINUTES",
    "MONTHS",
    "RESULTS",
    "SOURCES",
    "YEARS",
    "PluralForms",
    "absolute_time",
    "arabic_count",
    "arabic_day",
    "arabic_digits",
    "decode_cursor",
    "encode_cursor",
    "hijri_date",
    "iso_utc",
    "lead_text",
    "plural_category",
    "reader_zone",
    "relative_time",
    "safe_url",
]

_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

_MONTH_NAMES = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip


class PluralForms(NamedTuple):
    """The six Arabic plural forms of one noun; ``{n}`` is replaced by the count.

    Categories follow CLDR: zero (0), one (1), two (2), few (n % 100 in 3..10),
    many (n % 100 in 11..99), other (100, 101, 102, 200 …).
    """

    zero: str
    one: str
    two: str
    few: str
    many: str
    other: str


ARTICLES = PluralForms("لا مقالات", "مقال واحد", "مقالان", "{n} مقالات", "{n} مقالاً", "{n} مقال")
SOURCES = PluralForms("لا مصادر", "مصدر واحد", "مصدران", "{n} مصادر", "{n} مصدراً", "{n} مصدر")
RESULTS = PluralForms("لا نتائج", "نتيجة واحدة", "نتيجتان", "{n} نتائج", "{n} نتيجة", "{n} نتيجة")
ERRORS = PluralForms("لا أخطاء", "خطأ واحد", "خطآن", "{n} أخطاء", "{n} خطأً", "{n} خطأ")
MINUTES = PluralForms("{n} دقيقة", "دقيقة", "دقيقتين", "{n} دقائق", "{n} دقيقة", "{n} دقيقة")
HOURS = PluralForms("{n} ساعة", "ساعة", "ساعتين", "{n} ساعات", "{n} ساعة", "{n} ساعة")
DAYS = PluralForms("{n} يوم", "يوم", "يومين", "{n} أيام", "{n} يوماً", "{n} يوم")
MONTHS = PluralForms("{n} شهر", "شهر", "شهرين", "{n} أشهر", "{n} شهراً", "{n} شهر")
YEARS = PluralForms("{n} سنة", "سنة", "سنتين", "{n} سنوات", "{n} سنة", "{n} سنة")


def arabic_digits(value: object) -> str:
    """``str(value)`` with Western digits replaced by Arabic-Indic ones (٠١٢٣٤٥٦٧٨٩)."""
    return str(value).translate(_DIGITS)


def plural_category(n: int) -> str:
    """The CLDR Arabic plural category of ``n``: zero, one, two, few, many or other."""
    if n == 0:
        return "zero"
    if n == 1:
        return "one"
    if n == 2:
        return "two"
    rest = n % 100
    if 3 <= rest <= 10:
        return "few"
    if 11 <= rest <= 99:
        return "many"
    return "other"


def arabic_count(n: int, forms: PluralForms) -> str:
    """``n`` of a noun with the right plural form and Arabic-Indic digits ("٣ مقالات")."""
    form: str = getattr(forms, plural_category(n))
    return form.replace("{n}", arabic_digits(n))


def reader_zone(name: str) -> tzinfo:
    """The reader's time zone; UTC when the setting names an unknown zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def absolute_time(moment: datetime, zone: tzinfo) -> str:
    """A date and time in the reader's zone: "٥ مارس ٢٠٢٤، ١٤:٠٧"."""
    local = moment.astimezone(zone)
    return f"{arabic_day(local.date())}، {arabic_digits(f'{local:%H:%M}')}"


def arabic_day(day: date) -> str:
    """A calendar day: "٥ مارس ٢٠٢٤"."""
    return arabic_digits(f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}")


def hijri_date(moment: datetime, zone: tzinfo) -> str:
    """The Umm al-Qura Hijri date of the reader's day: "١٦ جمادى الآخرة ١٤٤٨ هـ"; empty
    outside the calendar's table (1924-08-01 to 2077-11-16)."""
    try:
        day = Gregorian.fromdate(moment.astimezone(zone).date()).to_hijri()
    except OverflowError:
        return ""
    return arabic_digits(f"{day.day} {day.month_name('ar')} {day.year} هـ")


def relative_time(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """How long ago ``moment`` was, in Arabic: "الآن", "منذ ٥ دقائق", "منذ ساعتين", "أمس" …"""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "الآن"
    if seconds < 3600:
        return "منذ " + arabic_count(int(seconds // 60), MINUTES)
    if seconds < 86400:
        return "منذ " + arabic_count(int(seconds // 3600), HOURS)
    days = _calendar_days(moment, now, zone)
    if days <= 1:
        return "أمس"
    if days < 30:
        return "منذ " + arabic_count(days, DAYS)
    if days < 365:
        return "منذ " + arabic_count(days // 30, MONTHS)
    return "منذ " + arabic_count(days // 365, YEARS)


def _calendar_days(moment: datetime, now: datetime, zone: tzinfo) -> int:
    then: date = moment.astimezone(zone).date()
    today: date = now.astimezone(zone).date()
    return (today - then).days


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix (safe in URLs: no ``+``)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def encode_cursor(moment: datetime, article_id: int) -> str:
    """The pagination cursor after an article: ``<iso>_<id>``."""
    return f"{iso_utc(moment)}_{article_id}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Parse ``<iso>_<id>``; a malformed cursor is :class:`InvalidInputError`."""
    moment_text, sep, id_text = cursor.strip().rpartition("_")
    if not sep or not id_text.isascii() or not id_text.isdigit():
        raise InvalidInputError(f"cursor {cursor!r}: expected <iso-datetime>_<id>")
    try:
        moment = datetime.fromisoformat(moment_text)
    except ValueError as exc:
        raise InvalidInputError(f"cursor {cursor!r}: bad date: {exc}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC), int(id_text)


def lead_text(article: Article, limit: int = 320) -> str:
    """What a list shows under a title: the summary, else the first paragraph, clipped."""
    summary = html_to_text(article.summary or "")
    text = summary or next(iter(article.paragraphs), "")
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + "…"


def safe_url(url: str | None) -> str:
    """``url`` when it is http(s), else ``#``: feeds cannot smuggle ``javascript:`` links."""
    text = (url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else "#"
