"""The home page: Hong Kong's latest totals and status board, and each company's world total."""

from __future__ import annotations

import functools

from builder.inputs import events
from builder.inputs.announcements import ACTIONS, Announcement
from builder.model import story, timeline, totals
from builder.model.site import SiteData, Tables
from builder.output.outputs import Outputs
from builder.pages import common, jurisdiction
from builder.pages.route import Route

HOME_JURISDICTION = story.JURISDICTION


def routes(site: SiteData, site_url: str) -> list[Route]:
    own = timeline.for_jurisdiction(site.announcements, HOME_JURISDICTION)
    marks = common.marked_events(own, events.for_jurisdiction(site.events, HOME_JURISDICTION))
    return [Route("home", "index.md", functools.partial(build, site.tables, own, marks), requests=True,
                  announcements=own)]


def build(tables: Tables, own: list[Announcement], marks: list[common.MarkedEvents], outputs: Outputs,
          path: str) -> None:
    registry = tables.registry
    world = []
    for slug, company in registry.companies.items():
        sums = totals.sums_by_period(tables.series("company", slug))
        if sums:
            world.append((company, sums[-1]))
    series = tables.series("jurisdiction", HOME_JURISDICTION)
    hk = totals.latest_by_company(series, registry)
    board = timeline.status_board(own, hk, HOME_JURISDICTION, registry)
    chart = jurisdiction.share_over_time(
        tables, HOME_JURISDICTION, common.markers(marks, registry), outputs, path) if series else None
    outputs.page(path, "home", "home", hk=hk, world=world, hk_chart=chart,
                 story=story.after_stances(board, series), status_board=board, actions=ACTIONS, marks=marks,
                 registry=registry,
                 newest_period_end=tables.newest_period_end, company_newest=tables.company_newest,
                 jurisdiction_count=len(tables.summaries),
                 company_count=sum(1 for _, count, _, _ in tables.company_rows if count))
