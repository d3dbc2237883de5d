"""The constructed Arabic page set: real ANT article texts in realistic page furniture.

Texts come from ``ant_texts.jsonl.gz`` beside this file: 500 ANT corpus v2.1 articles
(Apache-2.0), a frozen copy of the demo corpus as it was when this set was built, so the pages
(and the floors measured on them) stay the same when the demo picks other articles. Each
article is wrapped in one of the templates below; the furniture each template adds is drawn
from the corpus too (other articles' titles and texts), so the ground truth — body paragraphs,
attribution, tags, read-also (with glued text), related, embeds — is known by construction.
Templates imitate layouts seen on Arabic sites: WordPress news themes (Jannah,
Newspaper/tagDiv), aggregators with tag spam and glued read-also articles (wrapped and not),
agency wire pages with datelines, outlets with embedded tweets/YouTube/Instagram/Facebook posts,
a table-based portal and a Blogger-style portal with spelling variants of the markers.

    .venv/bin/python bench/arabic_pages/build.py OUT_DIR   # writes NN_template.html + truth.jsonl
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

from khabar.demo.corpus import DemoArticle, read_corpus_file
from khabar.extract.rules import Rules, fold, load_rules, marker_kind

PAGES_PER_TEMPLATE = 6
MIN_PARAGRAPH = 40
"""Corpus texts with shorter lines (credit lines, sub-headings) are left out: unsure truth."""
BASE = "https://news.example"
TEXTS = Path(__file__).resolve().parent / "ant_texts.jsonl.gz"


@dataclass(frozen=True, slots=True)
class Truth:
    title: str
    paragraphs: tuple[str, ...]
    attribution: str | None = None
    tags: tuple[str, ...] = ()
    read_also: tuple[tuple[str, str | None], ...] = ()
    glued_text: str = ""
    related: tuple[tuple[str, str | None], ...] = ()
    embeds: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class ArabicPage:
    name: str
    template: str
    url: str
    html: str
    truth: Truth


@dataclass(slots=True)
class _Context:
    """What a template renders, and the truth it builds while doing so."""

    article: DemoArticle
    others: list[DemoArticle]
    index: int
    url: str
    menu: tuple[str, ...] = ("الرئيسية", "أخبار", "سياسة", "اقتصاد", "رياضة", "فن", "تكنولوجيا")
    truth: dict[str, object] = field(default_factory=dict)

    def link(self, other: DemoArticle) -> tuple[str, str]:
        return " ".join(other.title.split()), f"{BASE}/news/{other.slug}"

    def links(self, start: int, count: int) -> list[tuple[str, str]]:
        return [self.link(o) for o in self.others[start : start + count]]


AGENCIES = (
    ("عربي21", "عربي21"),
    ("الأناضول", "الأناضول"),
    ("وكالة الأنباء الكويتية (كونا)", "وكالة الأنباء الكويتية"),
    ("رويترز", "رويترز"),
    ("وكالة الصحافة الفرنسية", "وكالة الصحافة الفرنسية"),
    ("سكاي نيوز عربية", "سكاي نيوز عربية"),
)
DATELINES = (
    ("الرياض", "واس", "وكالة الأنباء السعودية"),
    ("الكويت", "كونا", "وكالة الأنباء الكويتية"),
    ("أبوظبي", "وام", "وكالة أنباء الإمارات"),
    ("الدوحة", "قنا", "وكالة الأنباء القطرية"),
    ("القاهرة", "أ ش أ", "وكالة أنباء الشرق الأوسط"),
    ("عمّان", "بترا", "وكالة الأنباء الأردنية"),
)
_TAG_STRIP = "\"'«»“”‘’،,.:؛;!؟?()[]{}-–—_/#|"


def true_tags(article: DemoArticle, menu: tuple[str, ...]) -> list[str]:
    """Long words of the title that are not navigation words (the page's real tags)."""
    rules = load_rules()
    navigation = rules.sections | {fold(m) for m in menu}
    tags: list[str] = []
    for word in article.title.split():
        word = word.strip(_TAG_STRIP)
        key = fold(word)
        bare = key[2:] if key.startswith("ال") else key
        fits = len(word) >= 5 and key not in navigation and bare not in navigation
        if fits and word not in tags:
            tags.append(word)
        if len(tags) == 3:
            break
    return tags


def _p(paragraphs: list[str] | tuple[str, ...]) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _nav(menu: tuple[str, ...], css: str = "main-menu") -> str:
    items = "".join(f'<li><a href="{BASE}/c/{i}">{escape(m)}</a></li>' for i, m in enumerate(menu))
    return f'<nav class="{css}"><ul>{items}</ul></nav>'


def _head(title: str, keywords: list[str] | None = None) -> str:
    meta = f'<meta name="keywords" content="{escape("، ".join(keywords))}">' if keywords else ""
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | موقع الأخبار</title>{meta}"
        f'<meta property="og:title" content="{escape(title)}"></head>'
    )


