"""A page per jurisdiction: each company's totals over time, side by side, with charts, what
each total is made of, the status board of the companies' announcements, and every figure."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from builder.core import jurisdictions
from builder.core.schema import REQUEST_TYPES
from builder.core.values import Period
from builder.inputs import events
from builder.inputs.announcements import ACTIONS, Announcement
from builder.inputs.registry import Company
from builder.model import figures as model
from builder.model import story, timeline, totals
from builder.model.site import SiteData, Tables
from builder.model.summaries import companies_in
from builder.output import chart_csv, charts, totals_csv
from builder.output.outputs import Chart, Outputs
from builder.pages import common
from builder.pages.route import Route
from builder.pages.tables import Footnotes, breakdown_cells, breakdowns, chart_cells, comparison_table

# Above this many figures a jurisdiction page would list them in tables of several megabytes
# (at world size: 20 companies x 40 periods x 4 types); it then says what each company published
# and leaves the full list to the jurisdiction's CSV download.
MAX_LISTED_FIGURES = 1000


# Likewise the tables of what each total is made of (at world size: 20 companies x 40 periods
# x 3 types, half the page): beyond this many cells the page points to the totals CSV, which
# lists every part of every total.
MAX_BREAKDOWN_CELLS = 2000


@dataclass(frozen=True)
class SourceFiles:
    company: Company
    files: list[str]


def sources(frame: pd.DataFrame, companies: Iterable[Company]) -> list[SourceFiles]:
    files = frame.loc[frame["source_file"] != "", ["company", "source_file"]].drop_duplicates()
    by_company = files.groupby("company")["source_file"].agg(lambda names: sorted(names)).to_dict()
    return [SourceFiles(c, by_company.get(c.slug, [])) for c in companies]


def routes(site: SiteData, site_url: str) -> list[Route]:
    """A page per jurisdiction with published figures or announcements."""
    result = []
    announced = {code for a in site.announcements for code in a.jurisdictions}
    for code in sorted(set(site.jurisdictions) | announced):
        own = timeline.for_jurisdiction(site.announcements, code)
        marks = common.marked_events(own, events.for_jurisdiction(site.events, code))
        result.append(Route(f"jurisdiction {code}", f"jurisdictions/{code.lower()}.md",
                            functools.partial(build, site.tables, code, own, marks), requests=True,
                            announcements=own))
    return result


def _context(tables: Tables, code: str) -> dict[str, Any]:
    """What a jurisdiction's charts and their words are made of."""
    frame = tables.rows("jurisdiction", code)
    series = tables.series("jurisdiction", code)
    return {"name": jurisdictions.name(code), "code": code, "companies": companies_in(frame, tables.registry),
            "headline": series, "latest": totals.latest_by_company(series, tables.registry),
            "periods": model.periods_of(frame), "changes": totals.definition_changes(series),
            "lookup": tables.registry.companies}


def share_over_time(tables: Tables, code: str, markers: list[charts.Marker], outputs: Outputs, path: str,
                    context: dict[str, Any] | None = None, cells: chart_csv.Cells | None = None) -> Chart:
    """The share of requests where data was produced, per company over time (also the home page's)."""
    context = context or _context(tables, code)
    return outputs.chart(charts.share_over_time(
        charts.percent_points(context["headline"], context["lookup"], context["changes"]), context["companies"],
        *common.words("share", context), markers),
        path, "share", {c.name: c.report_url for c in context["companies"]}, cells)


def build(tables: Tables, code: str, own: list[Announcement], marks: list[common.MarkedEvents], outputs: Outputs,
          path: str) -> None:
    """The page of one jurisdiction, from its rows and its totals (:func:`totals.headlines`)."""
    registry = tables.registry
    frame = tables.rows("jurisdiction", code)
    context = _context(tables, code)
    series, companies, changes = context["headline"], context["companies"], context["changes"]
    latest, lookup = context["latest"], context["lookup"]
    footnotes = Footnotes()
    markers = common.markers(marks, registry)
    requests_chart = share_chart = breakdown_chart = None
    listed = breakdowns(series, companies) if breakdown_cells(series) <= MAX_BREAKDOWN_CELLS else []
    requests_table = comparison_table(series, companies, "requests", tables.published_periods, footnotes,
                                      tables.revision_marks)
    share_table = comparison_table(series, companies, "share", tables.published_periods, footnotes,
                                   tables.revision_marks)
    sources_by_name = {c.name: c.report_url for c in companies}
    if series:
        requests_chart = outputs.chart(charts.requests_over_time(
            charts.request_points(series, lookup, changes), companies, *common.words("requests", context), markers),
            path, "requests", sources_by_name, chart_cells(requests_table, companies, footnotes))
        share_chart = share_over_time(tables, code, markers, outputs, path, context,
                                      chart_cells(share_table, companies, footnotes))
        if listed:  # a panel per company: beyond the limit, as unreadable as its tables and slow to draw
            breakdown_chart = outputs.chart(charts.breakdown(
                series, companies, {t: REQUEST_TYPES[t][0] for t in REQUEST_TYPES},
                *common.words("breakdown", context)), path, "breakdown", sources_by_name)
    # Beside the page, not under data/: the downloads there are the dataset, checksummed together.
    outputs.add(f"jurisdictions/{code.lower()}-totals.csv", totals_csv.render(series))
    board = timeline.status_board(own, latest, code, registry)
    outputs.page(
        path,
        "jurisdiction",
        "jurisdiction",
        **context,
        requests_chart=requests_chart,
        share_chart=share_chart,
        breakdown_chart=breakdown_chart,
        requests_table=requests_table,
        share_table=share_table,
        breakdowns=listed,
        breakdowns_in_csv=bool(series) and not listed and any(h.parts for h in series),
        **_details(frame, companies),
        sources=sources(frame, companies),
        footnotes=footnotes.notes,
        status_board=board,
        story=story.after_stances(board, series) if code == story.JURISDICTION else [],
        newest_period_end=tables.newest_period_end,
        company_newest=tables.company_newest,
        revised=tables.revision_marks,
        announcements=own,
        registry=registry,
        actions=ACTIONS,
        marks=marks,
    )


@dataclass(frozen=True)
class DetailSummary:
    """What one company published for a jurisdiction, when the figures are too many to list."""

    company: Company
    figures: int
    request_types: list[str]
    first: Period
    last: Period


def _details(frame: pd.DataFrame, companies: Sequence[Company]) -> dict[str, Any]:
    """Each company's figures for the page's tables, or a summary of them when there are too many."""
    if len(frame) <= MAX_LISTED_FIGURES:
        by_company: dict[str, list[model.Figure]] = {c.slug: [] for c in companies}
        for figure in model.figures(frame):
            by_company[figure.company].append(figure)
        return {"details": [(c, by_company[c.slug]) for c in companies], "detail_summaries": []}
    ordered = frame.sort_values(["period_start_date", "period_end_date"], kind="stable").groupby("company")
    ends = ordered[["period_start_date", "period_end_date"]]
    first, last, types, sizes = ends.first(), ends.last(), ordered["request_type"].unique(), ordered.size()
    summaries = [
        DetailSummary(company, int(sizes[slug]), sorted(types[slug]),
                      Period(first.at[slug, "period_start_date"].date(), first.at[slug, "period_end_date"].date()),
                      Period(last.at[slug, "period_start_date"].date(), last.at[slug, "period_end_date"].date()))
        for company in companies if (slug := company.slug) in types.index
    ]
    return {"details": [], "detail_summaries": summaries, "figure_count": len(frame)}
