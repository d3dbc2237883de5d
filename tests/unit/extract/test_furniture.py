"""Read-also, related, tags and embeds from constructed Arabic pages; none of it in the text."""

from __future__ import annotations

from datetime import date

from khabar.extract import extract_article

URL = "https://news.example/news/a1"
P1 = "افتتح وزير الصحة اليوم مستشفى جديداً في مدينة الرياض بطاقة استيعابية تبلغ خمسمئة سرير."
P2 = "وقال الوزير في كلمة ألقاها خلال حفل الافتتاح إن المستشفى سيخدم أكثر من مليون نسمة."
P3 = "وأضاف أن الوزارة تعتزم افتتاح ثلاثة مستشفيات أخرى قبل نهاية العام الجاري في مناطق أخرى."
OTHER = (
    "أعلنت الحكومة اليوم عن إطلاق برنامج وطني لدعم المشاريع الصغيرة والمتوسطة في جميع المناطق.",
    "ويهدف البرنامج إلى توفير التمويل والتدريب لأكثر من عشرة آلاف رائد أعمال خلال عامين.",
)
MENU = "".join(
    f'<li><a href="/c/{i}">{m}</a></li>' for i, m in enumerate(["الرئيسية", "صحة", "اقتصاد"])
)


def page(body: str, after: str = "") -> str:
    return (
        '<html lang="ar"><head><title>مستشفى جديد</title></head><body>'
        f'<nav><ul>{MENU}</ul></nav><article><h1>مستشفى جديد</h1><div class="content">'
        f"{body}</div>{after}</article></body></html>"
    )


def test_inline_read_also_and_related_lists() -> None:
    html = page(
        f"<p>{P1}</p><p><strong>إقرأ أيضاً:</strong> <a href='/n/2'>عنوان مقال آخر</a></p>"
        f"<p>{P2}</p><p>{P3}</p>",
        "<div class='rel'><h3>مقالات مشابهة</h3><ul><li><a href='/n/3'>عنوان أول</a></li>"
        "<li><a href='/n/4'>عنوان ثان</a></li></ul></div>",
    )
    article = extract_article(html, URL)
    assert article.paragraphs == (P1, P2, P3)
    assert [(link.title, link.url) for link in article.read_also] == [
        ("عنوان مقال آخر", "https://news.example/n/2")
    ]
    assert [link.title for link in article.related] == ["عنوان أول", "عنوان ثان"]


def test_glued_read_also_article_is_not_in_the_text() -> None:
    glued = "".join(f"<p>{p}</p>" for p in OTHER)
    html = page(
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p><b>اقرا ايضا</b></p><h3>برنامج وطني</h3>{glued}"
    )
    article = extract_article(html, URL)
    assert article.paragraphs == (P1, P2, P3)
    (item,) = article.read_also
    assert item.title == "برنامج وطني"
    assert item.text == "\n\n".join(OTHER)


def test_headlines_after_read_also_then_the_article_goes_on() -> None:
    html = page(
        f"<p>{P1}</p><p>اقرأ أيضاً:</p><p>عنوان أول</p><p>عنوان ثان</p><p>{P2}</p><p>{P3}</p>"
    )
    article = extract_article(html, URL)
    assert article.paragraphs == (P1, P2, P3)
    assert [link.title for link in article.read_also] == ["عنوان أول", "عنوان ثان"]


def test_tags_lose_menu_and_section_words_and_repeats() -> None:
    tags = ["صحة", "مستشفيات", "الرئيسية", "وزارة الصحة", "اقتصاد", "مستشفيات", "رياضة"]
    links = "".join(f'<a href="/tag/{i}">{t}</a>' for i, t in enumerate(tags))
    html = page(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>", f'<div class="tags">الوسوم: {links}</div>')
    article = extract_article(html, URL)
    assert article.tags == ("مستشفيات", "وزارة الصحة")
    assert article.paragraphs == (P1, P2, P3)


def test_embeds_are_structured_and_out_of_the_text() -> None:
    tweet = (
        '<blockquote class="twitter-tweet" data-lang="ar"><p lang="ar" dir="rtl">'
        "نص التغريدة عن المستشفى الجديد</p>&mdash; وزارة الصحة (@SaudiMOH) "
        '<a href="https://twitter.com/SaudiMOH/status/123456789?ref_src=twsrc">March 5, 2018</a>'
        "</blockquote>"
    )
    video = '<iframe src="https://www.youtube.com/embed/abcDEF12345" title="افتتاح"></iframe>'
    insta = (
        '<blockquote class="instagram-media" data-instgrm-permalink='
        '"https://www.instagram.com/p/Bh1xyz/?utm_source=ig_embed"><p>منشور (@moh)</p></blockquote>'
    )
    facebook = '<div class="fb-post" data-href="https://www.facebook.com/moh/posts/42"></div>'
    html = page(f"<p>{P1}</p>{tweet}<p>{P2}</p>{video}{insta}<p>{P3}</p>{facebook}")
    article = extract_article(html, URL)
    assert article.paragraphs == (P1, P2, P3)
    kinds = [(e.kind, e.url) for e in article.embeds]
    assert kinds == [
        ("tweet", "https://twitter.com/SaudiMOH/status/123456789"),
        ("youtube", "https://www.youtube.com/watch?v=abcDEF12345"),
        ("instagram", "https://www.instagram.com/p/Bh1xyz/"),
        ("facebook", "https://www.facebook.com/moh/posts/42"),
    ]
    tweet_embed = article.embeds[0]
    assert tweet_embed.text == "نص التغريدة عن المستشفى الجديد"
    assert tweet_embed.author == "SaudiMOH"
    assert tweet_embed.published == date(2018, 3, 5)
    assert tweet_embed.language == "ar"


def test_source_line_is_attribution_not_text() -> None:
    html = page(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>المصدر: عربي21</p>")
    article = extract_article(html, URL)
    assert article.paragraphs == (P1, P2, P3)
    assert article.attribution is not None
    assert article.attribution.normalized_name == "عربي21"