def _footer() -> str:
    return (
        '<footer class="site-footer"><div class="follow">تابعونا على: '
        '<a href="https://facebook.com/x">فيسبوك</a> <a href="https://twitter.com/x">تويتر</a>'
        "</div><p>جميع الحقوق محفوظة © 2018</p></footer></body></html>"
    )


def _tweet(ctx: _Context, other: DemoArticle) -> tuple[str, tuple[str, str]]:
    handle = f"news_{ctx.index % 7}"
    url = f"https://twitter.com/{handle}/status/98{ctx.index:05d}1234"
    text = other.paragraphs[0][:180]
    html = (
        f'<blockquote class="twitter-tweet" data-lang="ar"><p lang="ar" dir="rtl">'
        f'{escape(text)} <a href="https://t.co/x{ctx.index}">pic.twitter.com/x{ctx.index}</a></p>'
        f"&mdash; حساب الأخبار (@{handle}) "
        f'<a href="{url}?ref_src=twsrc%5Etfw">March {1 + ctx.index % 27}, 2018</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )
    return html, ("tweet", url)


def _youtube(ctx: _Context) -> tuple[str, tuple[str, str]]:
    video = f"vid{ctx.index:04d}abcd"
    html = (
        f'<iframe width="560" height="315" src="https://www.youtube.com/embed/{video}?rel=0" '
        'title="YouTube video player" frameborder="0" allowfullscreen></iframe>'
    )
    return html, ("youtube", f"https://www.youtube.com/watch?v={video}")


def _instagram(ctx: _Context) -> tuple[str, tuple[str, str]]:
    url = f"https://www.instagram.com/p/Bh{ctx.index:04d}xyz/"
    html = (
        f'<blockquote class="instagram-media" data-instgrm-permalink="{url}?utm_source=ig_embed"'
        f' data-instgrm-version="14"><div><a href="{url}?utm_source=ig_embed">'
        "شاهد هذا المنشور على Instagram</a><p>"
        f'<a href="{url}">منشور مشترك من قبل نجوم (@stars_{ctx.index})</a></p></div></blockquote>'
    )
    return html, ("instagram", url)


def _facebook(ctx: _Context) -> tuple[str, tuple[str, str]]:
    url = f"https://www.facebook.com/newspage/posts/{1000 + ctx.index}"
    html = f'<div class="fb-post" data-href="{url}" data-width="500"></div>'
    return html, ("facebook", url)


# --- templates ---------------------------------------------------------------------------


def wp_jannah(ctx: _Context) -> str:
    """WordPress (Jannah-like): inline read-also paragraph, source line, tag cloud, related."""
    a = ctx.article
    paras = list(a.paragraphs)
    written, canonical = AGENCIES[ctx.index % len(AGENCIES)]
    read_also = ctx.links(0, 1)
    related = ctx.links(1, 4)
    tags = true_tags(a, ctx.menu)
    tag_line = [ctx.menu[2], *tags, ctx.menu[1]]
    ctx.truth.update(
        paragraphs=tuple(paras), attribution=canonical, tags=tuple(tags),
        read_also=tuple(read_also), related=tuple(related),
    )  # fmt: skip
    inline = (
        f'<p><strong>اقرأ أيضا:</strong> <a href="{read_also[0][1]}">'
        f"{escape(read_also[0][0])}</a></p>"
    )
    tag_links = "".join(
        f'<a href="{BASE}/tag/{escape(t)}" rel="tag">{escape(t)}</a>' for t in tag_line
    )
    rel = "".join(
        f'<div class="related-item"><h3 class="post-title"><a href="{u}">{escape(t)}</a></h3>'
        '<span class="date">منذ يومين</span></div>'
        for t, u in related
    )
    return (
        _head(a.title) + '<body class="post-template-default single">'
        f'<header id="theme-header">{_nav(ctx.menu, "main-menu-wrapper")}</header>'
        '<div id="main-content"><article class="post-content container-wrapper">'
        f'<h1 class="post-title entry-title">{escape(a.title)}</h1>'
        '<div class="post-meta"><span class="author">فريق التحرير</span></div>'
        f'<div class="entry-content entry clearfix">{_p(paras[:2])}{inline}{_p(paras[2:])}'
        f"<p>المصدر: {escape(written)}</p></div>"
        f'<div class="post-bottom-meta"><div class="tagcloud"><span class="post-cat">الوسوم</span>'
        f"{tag_links}</div></div></article>"
        f'<div id="related-posts" class="container-wrapper"><div class="mag-box-title">'
        f"<h3>مقالات ذات صلة</h3></div>{rel}</div></div>" + _footer()
    )


def wp_tagdiv(ctx: _Context) -> str:
    """WordPress (Newspaper/tagDiv-like): agency dateline, embedded tweet, td-tags, related."""
    a = ctx.article
    city, short, canonical = DATELINES[ctx.index % len(DATELINES)]
    paras = list(a.paragraphs)
    paras[0] = f"{city} ({short}) - {paras[0]}"
    tweet, embed = _tweet(ctx, ctx.others[5])
    related = ctx.links(0, 3)
    tags = true_tags(a, ctx.menu)
    ctx.truth.update(
        paragraphs=tuple(paras), attribution=canonical, tags=tuple(tags),
        related=tuple(related), embeds=(embed,),
    )  # fmt: skip
    tag_items = "".join(
        f'<li><a href="{BASE}/tag/{i}">{escape(t)}</a></li>' for i, t in enumerate(tags)
    )
    rel = "".join(
        f'<div class="td_module_related_posts"><h3 class="entry-title td-module-title">'
        f'<a href="{u}" rel="bookmark">{escape(t)}</a></h3></div>'
        for t, u in related
    )
    return (
        _head(a.title) + '<body class="single td-standard-pack">'
        f'<div class="td-header-wrap">{_nav(ctx.menu, "td-header-menu-wrap")}</div>'
        '<div class="td-post-header"><ul class="td-category"><li class="entry-category">'
        f'<a href="{BASE}/c/2">{escape(ctx.menu[2])}</a></li></ul>'
        f'<h1 class="entry-title">{escape(a.title)}</h1></div>'
        f'<div class="td-post-content tagdiv-type">{_p(paras[:2])}{tweet}{_p(paras[2:])}</div>'
        '<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix">'
        f"<li><span>الوسوم</span></li>{tag_items}</ul></div></footer>"
        '<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title">'
        f'<a href="#" class="td-related-left">قد يعجبك أيضاً</a></h4>{rel}</div>' + _footer()
    )


def aggregator_glued(ctx: _Context) -> str:
    """Aggregator: tag spam with menu words, credit line, read-also article glued in the body."""
    a = ctx.article
    glued = ctx.others[0]
    related = ctx.links(1, 5)
    tags = true_tags(a, ctx.menu)
    spam = [ctx.menu[1], ctx.menu[3], *tags[:1], ctx.menu[1], ctx.menu[4], *tags[1:], ctx.menu[3]]
    ctx.truth.update(
        paragraphs=tuple(a.paragraphs), attribution="وكالة الأنباء الكويتية", tags=tuple(tags),
        read_also=((" ".join(glued.title.split()), None),),
        glued_text="\n\n".join(glued.paragraphs),
        related=tuple(related),
    )  # fmt: skip
    spam_links = " ".join(f'<a href="{BASE}/search?q={escape(t)}">{escape(t)}</a>' for t in spam)
    most = "".join(f'<li><a href="{u}">{escape(t)}</a></li>' for t, u in related)
    return (
        _head(a.title) + "<body>"
        f'<div id="top">{_nav(ctx.menu)}</div><div class="wrap"><div class="main">'
        f'<h1 class="news-title">{escape(a.title)}</h1><div class="news-source">'
        f'<img src="{BASE}/logo.png" alt=""> مصدر الخبر: موقع الأخبار</div>'
        f'<div class="news-body">{_p(a.paragraphs)}'
        "<p>نقلاً عن وكالة الأنباء الكويتية (كونا)</p>"
        f"<p><strong>إقرأ أيضاً:</strong></p><h3>{escape(glued.title)}</h3>{_p(glued.paragraphs)}"
        f'</div><div class="keywords">كلمات دلالية: {spam_links}</div></div>'
        f'<div class="sidebar"><div class="box"><h2>الأكثر قراءة</h2><ul>{most}</ul></div></div>'
        "</div>" + _footer()
    )


def aggregator_boxed(ctx: _Context) -> str:
    """Aggregator: a wrapped read-also box carrying another article, plain-text keywords."""
    a = ctx.article
    glued = ctx.others[0]
    related = ctx.links(1, 4)
    tags = true_tags(a, ctx.menu)
    line = "، ".join([ctx.menu[3], *tags, ctx.menu[3]])
    ctx.truth.update(
        paragraphs=tuple(a.paragraphs), attribution="الأناضول", tags=tuple(tags),
        read_also=(ctx.link(glued),), glued_text="\n\n".join(glued.paragraphs),
        related=tuple(related),
    )  # fmt: skip
    t, u = ctx.link(glued)
    rel = "".join(f'<li><a href="{u2}">{escape(t2)}</a></li>' for t2, u2 in related)
    return (
        _head(a.title) + '<body class="node-article">'
        f"<header>{_nav(ctx.menu)}</header><main>"
        f'<div class="article"><h1>{escape(a.title)}</h1>'
        f'<div class="field-body">{_p(a.paragraphs)}<p>المصدر : الأناضول</p></div>'
        f'<div class="field-keywords">الكلمات المفتاحية: {escape(line)}</div></div>'
        f'<div class="read-more-box"><div class="box-title">اقرأ ايضا</div>'
        f'<h4><a href="{u}">{escape(t)}</a></h4>{_p(glued.paragraphs)}</div>'
        f'<section class="related"><h2>مواضيع ذات صلة</h2><ul>{rel}</ul></section>'
        "</main>" + _footer()
    )


def agency_wire(ctx: _Context) -> str:
    """Agency wire page: dateline with the agency's abbreviation, "أخبار ذات صلة" table."""
    a = ctx.article
    city, short, canonical = DATELINES[(ctx.index + 1) % len(DATELINES)]
    paras = list(a.paragraphs)
    paras[0] = f"{city} - {1 + ctx.index % 28} - 4 ({short}) -- {paras[0]}"
    related = ctx.links(0, 4)
    ctx.truth.update(paragraphs=tuple(paras), attribution=canonical, related=tuple(related))
    rows = "".join(f'<tr><td><a href="{u}">{escape(t)}</a></td></tr>' for t, u in related)
    return (
        _head(a.title)
        + '<body><table width="100%"><tr><td class="menu">'
        + " | ".join(f'<a href="{BASE}/c/{i}">{escape(m)}</a>' for i, m in enumerate(ctx.menu))
        + f'</td></tr><tr><td class="newsTitle"><h2>{escape(a.title)}</h2></td></tr>'
        f'<tr><td class="newsText">{_p(paras)}</td></tr>'
        '<tr><td><table class="relatedNews"><tr><th>أخبار ذات صلة</th></tr>'
        f"{rows}</table></td></tr>"
        '<tr><td class="print"><a href="#">طباعة</a> <a href="#">أرسل لصديق</a></td></tr>'
        "</table>" + _footer()
    )


def outlet_media(ctx: _Context) -> str:
    """Outlet with a tweet and a YouTube video, a CNN-style dateline, aside lists."""
    a = ctx.article
    paras = list(a.paragraphs)
    paras[0] = f"بيروت، لبنان (CNN) -- {paras[0]}"
    tweet, tweet_embed = _tweet(ctx, ctx.others[6])
    video, video_embed = _youtube(ctx)
    read_also = ctx.links(0, 3)
    related = ctx.links(3, 4)
    ctx.truth.update(
        paragraphs=tuple(paras), attribution="سي إن إن", read_also=tuple(read_also),
        related=tuple(related), embeds=(video_embed, tweet_embed),
    )  # fmt: skip
    ra = "".join(f'<li><a href="{u}">{escape(t)}</a></li>' for t, u in read_also)
    rel = "".join(f'<li><a href="{u}">{escape(t)}</a></li>' for t, u in related)
    mid = len(paras) // 2
    return (
        _head(a.title) + '<body class="article-page">'
        f'<header class="site-header">{_nav(ctx.menu)}</header><article>'
        f'<h1 class="headline">{escape(a.title)}</h1><div class="article-body">'
        f'{_p(paras[:1])}<div class="video-embed">{video}</div>{_p(paras[1:mid])}'
        f'<div class="social-embed">{tweet}</div>{_p(paras[mid:])}</div>'
        f'<aside class="read-also"><h3>إقرأ أيضاً</h3><ul>{ra}</ul></aside></article>'
        f'<aside class="most-viewed"><h2>الأكثر مشاهدة</h2><ol>{rel}</ol></aside>' + _footer()
    )


def outlet_social(ctx: _Context) -> str:
    """Outlet with Instagram and Facebook posts, inline "بحسب ما أوردت" credit, meta tags."""
    a = ctx.article
    paras = list(a.paragraphs)
    paras[-1] = f"{paras[-1]} بحسب ما أوردت صحيفة الشرق الأوسط."
    insta, insta_embed = _instagram(ctx)
    fb, fb_embed = _facebook(ctx)
    related = ctx.links(0, 3)
    tags = true_tags(a, ctx.menu)
    ctx.truth.update(
        paragraphs=tuple(paras), attribution="الشرق الأوسط", tags=tuple(tags),
        related=tuple(related), embeds=(insta_embed, fb_embed),
    )  # fmt: skip
    rel = "".join(
        f'<div class="card"><a href="{u}"><h4>{escape(t)}</h4></a></div>' for t, u in related
    )
    tag_links = "".join(
        f'<a class="tag" href="{BASE}/t/{escape(t)}">#{escape(t)}</a> ' for t in tags
    )
    return (
        _head(a.title, [ctx.menu[5], *tags]) + "<body>"
        f'<header>{_nav(ctx.menu, "navbar")}</header><div class="container"><div class="post">'
        f'<h1>{escape(a.title)}</h1><div class="post-body">{_p(paras[:1])}{insta}'
        f"{_p(paras[1:-1])}{fb}{_p(paras[-1:])}</div>"
        f'<div class="post-tags"><span>وسوم:</span> {tag_links}</div></div>'
        f'<div class="similar"><h3>مواضيع مشابهة</h3>{rel}</div></div>' + _footer()
    )


def portal_variants(ctx: _Context) -> str:
    """Blogger-style portal: marker spelling variants, credit in brackets, "ذات صلة" list."""
    a = ctx.article
    paras = list(a.paragraphs)
    read_also = ctx.links(0, 2)
    related = ctx.links(2, 3)
    tags = true_tags(a, ctx.menu)
    ctx.truth.update(
        paragraphs=tuple(paras), attribution="رويترز", tags=tuple(tags),
        read_also=tuple(read_also), related=tuple(related),
    )  # fmt: skip
    heading = ("اقرا ايضا", "إقرأ أيضاً", "طالع أيضا")[ctx.index % 3]
    ra = "".join(f'<li><a href="{u}">{escape(t)}</a></li>' for t, u in read_also)
    rel = "".join(f'<li><a href="{u}">{escape(t)}</a></li>' for t, u in related)
    labels = "".join(
        f'<a href="{BASE}/search/label/{escape(t)}" rel="tag">{escape(t)}</a>، '
        for t in [ctx.menu[1], *tags]
    )
    mid = max(1, len(paras) // 2)
    return (
        _head(a.title) + '<body class="blogger"><div class="header">'
        f'{_nav(ctx.menu, "PageList")}</div><div class="main-wrapper"><div class="post hentry">'
        f'<h3 class="post-title entry-title">{escape(a.title)}</h3>'
        f'<div class="post-body entry-content">{_p(paras[:mid])}'
        f'<div class="related-inline"><b>{heading}</b><ul>{ra}</ul></div>{_p(paras[mid:])}'
        "<p>(رويترز)</p></div>"
        f'<div class="post-footer"><span class="post-labels">التسميات: {labels}</span>'
        f'<div class="post-labels-2">الوسوم {labels}</div></div></div>'
        f'<div class="related-posts"><h2>ذات صلة</h2><ul>{rel}</ul></div></div>' + _footer()
    )


TEMPLATES: dict[str, Callable[[_Context], str]] = {
    "wp_jannah": wp_jannah,
    "wp_tagdiv": wp_tagdiv,
    "aggregator_glued": aggregator_glued,
    "aggregator_boxed": aggregator_boxed,
    "agency_wire": agency_wire,
    "outlet_media": outlet_media,
    "outlet_social": outlet_social,
    "portal_variants": portal_variants,
}


def _opens_with_marker(paragraph: str, rules: Rules) -> bool:
    """Corpus texts that carry their own "اقرأ أيضاً" lines are left out: unknown truth."""
    return marker_kind(fold(paragraph).split()[:6], rules) is not None


def build_pages(per_template: int = PAGES_PER_TEMPLATE) -> list[ArabicPage]:
    """The page set, deterministic: article i of the corpus (stride 7) per page."""
    rules = load_rules()
    corpus = [
        a
        for a in read_corpus_file(TEXTS)
        if len(a.paragraphs) >= 3
        and not any(_opens_with_marker(p, rules) or len(p) < MIN_PARAGRAPH for p in a.paragraphs)
    ]
    pages = []
    for t, (name, template) in enumerate(TEMPLATES.items()):
        for n in range(per_template):
            index = t * per_template + n
            article = corpus[(index * 7) % len(corpus)]
            others = [corpus[(index * 7 + 3 + k * 11) % len(corpus)] for k in range(8)]
            url = f"{BASE}/news/{article.slug}"
            ctx = _Context(article=article, others=others, index=index, url=url)
            html = template(ctx)
            truth = Truth(title=article.title, **ctx.truth)  # type: ignore[arg-type]
            pages.append(ArabicPage(f"{index:02d}_{name}", name, url, html, truth))
    return pages


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    with (out / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for page in build_pages():
            (out / f"{page.name}.html").write_text(page.html, encoding="utf-8")
            record = {"name": page.name, "url": page.url, **asdict(page.truth)}
            truth.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
