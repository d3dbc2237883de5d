"""Text → the token stream entity matching reads, and the merge key of a name.

Every token keeps its display form (harakat and tatweel removed, hamza kept) and its
``search``-normalized form, and knows the forms it may take once its proclitics are removed:

- a definite word keeps its ``ال`` and loses what stands before it: ``والقاهرة``/``بالقاهرة`` →
  ``القاهره``, ``للأمم`` → ``الامم``;
- any other word may lose one conjunction (و ف) and one preposition (ب ك ل): ``وبغداد`` →
  ``بغداد``, ``لترامب`` → ``ترامب``. The unstripped word is always tried first, so ``لبنان``
  and ``فرنسا`` match as written.

Matching never drops an ``ال`` and never adds one: ``حماس`` (Hamas) does not match ``الحماس``
(enthusiasm), and ``الجزيرة`` (the channel) does not match ``جزيرة`` (an island).

Each normalized word also goes through the word-level spelling table (``spelling.tsv``:
ترمب → ترامب, نتانياهو → نتنياهو, الأميركية → الأمريكية), and a word ``عبد`` + ``ال…`` written
as one (``عبدالله``) is split in two, as most writers and the gazetteers spell it.

A *break* stands before a token when punctuation (، ؛ ؟ . : ! quotes brackets, a spaced dash,
a line end) separates it from the previous one; names and phrases never cross a break.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from importlib import resources
from typing import Final, NamedTuple

from khabar.arabic.normalize import normalize
from khabar.arabic.tokenize import WORD_PATTERN, is_url

__all__ = [
    "Token",
    "clean_display",
    "entity_key",
    "spelling_map",
    "tokens_of",
]

_HARAKAT: Final = dict.fromkeys([*range(0x064B, 0x0660), 0x0670, 0x0640], None)
_JOINERS: Final = frozenset({"_", "#", "-", "@", "_#"})
"""Characters between two words that keep them in one name (hashtags, hyphenated names)."""
_DEFINITE: Final = re.compile(r"^([وف]?[بك]?)ال(?=..)")
_LAM_LAM: Final = re.compile(r"^([وف]?)لل(?=..)")
_GAP_AND_WORD: Final = re.compile(
    r"(.*?)(" + WORD_PATTERN.pattern + ")", WORD_PATTERN.flags | re.DOTALL
)
"""The text before a token and the token (the tokenizer's words, numbers and URLs)."""
_CONJ: Final = frozenset("وف")
_PREP: Final = frozenset("بكل")


class Token(NamedTuple):
    """One word of the text as entity matching sees it (a named tuple: built per word of
    every article, so construction cost matters)."""

    surface: str
    """Display form: as written, without harakat and tatweel."""
    norm: str
    """``search``-normalized and spelling-mapped, clitics kept (for inner words of a name)."""
    forms: tuple[str, ...]
    """Forms for the first word of a name: ``norm`` first, then without proclitics."""
    cuts: tuple[int, ...]
    """Per form, how many leading letters of ``surface`` the proclitics take (``-1``: a ``لل``
    chain, shown as ``ال`` + the rest)."""
    brk: bool
    """A break (punctuation) stands before this token."""
    gap: str
    """The non-space characters between the previous token and this one."""

    @property
    def bare(self) -> str:
        """The form without proclitics (the last of :attr:`forms`)."""
        return self.forms[-1]

    def display(self, form_index: int = 0) -> str:
        """The surface without the proclitics of ``forms[form_index]``."""
        cut = self.cuts[form_index]
        if cut < 0:
            return "ال" + self.surface[-cut:]
        return self.surface[cut:]

    @property
    def bare_display(self) -> str:
        return self.display(len(self.forms) - 1)


def clean_display(text: str) -> str:
    """``text`` for display: ``display`` profile, harakat and tatweel removed."""
    return normalize(text, "display").translate(_HARAKAT)


@functools.cache
def spelling_map() -> Mapping[str, str]:
    """Variant word (normalized) → the word keys use (normalized), from ``spelling.tsv``."""
    text = resources.files("khabar").joinpath("data", "entities", "spelling.tsv")
    table: dict[str, str] = {}
    for line in text.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        words = [normalize(w, "search") for w in line.split("\t") if w.strip()]
        for word in words[1:]:
            if word != words[0]:
                table[word] = words[0]
    return table


@functools.lru_cache(maxsize=200_000)
def _analyze_word(norm: str) -> tuple[str, tuple[str, ...], tuple[int, ...]]:
    """(mapped norm, forms, cuts) of one normalized word."""
    spell = spelling_map()
    mapped = spell.get(norm, norm)
    forms, cuts = [mapped], [0]
    definite = _DEFINITE.match(norm)
    lam = _LAM_LAM.match(norm)
    if lam is not None:
        _add(forms, cuts, spell, "ال" + norm[lam.end() :], -(len(lam.group(1)) + 2))
    elif definite is not None:
        if definite.group(1):
            _add(forms, cuts, spell, norm[len(definite.group(1)) :], len(definite.group(1)))
    else:
        for cut in _clitic_cuts(norm):
            _add(forms, cuts, spell, norm[cut:], cut)
    return mapped, tuple(forms), tuple(cuts)


def _clitic_cuts(norm: str) -> list[int]:
    cuts = []
    if len(norm) >= 4 and norm[0] in _CONJ:
        cuts.append(1)
        if len(norm) >= 5 and norm[1] in _PREP:
            cuts.append(2)
    elif len(norm) >= 4 and norm[0] in _PREP:
        cuts.append(1)
    return cuts


def _add(forms: list[str], cuts: list[int], spell: Mapping[str, str], form: str, cut: int) -> None:
    mapped = spell.get(form, form)
    if mapped not in forms:
        forms.append(mapped)
        cuts.append(cut)


@functools.lru_cache(maxsize=200_000)
def _norm(word: str) -> str:
    return normalize(word, "search")


def _is_break(gap: str) -> bool:
    """True when the text between two words separates them (punctuation, a line end)."""
    if "\n" in gap:
        return True
    stripped = gap.strip()
    if not stripped:
        return False
    if stripped in _JOINERS:
        return stripped == "-" and gap != "-"  # "جونغ-أون" joins, "الرياض - واس" breaks
    return True


def tokens_of(text: str) -> list[Token]:
    """The tokens of ``text`` (URLs and numbers skipped, both count as breaks)."""
    tokens: list[Token] = []
    append = tokens.append
    pending_break = False
    for gap, word in _GAP_AND_WORD.findall(text):
        parts = _word_parts(word)
        if parts is None:
            pending_break = True
            continue
        if gap == " ":
            brk, gap = pending_break, ""
        else:
            brk, gap = pending_break or _is_break(gap), gap.strip()
        pending_break = False
        for surface, mapped, forms, cuts in parts:
            append(Token(surface, mapped, forms, cuts, brk, gap))
            brk, gap = False, ""
    return tokens


_Part = tuple[str, str, tuple[str, ...], tuple[int, ...]]


@functools.lru_cache(maxsize=200_000)
def _word_parts(word: str) -> tuple[_Part, ...] | None:
    """(surface, norm, forms, cuts) of the token(s) one word gives; ``None`` for a number or a
    URL (a break, never part of a name)."""
    if word[0].isdigit() or is_url(word):
        return None
    surface = clean_display(word)
    if not surface:
        return ()
    return tuple(
        (part_surface, *_analyze_word(part_norm))
        for part_surface, part_norm in _split_abd(surface, _norm(surface))
    )


def _split_abd(surface: str, norm: str) -> list[tuple[str, str]]:
    """``عبدالله`` → ``عبد`` + ``الله`` (also after و/ب/ل: ``لعبدالله``)."""
    at = norm.find("عبدال")
    if at < 0 or at > 2 or len(norm) - at < 7 or any(c not in "وفبلك" for c in norm[:at]):
        return [(surface, norm)]
    if len(surface) != len(norm):
        return [(surface, norm)]
    return [(surface[: at + 3], norm[: at + 3]), (surface[at + 3 :], norm[at + 3 :])]


def entity_key(name: str) -> str:
    """The merge key of a name: normalized words, spelling-mapped, ``عبد`` joined to the next
    word; a first word written with a clitic before ``ال`` (``والقاهرة``, ``للأمم``) keeps only
    the ``ال`` form. Other leading letters are kept: a name is given without clitics."""
    tokens = tokens_of(name)
    if not tokens:
        return _norm(name).strip()
    first = tokens[0]
    words = [first.forms[1] if first.cuts[1:2] and _is_definite(first) else first.norm]
    words += [t.norm for t in tokens[1:]]
    out: list[str] = []
    for word in words:
        if out and out[-1] == "عبد":
            out[-1] = "عبد" + word
        else:
            out.append(word)
    return " ".join(out)


def _is_definite(token: Token) -> bool:
    return token.cuts[1] < 0 or token.forms[1].startswith("ال")
