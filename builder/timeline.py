"""Announcements on the site: the timeline, one page each, the status board, chart markers.

The status board puts side by side what a company said about a jurisdiction and what its own
published figures for that jurisdiction showed, so a "paused" never hides later disclosures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from builder import jurisdictions, totals
from builder.announcements import ACTIONS, SCOPES, Announcement
from builder.charts import Marker
from builder.feed import FEED_ENTRIES
from builder.pages import Outputs
from builder.registry import Company, Registry
from builder.render import render_text

# Actions that say what a company did with its figures rather than a stance it announced.
NOT_A_STANCE = frozenset({"reported"})


@dataclass(frozen=True)
class StatusRow:
    company: Company
    stance: Announcement
    latest: totals.Headline | None


def for_jurisdiction(announcements: Sequence[Announcement], code: str) -> list[Announcement]:
    return [a for a in announcements if code in a.jurisdictions]


def for_company(announcements: Sequence[Announcement], slug: str) -> list[Announcement]:
    return [a for a in announcements if a.company == slug]


def status_board(announcements: Sequence[Announcement], latest: Sequence[totals.Latest], code: str,
                 registry: Registry) -> list[StatusRow]:
    """Per company with a stance on ``code``: its latest stance and its latest figures there
    (``latest``, from :func:`totals.latest_by_company`)."""
    latest_figures = {item.company.slug: item.figure for item in latest}
    rows = []
    for slug, company in registry.companies.items():
        stances = [a for a in for_jurisdiction(announcements, code)
                   if a.company == slug and a.action not in NOT_A_STANCE]
        if stances:
            # On the same day, the statement covering more services speaks for the company.
            latest_stance = max(stances, key=lambda a: (a.date, len(a.services), a.slug))
            rows.append(StatusRow(company, latest_stance, latest_figures.get(slug)))
    return rows


def markers(announcements: Sequence[Announcement], registry: Registry) -> list[Marker]:
    """A dated rule per announcement, named by company and action, for time charts."""
    return [
        Marker(a.date.isoformat(), render_text("text/marker_label.txt.j2", announcement=a,
                                               company=registry[a.company], action=ACTIONS[a.action][0]),
               registry[a.company].colour)
        for a in sorted(announcements, key=lambda a: (a.date, a.slug))
    ]


def announcement_page(outputs: Outputs, announcement: Announcement, registry: Registry) -> None:
    outputs.page(f"announcements/{announcement.slug}.md", "announcement", "announcement",
                 a=announcement, company=registry[announcement.company], actions=ACTIONS, scopes=SCOPES,
                 names={code: jurisdictions.name(code) for code in announcement.jurisdictions},
                 paragraphs=[p for p in announcement.body.split("\n\n") if p.strip()])


def announcements_index(outputs: Outputs, announcements: Sequence[Announcement], registry: Registry) -> None:
    """The timeline: every announcement, newest first, with filters by company and jurisdiction."""
    companies = sorted({a.company for a in announcements}, key=lambda slug: registry[slug].name)
    codes = sorted({code for a in announcements for code in a.jurisdictions}, key=jurisdictions.name)
    outputs.page("announcements/index.md", "announcements", "announcements",
                 announcements=announcements, registry=registry, actions=ACTIONS,
                 companies=[registry[slug] for slug in companies],
                 codes=codes, names={code: jurisdictions.name(code) for code in codes}, feed_entries=FEED_ENTRIES)
