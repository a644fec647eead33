"""A Markdown extension that leaves out of the search index what tells the figures again.

Readers search for names and words, not for what tells figures again: a table's cells, a
chart's caption (the table in words), a folded block (what each total is made of: tables and
their definitions, the same on every page) or the files a table's figures come from (a
paragraph starting "Source:" or "Sources:", written by the page templates). Each of these is
marked ``data-search-exclude``, which the search of both generators skips (and takes out of
the page it writes), so readers get the page as it was. It is a Markdown extension, listed
under ``markdown_extensions`` in ``mkdocs.yml``, rather than an MkDocs hook, because Zensical
runs no hooks but renders every page through the same extensions.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

_UNSEARCHED = re.compile(r"<(table|figure|details)(?=[\s>])(?![^>]*data-search-exclude)")
_SOURCES = re.compile(r"<p>(?=Sources?: )")
# Python-Markdown puts raw HTML (the templates' tables, figures and folds) back into the page
# at priority 30; the marks go in after it.
_PRIORITY = 5


def mark_unsearched(html: str) -> str:
    html = _UNSEARCHED.sub(r'<\1 data-search-exclude="\1"', html)
    return _SOURCES.sub('<p data-search-exclude="sources">', html)


class _Marks(Postprocessor):
    def run(self, text: str) -> str:
        return mark_unsearched(text)


class SearchMarks(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(_Marks(md), "transparency_search_marks", _PRIORITY)


def makeExtension(**kwargs: Any) -> SearchMarks:  # the name Python-Markdown looks for
    return SearchMarks(**kwargs)
