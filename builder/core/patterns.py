"""Each rule about the text of a cell, written once: validation, importers, rendering and the
published Table Schema all use these.

The patterns are regular-expression text without anchors (``re.fullmatch`` or a JSON Schema
``pattern`` with ``^…$`` applies them whole), so the same text serves Python and the schemas.
"""

from __future__ import annotations

import re

COUNT = r"[0-9]{1,15}"  # a whole number of requests or accounts, up to 15 digits
COUNT_OR_RANGE = rf"{COUNT}(?:-{COUNT})?"  # or a published range, "0-249"
PERCENT = r"[0-9]{1,3}(?:\.[0-9]{1,6})?"  # a percentage without its sign
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # ISO 8601 calendar date

# Control characters, and the invisible text-direction overrides that make text read other
# than it is stored. Tab and newline belong in Markdown (a summary); nowhere else.
_CONTROL_BUT_TAB_AND_NEWLINE = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROL = r"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{_CONTROL}]")  # in a one-line value
CONTROL_IN_PROSE = re.compile(f"[{_CONTROL_BUT_TAB_AND_NEWLINE}]")  # in a summary or note of several lines
ONE_LINE_TEXT = f"[^{_CONTROL}]*"
ONE_LINE_HINT = "remove the control characters (line breaks, tabs…): this is one line of plain text"

# An absolute http(s) address with a host, and no character that could end an HTML attribute,
# a Markdown link or a CSV cell: no white space, quotes, angle brackets, backticks or controls.
_URL_CHARACTER = rf"[^\s<>\"'`{_CONTROL}]"
HTTP_URL = rf"[hH][tT][tT][pP][sS]?://(?![/?#:@]){_URL_CHARACTER}{{1,2000}}"
_HTTP_URL = re.compile(HTTP_URL)

# What a spreadsheet runs as a formula when a reader opens a CSV download (OWASP's list:
# =, +, -, @, tab, carriage return, line feed), also after leading white space.
FORMULA = re.compile(r"^(?:[=+\-@\t\r\n]|\s+[=+\-@])")


def is_http_url(value: str) -> bool:
    """Is ``value`` an absolute http(s) address by :data:`HTTP_URL`?"""
    return _HTTP_URL.fullmatch(value) is not None


def schema_pattern(pattern: str) -> str:
    """``pattern`` anchored, for a JSON Schema or Table Schema ``pattern``."""
    return f"^(?:{pattern})$"
