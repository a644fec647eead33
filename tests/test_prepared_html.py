"""The builder's own HTML blocks reach the page as written, whether Markdown parses them or not."""

from __future__ import annotations

import re

import markdown

from builder.adapters.prepared_html import CLOSE, OPEN

PAGE = f"""# A page

Some *prose* before.

{OPEN}
<details class="tc-fold">
<summary>A table &amp; its <em>cells</em></summary>
<table><tr><td>1 *not emphasis*</td><td>[not a link](x.md)</td></tr></table>
</details>
{OPEN.replace("tc-html", "x")}
{CLOSE}

And *prose* after.
"""


def _convert(extensions: list[str]) -> str:
    return markdown.markdown(PAGE, extensions=["md_in_html", *extensions])


def test_a_prepared_block_is_the_same_html_as_when_markdown_parses_it() -> None:
    prepared, parsed = _convert(["builder.adapters.prepared_html"]), _convert([])
    assert OPEN not in prepared and CLOSE not in prepared
    assert "<em>prose</em>" in prepared and "1 *not emphasis*" in prepared and "[not a link](x.md)" in prepared
    without_marks = re.sub(r"<!--/?tc-html-->\n?", "", parsed)
    assert re.sub(r"\n\s*\n", "\n", prepared) == re.sub(r"\n\s*\n", "\n", without_marks)
