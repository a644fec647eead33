"""The timeline of announcements with its feed, and a page per announcement."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from builder.core import jurisdictions
from builder.inputs.announcements import ACTIONS, SCOPES, Announcement
from builder.inputs.registry import Registry
from builder.model.site import SiteData
from builder.output.feed import FEED_ENTRIES, render_feed
from builder.output.outputs import Outputs
from builder.pages.route import Route


def routes(site: SiteData, site_url: str) -> list[Route]:
    result = [Route("timeline", "announcements/index.md",
                    functools.partial(timeline, site.announcements, site.registry, site_url),
                    announcements=site.announcements, parts={"site_url": site_url})]
    for announcement in site.announcements:
        result.append(Route(f"announcement {announcement.slug}", f"announcements/{announcement.slug}.md",
                            functools.partial(page, announcement, site.registry), announcements=[announcement]))
    return result


def page(announcement: Announcement, registry: Registry, outputs: Outputs, path: str) -> None:
    outputs.page(path, "announcement", "announcement",
                 a=announcement, company=registry[announcement.company], actions=ACTIONS, scopes=SCOPES,
                 names={code: jurisdictions.name(code) for code in announcement.jurisdictions},
                 paragraphs=[p for p in announcement.body.split("\n\n") if p.strip()])


def timeline(announcements: Sequence[Announcement], registry: Registry, site_url: str, outputs: Outputs,
             path: str) -> None:
    """The timeline: every announcement, newest first, with filters by company and jurisdiction; and
    the feed of the newest."""
    companies = sorted({a.company for a in announcements}, key=lambda slug: registry[slug].name)
    codes = sorted({code for a in announcements for code in a.jurisdictions}, key=jurisdictions.name)
    outputs.page(path, "announcements", "announcements",
                 announcements=announcements, registry=registry, actions=ACTIONS,
                 companies=[registry[slug] for slug in companies],
                 codes=codes, names={code: jurisdictions.name(code) for code in codes}, feed_entries=FEED_ENTRIES)
    outputs.add("feed.xml", render_feed(announcements, registry, site_url).encode("utf-8"))
