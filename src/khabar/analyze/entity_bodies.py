"""Organizations and places found by context: a head word and what completes it.

- "وزارة الخارجية الأمريكية", "مجلس الأمن الدولي": a head (وزارة، مجلس، حزب …) and a chain of
  definite words; weak heads (قوات، جيش، مجلس …) need two.
- "شركة آبل", "صحيفة «الغارديان»", "نادي الهلال": a name head and a known, quoted or rare name;
  the head is dropped from the name unless it is part of it (جامعة هارفارد).
- "الجيش الإسرائيلي", "الحكومة السورية": a definite head and a nisba adjective (a country's,
  for heads such as الحكومة).
- "مدينة الرقة", "محافظة إدلب", "مخيم اليرموك": a place word and a known or rare name.
"""

from __future__ import annotations

from typing import Final

from khabar.analyze.entity_data import Hit
from khabar.analyze.entity_rules import (
    NISBA_ENDINGS,
    Context,
    Mention,
    is_nisba,
    known_mention,
    matching_form,
    rare_name_like,
    span_display,
)
from khabar.analyze.entity_text import Token
from khabar.arabic.stem import is_arabic_word

__all__ = ["definite_organization_at", "organization_at", "place_at"]

_OPEN_QUOTES: Final = ("«", '"', "“", "'")
_CLOSE_QUOTES: Final = ("»", '"', "”", "'")
_MAX_QUOTED: Final = 5


def organization_at(ctx: Context, i: int) -> Mention | None:
    tokens, rules = ctx.tokens, ctx.rules
    head = tokens[i]
    j = i + 1
    if j >= len(tokens):
        return None
    head_word, form = matching_form(head, rules.org_heads | rules.org_name_heads)
    if head_word in rules.org_name_heads and tokens[j].brk:
        return _quoted_organization(ctx, i, head_word, form)
    if tokens[j].brk:
        return None
    hit = ctx.hit(j)
    if hit is not None:
        return _organization_of_known(ctx, i, head_word, form, hit)
    if head_word in rules.org_heads and tokens[j].bare.startswith("ال"):
        return _organization_chain(ctx, i, head_word, form)
    if head_word in rules.org_name_heads:
        end = _read_rare_words(ctx, j, 3)
        if end is not None:
            return _named_organization(ctx, (i, form), j, end, head_word)
    return None


def _quoted_organization(ctx: Context, i: int, head_word: str, form: int) -> Mention | None:
    tokens = ctx.tokens
    j = i + 1
    if not tokens[j].gap.endswith(_OPEN_QUOTES):
        return None
    end = j + 1
    while end < len(tokens) and not tokens[end].brk and end - j < _MAX_QUOTED:
        end += 1
    closing = tokens[end].gap if end < len(tokens) else ""
    if not closing.startswith(_CLOSE_QUOTES):
        return None
    hit = ctx.hit(j)
    if hit is not None and hit.end == end and ctx.hit_type(hit) == "organization":
        return known_mention(ctx, hit, i, "organization", form)
    return _named_organization(ctx, (i, form), j, end, head_word)


def _organization_of_known(
    ctx: Context, i: int, head_word: str, form: int, hit: Hit
) -> Mention | None:
    etype = ctx.hit_type(hit)
    if etype == "organization":
        return known_mention(ctx, hit, i, "organization", form)
    if head_word not in ctx.rules.org_kept_heads:
        return None
    end = hit.end
    if end < len(ctx.tokens) and not ctx.tokens[end].brk and is_nisba(ctx.tokens[end]):
        end += 1
    written = span_display(ctx.tokens, i, end, form)
    return Mention(i, end, "organization", written, written, None, "pattern")


