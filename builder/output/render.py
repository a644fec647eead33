"""The Jinja2 environment that turns records into Markdown pages, and the escaping policy.

Policy: every value a template prints is untrusted text unless it is ``Markup``. It is
written as text, never as markup: HTML's special characters and the characters that mean
something to Markdown (emphasis, links, images, tables, attribute lists, code) are replaced
by numeric character references, which read the same in Markdown and in raw HTML blocks.
So a company name, a title or a note can never add an element, an attribute, a link or a
table cell. Addresses go through :func:`safe_url`, which keeps only http(s) URLs.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from builder.core import jurisdictions
from builder.core.patterns import is_http_url
from builder.core.schema import REQUEST_TYPES
from builder.output import format as formatting

TEMPLATES = Path(__file__).parent / "templates"
_SPECIAL = re.compile(r"[\\`*_{}\[\]()!|<>&\"'~^=#+:$%@]")
_WHITESPACE = re.compile(r"\s+")
# What else starts a block when it opens a line: a list item ("- ", "1. "), a rule ("---").
# Every other block marker (#, >, *, +, _, |, <, [^…]:, fences) is in _SPECIAL already.
_BLOCK_START = re.compile(r"^( ?)(-|[0-9]+[.)])")


def text(value: object) -> Markup:
    """Untrusted text, inert in Markdown and HTML alike (one line: newlines become spaces)."""
    if isinstance(value, Markup):
        return value
    return _inert(str(value))


@functools.lru_cache(maxsize=1 << 16)  # a world-size site prints the same few cell texts 10^6 times
def _inert(value: str) -> Markup:
    flat = _SPECIAL.sub(lambda match: f"&#{ord(match.group())};", _WHITESPACE.sub(" ", value))
    # Text is one line, so only its start can open a block: its marker becomes a reference too.
    flat = _BLOCK_START.sub(lambda match: match.group(1) + match.group(2)[:-1] + f"&#{ord(match.group(2)[-1])};", flat)
    # Safe to mark as markup: every character HTML or Markdown could act on is a reference now.
    return Markup(flat)  # noqa: S704


def safe_url(value: object) -> Markup:
    """An http(s) address, escaped for an HTML attribute; anything else becomes ``#``.

    Templates put addresses only in raw HTML attributes (``<a href="...">``), which Markdown
    leaves alone, so HTML escaping is all they need.
    """
    url = str(value)
    return escape(url) if is_http_url(url) else Markup("#")


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return text(value)


def escaping_environment(**options: Any) -> Environment:
    """Templates under ``builder/output/templates`` with autoescaping: pages, and the feed (XML)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )


# The metrics besides requests, accounts and with data that "all published figures" lists.
OTHER_METRICS = (("requests_content", "content disclosed"), ("requests_non_content_only", "only non-content data"),
                 ("requests_no_data", "no data"), ("requests_rejected", "rejected or challenged"),
                 ("identifiers", "devices or identifiers specified"), ("accounts_preserved", "accounts preserved"))


@functools.cache
def environment() -> Environment:
    env = escaping_environment(finalize=_finalize)
    env.filters.update(
        text=text,
        url=safe_url,
        count=formatting.count_text,
        percent=formatting.percent_text,
        share=formatting.share_text,
        number=formatting.number_text,
        jurisdiction_name=jurisdictions.name,
        request_type_name=lambda slug: REQUEST_TYPES[slug][0],
    )
    env.globals.update(NOT_REPORTED=formatting.NOT_REPORTED, NOT_LISTED=formatting.NOT_LISTED,
                       REQUEST_TYPES=REQUEST_TYPES, OTHER_METRICS=OTHER_METRICS)
    return env


@functools.cache
def text_environment() -> Environment:
    """For plain text that goes into chart specifications (JSON), not into Markdown."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False,  # noqa: S701 - JSON text, not HTML
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(environment().filters)
    env.filters.pop("text")
    env.filters.pop("url")
    return env


def render_text(template: str, **context: Any) -> str:
    return _WHITESPACE.sub(" ", text_environment().get_template(template).render(**context)).strip()


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
