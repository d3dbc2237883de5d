"""The demo outlets as data: names, country, sections, and where the mirror puts their feeds/pages.

Paths are relative to the outlet's root ``/<slug>/`` on the mirror. Article path patterns take
``{section}`` (the outlet's section path), ``{slug}``, ``{yyyy}``, ``{mm}``, ``{dd}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["OUTLETS", "SECTION_NAMES_AR", "Outlet", "Section", "outlet_by_slug", "outlet_for_src"]

FeedFormat = Literal["rss", "atom"]
DateStyle = Literal["gulf", "levant", "dual"]

# ANT category -> Arabic section name shown in menus, breadcrumbs and feed categories.
SECTION_NAMES_AR: dict[str, str] = {
    "middleEast": "الشرق الأوسط",
    "internationalNews": "العالم",
    "economy": "اقتصاد",
    "sport": "رياضة",
    "technology": "تكنولوجيا",
    "culture": "ثقافة وفن",
}


@dataclass(frozen=True, slots=True)
class Section:
    """One section of an outlet: the ANT category it holds and its path on the outlet's site."""

    key: str
    path: str

    @property
    def name_ar(self) -> str:
        return SECTION_NAMES_AR[self.key]


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet imitated by the mirror."""

    slug: str
    src: str
    name_ar: str
    name_en: str
    country: str
    homepage: str
    feed_format: FeedFormat
    feed_path: str
    section_feed_path: str | None
    article_path: str
    date_style: DateStyle
    color: str
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(f"{self.slug} has no section {key!r}")


def _sections(*pairs: tuple[str, str]) -> tuple[Section, ...]:
    return tuple(Section(key, path) for key, path in pairs)


OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        slug="alarabiya",
        src="alarabia",
        name_ar="العربية.نت",
        name_en="Al Arabiya",
        country="AE",
        homepage="https://www.alarabiya.net/",
        feed_format="rss",
        feed_path=".mrss/ar.xml",
        section_feed_path=None,
        article_path="ar/{section}/{yyyy}/{mm}/{dd}/{slug}.html",
        date_style="gulf",
        color="#d4a017",
        sections=_sections(
            ("internationalNews", "arab-and-world"),
            ("economy", "aswaq"),
            ("sport", "sport"),
            ("technology", "technology"),
            ("culture", "culture-and-art"),
        ),
    ),
    Outlet(
        slug="bbc",
        src="BBC",
        name_ar="بي بي سي نيوز عربي",
        name_en="BBC News Arabic",
        country="GB",
        homepage="https://www.bbc.com/arabic",
        feed_format="rss",
        feed_path="arabic/index.xml",
        section_feed_path="arabic/{section}/rss.xml",
        article_path="arabic/{section}-{slug}",
        date_style="levant",
        color="#b80000",
        sections=_sections(
            ("middleEast", "middleeast"),
            ("internationalNews", "world"),
            ("economy", "business"),
            ("technology", "science-and-tech"),
            ("culture", "art-and-culture"),
            ("sport", "sports"),
        ),
    ),
    Outlet(
        slug="cnn",
        src="CNN",
        name_ar="سي إن إن بالعربية",
        name_en="CNN Arabic",
        country="US",
        homepage="https://arabic.cnn.com/",
        feed_format="atom",
        feed_path="atom.xml",
        section_feed_path=None,
        article_path="{section}/{yyyy}/{mm}/{dd}/{slug}",
        date_style="gulf",
        color="#cc0000",
        sections=_sections(
            ("middleEast", "middle-east"),
            ("internationalNews", "world"),
            ("economy", "business"),
            ("technology", "tech"),
            ("sport", "sport"),
        ),
    ),
    Outlet(
        slug="france24",
        src="france24",
        name_ar="فرانس 24",
        name_en="France 24 Arabic",
        country="FR",
        homepage="https://www.france24.com/ar/",
        feed_format="rss",
        feed_path="ar/rss",
        section_feed_path=None,
        article_path="ar/{yyyy}{mm}{dd}-{slug}",
        date_style="dual",
        color="#00a1e4",
        sections=_sections(
            ("internationalNews", "world"),
            ("middleEast", "middle-east"),
            ("economy", "economy"),
            ("sport", "sports"),
            ("culture", "culture"),
        ),
    ),
    Outlet(
        slug="skynews",
        src="skynews",
        name_ar="سكاي نيوز عربية",
        name_en="Sky News Arabia",
        country="AE",
        homepage="https://www.skynewsarabia.com/",
        feed_format="rss",
        feed_path="rss.xml",
        section_feed_path="rss/{section}.xml",
        article_path="{section}/{slug}",
        date_style="gulf",
        color="#1a3c6e",
        sections=_sections(
            ("middleEast", "middle-east"),
            ("internationalNews", "world"),
            ("economy", "business"),
            ("sport", "sport"),
            ("technology", "technology"),
        ),
    ),
)


def outlet_by_slug(slug: str) -> Outlet:
    for outlet in OUTLETS:
        if outlet.slug == slug:
            return outlet
    raise KeyError(f"unknown demo outlet {slug!r}")


def outlet_for_src(src: str) -> Outlet:
    """The outlet for an ANT ``src`` code (``alarabia``, ``BBC``, ...)."""
    for outlet in OUTLETS:
        if outlet.src == src:
            return outlet
    raise KeyError(f"no demo outlet for ANT source {src!r}")
