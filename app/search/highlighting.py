"""Titles and snippets as HTML with the matched words in <mark>.

(Named highlighting, not highlight: the package re-exports the ``highlight`` function, which
would hide a submodule of the same name.)
"""

from __future__ import annotations

from html import escape
from typing import Iterable

from whoosh import highlight as highlight_module
from whoosh.highlight import highlight as highlight_text

from .text import indonesian_analyzer


def highlight(terms: Iterable[str], title: str, summary: str) -> tuple[str, str]:
    """Return (title, snippet) as HTML: words whose stem is in ``terms`` in <mark>, the rest escaped."""
    terms = frozenset(terms)
    analyzer = indonesian_analyzer()
    formatter = _MarkFormatter()
    title_html = (
        highlight_text(title, terms, analyzer, highlight_module.WholeFragmenter(), formatter, top=1) if terms else ""
    ) or _escape(title)
    snippet = ""
    if terms and summary:
        snippet = highlight_text(
            summary, terms, analyzer, highlight_module.ContextFragmenter(maxchars=240, surround=60), formatter, top=2
        )
    return title_html, snippet or _escape(_shorten(summary, 240))


def highlight_stored(searcher, docnums, terms: frozenset[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Return ({id: snippet}, {id: title}) of the documents ``docnums``, from their stored text."""
    highlights, titles = {}, {}
    for docnum in docnums:
        stored = searcher.stored_fields(int(docnum))
        doc_id = stored["id"]
        titles[doc_id], highlights[doc_id] = highlight(
            terms, stored.get("stored_title", ""), stored.get("stored_summary", ""))
    return highlights, titles


def _escape(text: str) -> str:
    return escape(text or "", quote=False)


def _shorten(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


class _MarkFormatter(highlight_module.HtmlFormatter):
    """Wrap matched words in <mark>; escape everything else."""

    def __init__(self):
        super().__init__(between=" … ")

    def format_token(self, text, token, replace=False):
        return "<mark>%s</mark>" % self._text(highlight_module.get_text(text, token, replace))
