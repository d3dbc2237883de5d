"""trafilatura's passes over one page, sharing the trees they prepare: the precision-mode
extraction split at its readability/jusText comparison, and the balanced-mode retry.

``trafilatura.bare_extraction(tree, favor_precision=True, fast=…)`` prunes and converts a copy of
the tree, runs its main extractor, and — unless ``fast`` — compares the result with readability
and jusText. Khabar first takes the fast body and runs the comparison only when it could change
that body (``article._comparison_moot``). Called as two ``bare_extraction`` passes, the pages that
need the comparison paid the pruning, conversion and main extractor twice (a full pass took
28.9 ms on those 242 of the 990 trafilatura-eval pages, its comparison about 11.5). Here the
sequence of trafilatura 2.3.1 (``core.trafilatura_sequence`` and ``bare_extraction`` with
comments off, no metadata, no URL) runs once and the comparison is called on the same prepared
trees, from trafilatura's own functions.

Fast mode changes the main extractor in one place only: its last-resort wild-text recovery keeps
teaser-class blocks. A page that never spells "teaser" has none, so the fast body is the full
pass's body before the comparison; on other pages the main extractor runs again, in full mode,
on a copy of the prepared tree taken before the fast run. ``tests/unit/extract/test_precision.py``
checks both bodies against ``bare_extraction`` itself. The two ``Extractor`` objects are shared
by all calls: trafilatura never writes to the options it is given (its recall retry copies them).

The balanced retry (``article``'s escalation, ``bare_extraction(tree, favor_precision=False)``)
starts the same way: a copy of the tree pruned by ``RAW_TREE_PRUNE_XPATH`` and, comments being
off and the page no forum thread, ``REMOVE_COMMENTS_AND_LISTS_XPATH``. That raw tree is the one
the precision pass pruned (3.3 ms a page on the eval set: copy, forum test, two prunes), and no
later step writes to it (each copies it), so ``balanced()`` runs the rest of
``trafilatura_sequence`` in balanced mode on it: preparation, main extractor and comparison,
baseline rescue, recall escalation. A forum thread, or a page whose precision pass failed on a
tree it was not handed, goes through ``bare_extraction`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from copy import copy
from typing import Any, Final

import trafilatura
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from trafilatura.baseline import baseline, html2txt
from trafilatura.core import (
    ESCALATION_ACCEPT_RATIO,
    ESCALATION_JUSTEXT_RATIO,
    ESCALATION_MAX_LENGTH,
    ESCALATION_PAGE_SHARE,
    _extract_and_compare,
    _forum_thread_page,
    _prepare_tree,
    _recall_retry,
)
from trafilatura.external import compare_extraction, justext_rescue
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Document, Extractor
from trafilatura.xpaths import (
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
    REMOVE_COMMENTS_XPATH,
)

__all__ = ["PrecisionPass", "balanced_options", "precision_options"]

# ``bare_extraction`` keyword -> ``Extractor`` keyword (trafilatura 2.3.1).
_EXTRACTOR_KEYWORDS: Final = {
    "output_format": "output_format",
    "favor_precision": "precision",
    "include_comments": "comments",
    "include_formatting": "formatting",
    "include_links": "links",
    "include_images": "images",
    "include_tables": "tables",
    "with_metadata": "with_metadata",
}

# What ``bare_extraction`` turns into "no document" (it logs and returns None).
_EXTRACTION_FAILURES: Final = (TypeError, ValueError)


def precision_options(options: Mapping[str, Any], *, fast: bool) -> Extractor:
    """The ``Extractor`` that ``bare_extraction(**options, fast=fast)`` would build."""
    settings = _extractor(options, fast=fast)
    if settings.focus != "precision":
        raise ValueError("the split sequence covers precision mode, no comments, no metadata")
    return settings


def balanced_options(options: Mapping[str, Any]) -> Extractor:
    """The ``Extractor`` of ``bare_extraction(**options, favor_precision=False)``."""
    settings = _extractor({**options, "favor_precision": False}, fast=False)
    if settings.focus != "balanced":
        raise ValueError("the balanced retry covers balanced mode only")
    return settings


def _extractor(options: Mapping[str, Any], *, fast: bool) -> Extractor:
    settings = Extractor(
        **{_EXTRACTOR_KEYWORDS[key]: value for key, value in options.items()}, fast=fast
    )
    if settings.comments or settings.with_metadata:
        raise ValueError("the split sequence covers precision mode, no comments, no metadata")
    if settings.max_tree_size is not None:
        raise ValueError("the split sequence does not apply MAX_TREE_SIZE")
    return settings


class PrecisionPass:
    """One page's trafilatura passes: the precision-mode body, ``fast`` at once and ``full()``
    when asked for, and the balanced-mode retry, ``balanced()``.

    ``teaser_free``: the page is known to hold no teaser-class element (see the module).
    ``balanced`` (see ``balanced_options``) is the mode of ``balanced()``, the retry.
    ``owned``: the caller hands ``tree`` over and never reads it again, so it is pruned in place
    instead of copied first, as ``bare_extraction`` does with a page it parsed itself (0.43 ms
    of copying and 0.12 of freeing a page on the eval set). A forum thread is still copied: its
    retry goes through ``bare_extraction`` with the page as it was.
    """

    def __init__(
        self,
        tree: etree._Element,
        fast: Extractor,
        full: Extractor,
        *,
        teaser_free: bool,
        balanced: Extractor | None = None,
        owned: bool = False,
    ) -> None:
        self._tree = tree
        self._owned = owned
        self._full = full
        self._balanced = balanced
        self._full_body: tuple[etree._Element, str] | None = None
        self._is_forum = False
        self.fast: Document | None = None
        try:
            self._is_forum, self._raw, cleaned, self._backup = _prepared(tree, full, owned=owned)
            self._full_tree = None if teaser_free else copy(cleaned)
            body, text = extract_content(cleaned, fast)
        except _EXTRACTION_FAILURES:
            self._failed = True
            return
        self._failed = False
        if teaser_free:
            self._full_body = (body, text)
        self.fast = _document(body, text, fast)

    def full(self) -> Document | None:
        """The body of the full pass: the main extractor's, compared with readability/jusText.

        Uses the fast body's tree when it is the full pass's own: call after the fast body is
        no longer needed.
        """
        if self._failed:
            return None
        try:
            if self._full_body is not None:
                body, text = self._full_body
            else:
                body, text = extract_content(self._full_tree, self._full)
            body, text = compare_extraction(self._backup, copy(self._raw), body, text, self._full)
        except _EXTRACTION_FAILURES:
            return None
        return _document(body, text, self._full)

    def balanced(self) -> Document | None:
        """What ``bare_extraction(tree, favor_precision=False)`` gives for the page."""
        if self._balanced is None:
            raise ValueError("this pass was built without balanced options")
        if self._failed and self._owned:
            return None  # the page may be half pruned; nothing to retry from
        if self._failed or self._is_forum:
            found = trafilatura.bare_extraction(self._tree, options=self._balanced)
            return found if isinstance(found, Document) and found.body is not None else None
        try:
            body, text = _balanced_sequence(self._raw, self._balanced)
        except _EXTRACTION_FAILURES:
            return None
        return _document(body, text, self._balanced)


def _prepared(
    tree: etree._Element, options: Extractor, *, owned: bool = False
) -> tuple[bool, etree._Element, etree._Element, etree._Element]:
    """(forum thread?, raw pruned tree, converted tree, cleaned tree before conversion), as
    ``trafilatura_sequence`` builds them in precision mode with comments off; an ``owned`` tree
    becomes the raw tree itself unless the page is a forum thread."""
    is_forum = _forum_thread_page(tree)
    raw = tree if owned and not is_forum else copy(tree)  # bare_extraction copies a tree
    raw = prune_unwanted_nodes(raw, RAW_TREE_PRUNE_XPATH)
    raw = prune_unwanted_nodes(raw, REMOVE_COMMENTS_AND_LISTS_XPATH)
    cleaned, backup = _prepare_tree(raw, options, None)
    if not is_forum:
        cleaned = prune_unwanted_nodes(cleaned, REMOVE_COMMENTS_XPATH)
    return is_forum, raw, cleaned, backup


def _balanced_sequence(raw: etree._Element, options: Extractor) -> tuple[etree._Element, str]:
    """``trafilatura_sequence`` (2.3.1) in balanced mode, comments off, no forum thread, from
    its pruned ``raw`` tree: stages 1-2 (main extractor, comparison), 3 (baseline rescue) and
    4 (recall escalation, with jusText alongside). ``raw`` is only read: every stage copies it.
    """
    body, text = _extract_and_compare(*_prepare_tree(raw, options, None), raw, options)
    if len(text) < options.min_extracted_size:
        rescued, rescued_text, rescued_len = baseline(raw)
        if rescued_len > len(text):
            body, text = rescued, rescued_text
    if not 0 < len(text) < ESCALATION_MAX_LENGTH:
        return body, text
    if len(text) >= ESCALATION_PAGE_SHARE * len(html2txt(raw)):
        return body, text
    recall = copy(options)  # trafilatura's own way: the shared options keep their focus
    recall.focus = "recall"
    recall_body, recall_text = _attempt(lambda: _recall_retry(raw, recall, None))
    justext_body, justext_text = _attempt(lambda: justext_rescue(copy(raw), options))
    size, recall_size, justext_size = len(text), len(recall_text), len(justext_text)
    if justext_size > recall_size and justext_size > ESCALATION_JUSTEXT_RATIO * size:
        return justext_body, justext_text
    if recall_size >= options.min_extracted_size and recall_size > ESCALATION_ACCEPT_RATIO * size:
        return recall_body, recall_text
    return body, text


def _attempt(
    candidate: Callable[[], tuple[etree._Element, str]],
) -> tuple[etree._Element | None, str]:
    """A candidate of the recall escalation, or no text when it fails (trafilatura logs and
    goes on the same way, catching every exception)."""
    try:
        return candidate()
    except Exception:  # trafilatura_sequence's own guard around both candidates
        return None, ""


def _document(body: etree._Element, text: str, options: Extractor) -> Document | None:
    """``bare_extraction``'s result for ``body``: None when its text is under the minimum."""
    if len(text) < options.min_output_size and options.min_output_comm_size > 0:  # no comments
        return None
    document = Document()
    document.raw_text = text
    document.body = body
    document.commentsbody = etree.Element("body")
    return document
