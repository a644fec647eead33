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

# Announcements on one page of the timeline: at the longest titles and lists of jurisdictions
# the schema allows, a page stays under 300 KB however many announcements there are.
TIMELINE_PAGE = 200


def timeline_path(number: int) -> str:
    """The timeline's page ``number`` (1 is the newest)."""
    return "announcements/index.md" if number == 1 else f"announcements/page/{number}.md"


def routes(site: SiteData, site_url: str) -> list[Route]:
    chunks = [site.announcements[start:start + TIMELINE_PAGE]
              for start in range(0, len(site.announcements), TIMELINE_PAGE)] or [[]]
    result = []
    for number, chunk in enumerate(chunks, start=1):
        result.append(Route("timeline" if number == 1 else f"timeline page {number}", timeline_path(number),
                            functools.partial(timeline, site.announcements, chunk, number, len(chunks),
                                              site.registry, site_url),
                            # The first page also writes the feed, which reads them all.
                            announcements=site.announcements if number == 1 else chunk,
                            parts={"site_url": site_url, "pages": len(chunks), "total": len(site.announcements)}))
    for announcement in site.announcements:
        result.append(Route(f"announcement {announcement.slug}", f"announcements/{announcement.slug}.md",
                            functools.partial(page, announcement, site.registry), announcements=[announcement]))
    return result


def page(announcement: Announcement, registry: Registry, outputs: Outputs, path: str) -> None:
    outputs.page(path, "announcement", "announcement",
                 a=announcement, company=registry[announcement.company], actions=ACTIONS, scopes=SCOPES,
                 names={code: jurisdictions.name(code) for code in announcement.jurisdictions},
                 paragraphs=[p for p in announcement.body.split("\n\n") if p.strip()])


def timeline(announcements: Sequence[Announcement], shown: Sequence[Announcement], number: int, pages: int,
             registry: Registry, site_url: str, outputs: Outputs, path: str) -> None:
    """Page ``number`` of the timeline: ``shown``, newest first, with filters by company and
    jurisdiction and links to the other pages; the first page also writes the feed of the newest."""
    companies = sorted({a.company for a in shown}, key=lambda slug: registry[slug].name)
    codes = sorted({code for a in shown for code in a.jurisdictions}, key=jurisdictions.name)
    outputs.page(path, "announcements", "announcements",
                 announcements=shown, registry=registry, actions=ACTIONS, total=len(announcements),
                 companies=[registry[slug] for slug in companies], number=number, pages=pages,
                 codes=codes, names={code: jurisdictions.name(code) for code in codes}, feed_entries=FEED_ENTRIES)
    if number == 1:
        outputs.add("feed.xml", render_feed(announcements, registry, site_url).encode("utf-8"))
