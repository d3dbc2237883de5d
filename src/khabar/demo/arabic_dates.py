"""Arabic date text as the outlets print it in bylines (month-name styles are data)."""

from __future__ import annotations

from datetime import datetime

from khabar.demo.outlets import DateStyle

__all__ = ["arabic_date"]

WEEKDAYS: tuple[str, ...] = (
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
)

GULF_MONTHS: tuple[str, ...] = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip

LEVANT_MONTHS: tuple[str, ...] = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)  # fmt: skip


def _month(style: DateStyle, month: int) -> str:
    gulf, levant = GULF_MONTHS[month - 1], LEVANT_MONTHS[month - 1]
    if style == "gulf":
        return gulf
    if style == "levant":
        return levant
    return f"{levant}/{gulf}"


def arabic_date(when: datetime, style: DateStyle, *, with_time: bool = True) -> str:
    """``الأحد 18 فبراير 2018 - 21:35`` (gulf); months ``شباط`` (levant), ``شباط/فبراير`` (dual)."""
    text = f"{WEEKDAYS[when.weekday()]} {when.day} {_month(style, when.month)} {when.year}"
    return f"{text} - {when:%H:%M}" if with_time else text
