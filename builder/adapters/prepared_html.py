"""A Markdown extension that hands the builder's own HTML blocks to the page untouched.

The generated pages hold large blocks of HTML (tables of every figure, chart figures, folds),
written by the templates with every value escaped already. Python-Markdown would read each of
them tag by tag (its raw-HTML preprocessor is an ``html.parser`` over the whole page) only to
put them back as they were. The templates mark such a block with ``<!--tc-html-->`` and
``<!--/tc-html-->`` lines; this extension stores the block as raw HTML before that parser
runs, so the page is the same and Markdown reads only the prose. Listed under
``markdown_extensions`` in ``mkdocs.yml``, it runs under MkDocs and Zensical alike; without it
the marks are HTML comments and the blocks are parsed as before.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

OPEN, CLOSE = "<!--tc-html-->", "<!--/tc-html-->"
_BLOCK = re.compile(rf"^{re.escape(OPEN)}\n(.*?)\n{re.escape(CLOSE)}$", re.DOTALL | re.MULTILINE)
# Before Python-Markdown's raw-HTML preprocessor (20), after whitespace is normalised (30).
_PRIORITY = 25


class _Prepared(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if OPEN not in text:
            return lines
        stored = _BLOCK.sub(lambda block: "\n\n" + self.md.htmlStash.store(block.group(1)) + "\n\n", text)
        return stored.split("\n")


class PreparedHtml(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Prepared(md), "transparency_prepared_html", _PRIORITY)


def makeExtension(**kwargs: Any) -> PreparedHtml:  # the name Python-Markdown looks for
    return PreparedHtml(**kwargs)
