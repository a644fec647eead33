"""The Atom 1.0 feed of policy announcements (``feed.xml``), newest first.

The feed is reproducible: its ``updated`` is the newest announcement's date, never the build
time, and each entry's id is the announcement's address, so two builds of the same data give
the same bytes and feed readers never see an old entry as new.

Every text value is untrusted. The template autoescapes it; this module only puts text on one
line (a summary as written: Markdown in it is shown, not applied, as on the pages) and keeps a
link only when it is an http(s) address.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from urllib.parse import quote

from jinja2 import Environment

from builder.core.patterns import is_http_url
from builder.inputs.announcements import ACTIONS, Announcement
from builder.inputs.registry import Registry
from builder.output.render import escaping_environment

FEED_TITLE = "Policy announcements on government requests"
# The newest announcements, as feeds usually carry: a reader polls it often, and the timeline
# page lists every announcement.
FEED_ENTRIES = 50
# Characters XML 1.0 forbids even as character references; a feed holding one is unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_WHITESPACE = re.compile(r"\s+")
# With no announcements there is no newest date; a fixed instant keeps builds reproducible.
_EMPTY_FEED_UPDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class _Link:
    url: str
    title: str


@dataclass(frozen=True)
class _Entry:
    id: str
    url: str
    title: str
    published: str
    author: str
    action: str
    action_label: str
    summary: str
    sources: tuple[_Link, ...]


def render_feed(
    announcements: list[Announcement],
    registry: Registry,
    site_url: str,
    updated: dt.datetime | None = None,
) -> str:
    """The Atom document for ``announcements``; ``site_url`` is the site's absolute address."""
    base = _site_base(site_url)
    newest_first = sorted(announcements, key=lambda a: (-a.date.toordinal(), a.slug))
    if updated is None:
        updated = _midnight(newest_first[0].date) if newest_first else _EMPTY_FEED_UPDATED
    return _environment().get_template("feed.xml.j2").render(
        feed_id=f"{base}announcements/",
        self_url=f"{base}feed.xml",
        site_url=base,
        title=FEED_TITLE,
        updated=_timestamp(updated),
        entries=[_entry(announcement, registry, base) for announcement in newest_first[:FEED_ENTRIES]],
    )


def _site_base(site_url: str) -> str:
    """``site_url`` with one trailing slash; anything but an absolute http(s) address is refused."""
    if not is_http_url(site_url):
        raise ValueError(f"site_url must be an absolute http(s) address, not {site_url!r}")
    return site_url.rstrip("/") + "/"


def _entry(announcement: Announcement, registry: Registry, base: str) -> _Entry:
    url = f"{base}announcements/{quote(announcement.slug, safe='')}/"
    company = registry.companies.get(announcement.company)
    return _Entry(
        id=url,
        url=url,
        title=_one_line(announcement.title),
        published=_timestamp(_midnight(announcement.date)),
        author=_one_line(company.name if company else announcement.company),
        action=_one_line(announcement.action),
        action_label=_one_line(ACTIONS.get(announcement.action, (announcement.action, ""))[0]),
        summary=plain_text(announcement.body),
        sources=tuple(
            _Link(source.url, _one_line(source.publisher))
            for source in announcement.sources
            if is_http_url(source.url)
        ),
    )


def plain_text(summary: str) -> str:
    """A summary as written, on one line: Markdown in it is shown, not applied, as on the pages."""
    return _one_line(summary)


def _one_line(value: str) -> str:
    return _WHITESPACE.sub(" ", _NOT_XML.sub("", value)).strip()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC, as Atom requires; a naive time is taken to be UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.cache
def _environment() -> Environment:
    # autoescape: every value printed is text; markupsafe's entities are valid XML as well.
    return escaping_environment()
