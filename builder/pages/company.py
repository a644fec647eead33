"""A page per company: where its requests came from, its totals over time, and its announcements."""

from __future__ import annotations

import functools

from builder.core import jurisdictions
from builder.inputs.announcements import ACTIONS, Announcement
from builder.inputs.registry import Company
from builder.model import timeline, totals
from builder.model.site import SiteData, Tables
from builder.model.summaries import span
from builder.output import charts
from builder.output.outputs import Outputs
from builder.pages import common
from builder.pages.route import Route

TOP_JURISDICTIONS = 15


def routes(site: SiteData, site_url: str) -> list[Route]:
    """A page per company in the registry."""
    result = []
    for slug, company in site.registry.companies.items():
        own = timeline.for_company(site.announcements, slug)
        result.append(Route(f"company {slug}", f"companies/{slug}.md",
                            functools.partial(build, site.tables, company, own), requests=True, announcements=own))
    return result


def build(tables: Tables, company: Company, own: list[Announcement], outputs: Outputs, path: str) -> None:
    """The page of one company, from its rows and its totals (:func:`totals.headlines`)."""
    frame = tables.rows("company", company.slug)
    series = tables.series("company", company.slug)
    period, top = totals.top_jurisdictions(series, TOP_JURISDICTIONS)
    sums = totals.sums_by_period(series)
    names = {code: jurisdictions.name(code) for code in frame["jurisdiction"].unique()}
    context = {"company": company, "top": top, "top_period": period, "totals": sums, "names": names}
    top_chart = trend_chart = None
    sources = {company.name: company.report_url}
    if top:
        top_chart = outputs.chart(charts.top_jurisdictions(top, names, company, *common.words("top", context)),
                                  path, "top", sources, {(company.name, names[h.jurisdiction]): (h.derived, "")
                                                         for h in top}, period.label if period else "")
    if sums:  # a sum over jurisdictions is composed here: derived
        trend_chart = outputs.chart(charts.requests_over_time(
            charts.total_points(sums, company), [company], *common.words("trend", context)),
            path, "totals", sources, {(company.name, t.period.label): (True, "") for t in sums})
    jurisdiction_codes = sorted(frame["jurisdiction"].unique(), key=lambda c: names[c])
    outputs.page(
        path,
        "company",
        "company",
        **context,
        top_chart=top_chart,
        trend_chart=trend_chart,
        jurisdiction_codes=jurisdiction_codes,
        request_types=sorted(frame["request_type"].unique()),
        span=span(frame),
        source_files=sorted(set(frame["source_file"]) - {""}),
        announcements=own,
        registry=tables.registry,
        actions=ACTIONS,
    )
