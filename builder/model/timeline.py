"""Announcements as pages show them: those about a jurisdiction or by a company, and the status
board, which puts side by side what a company said about a jurisdiction and what its own
published figures for that jurisdiction showed, so a "paused" never hides later disclosures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from builder.inputs.announcements import Announcement
from builder.inputs.registry import Company, Registry
from builder.model import totals

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
