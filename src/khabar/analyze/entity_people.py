"""People found by context: a title and its modifiers before a name, or a given name and a
rare or known name word after it.

"الرئيس الفرنسي إيمانويل ماكرون", "وزير الخارجية الأمريكي، مايك بومبيو،", "المتحدث باسم
الحركة فوزي برهوم": a title (الرئيس، وزير، المدرب …), a chain of modifiers (definite words,
office words such as باسم/لشؤون/خارجية, known places and organizations), an optional comma,
then a known person or 1–``max_name`` name words. "سيرغي سكريبال": a given name that is not
also a common word, then a rare or known name word.
"""

from __future__ import annotations

from typing import Final

from khabar.analyze.entity_data import Hit
from khabar.analyze.entity_rules import (
    Context,
    Mention,
    known_mention,
    rare_name_like,
    span_display,
)
from khabar.analyze.entity_text import Token
from khabar.arabic.stem import is_arabic_word

__all__ = ["given_name_person_at", "person_at"]

_COMMAS: Final = ("،", ",")


def person_at(ctx: Context, i: int) -> Mention | None:
    j = _skip_chain(ctx, i + 1)
    if j is None or j >= len(ctx.tokens):
        return None
    if ctx.tokens[j].brk and ctx.tokens[j].gap not in _COMMAS:
        return None
    hit = ctx.hit(j)
    if hit is not None:
        return known_mention(ctx, hit, j, "person") if ctx.hit_type(hit) == "person" else None
    end = _read_name(ctx, j)
    if end is None:
        return None
    written = span_display(ctx.tokens, j, end, 0)
    return Mention(j, end, "person", written, written, None, "pattern")


def given_name_person_at(ctx: Context, i: int) -> Mention | None:
    """A given name and a rare or known name word after it: "سيرغي سكريبال"."""
    if i + 1 >= len(ctx.tokens) or ctx.tokens[i + 1].brk or ctx.hit(i) is not None:
        return None
    end = _read_name(ctx, i + 1, continuing=True)
    if end is None:
        return None
    form = next(n for n, f in enumerate(ctx.tokens[i].forms) if f in ctx.rules.starters)
    written = span_display(ctx.tokens, i, end, form)
    return Mention(i, end, "person", written, written, None, "pattern")


def _skip_chain(ctx: Context, k: int) -> int | None:
    """The index after a title's modifiers (``None`` when the chain ends in a non-name)."""
    tokens, rules = ctx.tokens, ctx.rules
    steps = 0
    while k < len(tokens) and steps < rules.max_chain and not tokens[k].brk:
        hit = ctx.hit(k)
        if hit is not None:
            if ctx.hit_type(hit) == "person":
                return k
            k, steps = hit.end, steps + 1
            continue
        token = tokens[k]
        if ctx.stopped(token):
            return None
        modifier = token.bare.startswith("ال") and token.bare not in rules.given
        if not (modifier or token.forms[0] in rules.chain or token.bare in rules.chain):
            break
        k, steps = k + 1, steps + 1
    return k


def _read_name(ctx: Context, j: int, *, continuing: bool = False) -> int | None:
    """The end of a name starting at ``j`` (``None`` if there is none); ``continuing``: the
    words continue a given name read already."""
    tokens, rules = ctx.tokens, ctx.rules
    k, content = j, ["(given)"] if continuing else []
    while k < len(tokens) and k - j < rules.max_name:
        token = tokens[k]
        word = token.forms[0]
        if (k > j and token.brk) or ctx.stopped(token):
            break
        if k > j and (hit := ctx.hit(k)) is not None and _ends_name(ctx, hit, tokens[k - 1]):
            break
        if word in rules.particles or (k > j and word in rules.compound):
            k += 1
            continue
        if not _name_word(ctx, token, first=not content):
            break
        content.append(word)
        k += 1
    while k > j and tokens[k - 1].forms[0] in rules.particles:
        k -= 1
    if continuing:
        return k if len(content) > 1 and k > j else None
    if not content:
        return None
    if len(content) == 1 and k - j == 1 and content[0] in rules.given:
        return None  # a given name alone ("الأمير محمد") names nobody in particular
    return k


def _ends_name(ctx: Context, hit: Hit, previous: Token) -> bool:
    """A known entity after a name word ends the name: a place or organization always; another
    person unless the word before is a given name ("إيفانكا ترامب")."""
    if ctx.hit_type(hit) != "person":
        return True
    return not hit.ambiguous and previous.forms[0] not in ctx.rules.given


def _name_word(ctx: Context, token: Token, *, first: bool) -> bool:
    """A word that may be part of a name: known, or rare and not verb-like. After the first
    word of a name, "rare" is the looser ``mining_df`` (a surname right after a first name)."""
    word = token.forms[0]
    if not is_arabic_word(word) or len(word) < 2:
        return False
    if word in ctx.rules.given or word in ctx.gazetteer.person_words:
        return True
    if word.startswith("ال") and first:
        return False
    return rare_name_like(ctx, token, ctx.limit if first else ctx.rules.mining_df)