def _organization_chain(ctx: Context, i: int, head_word: str, form: int) -> Mention | None:
    tokens, rules = ctx.tokens, ctx.rules
    end = i + 1
    while end < len(tokens) and end - i <= rules.org_max_chain:
        token = tokens[end]
        if token.brk or ctx.stopped(token) or not token.bare.startswith("ال"):
            break
        hit = ctx.hit(end)
        if hit is not None and ctx.hit_type(hit) == "person":
            break
        end += 1
    words = end - i - 1
    if words == 0 or (head_word in rules.org_weak_heads and words < 2):
        return None
    written = span_display(tokens, i, end, form)
    return Mention(i, end, "organization", written, written, None, "pattern")


def _named_organization(
    ctx: Context, head: tuple[int, int], j: int, end: int, head_word: str
) -> Mention:
    i, form = head
    written = span_display(ctx.tokens, i, end, form)
    kept = head_word in ctx.rules.org_kept_heads
    name = written if kept else " ".join(t.surface for t in ctx.tokens[j:end])
    return Mention(i, end, "organization", name, written, None, "pattern")


def _read_rare_words(ctx: Context, j: int, most: int) -> int | None:
    """The end of 1–``most`` rare, name-like words from ``j`` (no ال on the first)."""
    tokens = ctx.tokens
    end = j
    while end < len(tokens) and end - j < most:
        token = tokens[end]
        if (end > j and token.brk) or ctx.stopped(token):
            break
        if not is_arabic_word(token.forms[0]) or (end == j and token.bare.startswith("ال")):
            break
        if not rare_name_like(ctx, token):
            break
        end += 1
    return end if end > j else None


def definite_organization_at(ctx: Context, i: int) -> Mention | None:
    tokens, rules = ctx.tokens, ctx.rules
    end = i + 1
    while end < len(tokens) and end - i <= 2 and not tokens[end].brk and is_nisba(tokens[end]):
        end += 1
    if end == i + 1:
        return None
    if tokens[i].bare in rules.org_needs_country and not any(
        _is_country_nisba(ctx, t) for t in tokens[i + 1 : end]
    ):
        return None
    written = span_display(tokens, i, end)
    return Mention(i, end, "organization", written, written, None, "pattern")


def _is_country_nisba(ctx: Context, token: Token) -> bool:
    """السورية ← سوريا, العراقية ← العراق, الأمريكي ← أمريكا, الإسرائيلي ← إسرائيل."""
    word = token.forms[0].removeprefix("ال")
    for ending in NISBA_ENDINGS:
        if word.endswith(ending):
            root = word[: -len(ending)]
            places = ctx.gazetteer.country_words
            if any(f in places for f in (root, root + "ا", root + "يا", "ال" + root)):
                return True
    return False


def place_at(ctx: Context, i: int) -> Mention | None:
    tokens, rules = ctx.tokens, ctx.rules
    head_word, form = matching_form(tokens[i], rules.place_heads)
    j = i + 1
    if head_word in ("العاصمه", "عاصمه"):
        while j < len(tokens) and j - i <= 2 and not tokens[j].brk and is_nisba(tokens[j]):
            j += 1
    if j >= len(tokens) or tokens[j].brk:
        return None
    kept = head_word in rules.place_kept_heads
    hit = ctx.hit(j)
    if hit is not None:
        if ctx.hit_type(hit) != "place":
            return None
        if not kept:
            return known_mention(ctx, hit, j, "place")
        written = span_display(tokens, i, hit.end, form)
        return Mention(i, hit.end, "place", written, written, None, "pattern")
    if head_word in rules.place_facility_heads:
        return None
    end = _read_place_words(ctx, j)
    if end is None:
        return None
    start, first_form = (i, form) if kept else (j, 0)
    written = span_display(tokens, start, end, first_form)
    return Mention(start, end, "place", written, written, None, "pattern")


def _read_place_words(ctx: Context, j: int) -> int | None:
    tokens = ctx.tokens
    end = j
    while end < len(tokens) and end - j < 3:
        token = tokens[end]
        if (end > j and token.brk) or ctx.stopped(token) or not is_arabic_word(token.forms[0]):
            break
        if not rare_name_like(ctx, token):
            break
        end += 1
    return end if end > j else None
