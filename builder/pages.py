"""The generated pages: for each URL, the records its template shows, and its charts.

This module decides what goes on which page; the words are in ``builder/templates``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from builder import charts, jurisdictions, model, svg, totals, totals_csv
from builder.format import NOT_LISTED, count_text, share_text
from builder.registry import Company, Registry
from builder.render import render, render_text
from builder.schema import REQUEST_TYPES
from builder.values import Period

TOP_JURISDICTIONS = 15
# Readers search for a place or a company by its name; without a boost the announcements that
# mention it in their titles rank above its own page (Material's search reads ``search.boost``).
SEARCH_BOOST = {"jurisdiction": 10, "company": 10}
# Above this many figures a jurisdiction page would list them in tables of several megabytes
# (at world size: 20 companies x 40 periods x 4 types); it then says what each company published
# and leaves the full list to the jurisdiction's CSV download.
MAX_LISTED_FIGURES = 1000
# Likewise the tables of what each total is made of (at world size: 20 companies x 40 periods
# x 3 types, half the page): beyond this many cells the page points to the totals CSV, which
# lists every part of every total.
MAX_BREAKDOWN_CELLS = 2000


@dataclass(frozen=True)
class Chart:
    """A chart as pages refer to it: its files are named by a digest of its specification."""

    spec: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.spec["title"])

    @property
    def description(self) -> str:
        return str(self.spec["description"])

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(label, colour) of each series, for the HTML legend under the chart."""
        return [(label, colour) for label, colour in self.spec.get("usermeta", {}).get("legend", [])]

    @property
    def announcements(self) -> bool:
        """Does the chart mark announcements (dashed rules)?"""
        return bool(self.spec.get("usermeta", {}).get("announcements"))

    @functools.cached_property  # a world-size spec takes milliseconds to serialise
    def json(self) -> str:
        return spec_json(self.spec)

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.json.encode("utf-8")).hexdigest()[:20]

    @property
    def spec_file(self) -> str:
        return f"charts/{self.digest}.vl.json"

    @property
    def svg_file(self) -> str:
        return svg.image_paths(self.digest)[0]

    @property
    def dark_svg_file(self) -> str:
        return svg.image_paths(self.digest)[1]


def spec_json(spec: dict[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class OutputOutsideDocsDir(ValueError):
    """A generated file's path leads out of docs_dir: a name from the data escaped validation."""


def check_inside(docs_dir: Path, paths: Iterable[str]) -> None:
    """Refuse, before anything is written, any path that would land outside ``docs_dir``.

    Paths are built from slugs, file names and codes in the data, which validation restricts;
    this is the last line of defence if a new route forgets to. The check is lexical, so a
    symbolic link inside docs_dir (e.g. to a shared chart cache) is still allowed.
    """
    root = Path(os.path.normpath(docs_dir))
    for path in paths:
        target = Path(os.path.normpath(docs_dir / path))
        if target == root or not target.is_relative_to(root):
            raise OutputOutsideDocsDir(f"refusing to write {path!r}: it lies outside {docs_dir}")


@dataclass
class Outputs:
    """The files one part of a run produces, by path relative to ``docs_dir``: each is written
    into the ``staging`` folder at once (so a world-size run never holds its downloads in
    memory), and only its path is kept."""

    site_path: str  # the path of site_url, where the site is served
    staging: Path
    paths: list[str] = field(default_factory=list)
    charts: dict[str, Chart] = field(default_factory=dict)

    def add(self, path: str, content: bytes | Iterable[bytes]) -> None:
        """Produce the file ``path``: its bytes, or its pieces in order."""
        check_inside(self.staging, [path])
        target = self.staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as stream:
            for piece in [content] if isinstance(content, bytes) else content:
                stream.write(piece)
        self.paths.append(path)

    def page(self, path: str, template: str, meta: str, **context: Any) -> None:
        """Render ``pages/<template>.md.j2`` with front matter from ``text/<meta>_{title,description}``."""
        # ``root`` is the site's own path (``/transparency/``), for addresses in raw HTML, which
        # MkDocs and Zensical leave alone but resolve against different bases; ``src`` leads
        # from the Markdown file to docs_dir, for Markdown links, which both check and rewrite.
        context.update(root=self.site_path, src="../" * path.count("/"), page_path=path)
        front_matter = {
            # MkDocs and Material print page.title as HTML (the header, search results), so the
            # title is stored HTML-escaped; overrides/main.html unescapes it for <title> and <meta>.
            "title": html.escape(render_text(f"text/{meta}_page_title.txt.j2", **context), quote=False),
            "description": render_text(f"text/{meta}_page_description.txt.j2", **context),
        }
        if meta in SEARCH_BOOST:
            front_matter["search"] = {"boost": SEARCH_BOOST[meta]}
        header = yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=True, width=10_000)
        body = render(f"pages/{template}.md.j2", **context)
        self.add(path, f"---\n{header}---\n{body}".encode())

    def chart(self, spec: dict[str, Any]) -> Chart:
        chart = Chart(spec)
        self.charts[chart.digest] = chart
        self.add(chart.spec_file, chart.json.encode("utf-8"))
        return chart


@dataclass(frozen=True)
class Cell:
    text: str
    derived: bool = False
    footnote: int | None = None
    revised: str | None = None  # the anchor of a revision of a figure the cell shows


Marks = dict[tuple[str, str, str, str, str, str], dict[str, str]]


def _revision_of(headline: totals.Headline, metrics: tuple[str, ...], marks: Marks) -> str | None:
    """The anchor of the first revision of a figure that ``headline`` is made of."""
    for part in headline.parts:
        f = part.figure
        found = marks.get((f.company, f.service, f.jurisdiction, f.period.start.isoformat(),
                           f.period.end.isoformat(), f.request_type), {})
        for metric in metrics:
            if metric in found:
                return found[metric]
    return None


@dataclass(frozen=True)
class TableRow:
    period: Period
    cells: list[Cell]


@dataclass
class Footnotes:
    notes: list[str] = field(default_factory=list)

    def add(self, note: str) -> int:
        if note not in self.notes:
            self.notes.append(note)
        return self.notes.index(note) + 1


def _cell(headline: totals.Headline | None, company: Company, metric: str, listed: bool,
          footnotes: Footnotes, marks: Marks) -> Cell:
    """A total's cell; a company that published the period but not this jurisdiction reads
    "not listed", one that published nothing for the period "not reported"."""
    if headline is None:
        return Cell(NOT_LISTED if listed else count_text(None))
    if not headline.parts:
        note = render_text("text/apart_footnote.txt.j2", company=company, headline=headline)
        return Cell(render_text("text/apart_cell.txt.j2", company=company, headline=headline).strip(),
                    footnote=footnotes.add(note.strip()))
    warnings = [part.figure.warning for part in headline.parts if part.figure.warning]
    footnote = footnotes.add(warnings[0]) if warnings and metric == "share" else None
    if metric == "share":
        derived = headline.share is not None and headline.share.published is None
        revised = _revision_of(headline, ("requests", "requests_with_data", "percent_with_data"), marks)
        return Cell(share_text(headline), derived or (headline.derived and headline.share is not None), footnote,
                    revised)
    return Cell(count_text(headline.requests), headline.derived, footnote, _revision_of(headline, ("requests",), marks))


def comparison_table(series: Sequence[totals.Headline], companies: Sequence[Company], metric: str,
                     published_periods: dict[str, set[Period]], footnotes: Footnotes,
                     marks: Marks | None = None) -> list[TableRow]:
    """One row per period, one column per company: ``metric`` is "requests" or "share"; a cell
    showing a figure the company later restated carries the anchor of its revision."""
    index = {(h.period, h.company): h for h in series}
    return [
        TableRow(period, [_cell(index.get((period, c.slug)), c, metric,
                                period in published_periods.get(c.slug, ()), footnotes, marks or {})
                          for c in companies])
        for period in sorted({h.period for h in series})
    ]


@dataclass(frozen=True)
class Breakdown:
    """What one company's totals are made of: a column per request type, a row per period."""

    company: Company
    parts: list[str]  # request types inside the total
    apart: list[str]  # request types counted apart
    rows: list[tuple[Period, list[str], list[str], Cell]]  # period, parts' cells, apart cells, total


def _breakdown_cells(series: Sequence[totals.Headline]) -> int:
    """How many cells the breakdown tables of ``series`` would have (see :func:`breakdowns`)."""
    types: dict[str, set[str]] = {}
    rows: dict[str, int] = {}
    for h in series:
        types.setdefault(h.company, set()).update(p.request_type for p in h.parts)
        types[h.company].update(f.request_type for f in h.apart)
        rows[h.company] = rows.get(h.company, 0) + 1
    return sum(rows[company] * (len(kinds) + 2) for company, kinds in types.items())


def breakdowns(series: Sequence[totals.Headline], companies: Sequence[Company]) -> list[Breakdown]:
    result = []
    for company in companies:
        own = [h for h in series if h.company == company.slug]
        parts = sorted({p.request_type for h in own for p in h.parts})
        apart = sorted({f.request_type for h in own for f in h.apart})
        rows = []
        for h in own:
            by_type = {p.request_type: p.figure for p in h.parts}
            apart_by_type = {f.request_type: f for f in h.apart}
            rows.append((h.period,
                         [count_text(by_type[t].requests) if t in by_type else "" for t in parts],
                         [count_text(apart_by_type[t].requests) if t in apart_by_type else "" for t in apart],
                         Cell(count_text(h.requests) if h.parts else "", h.derived)))
        if own:
            result.append(Breakdown(company, parts, apart, rows))
    return result


def _words(chart: str, context: dict[str, Any]) -> tuple[str, str]:
    """A chart's title and its description in words, from ``templates/text/<chart>_*.txt.j2``."""
    return (render_text(f"text/{chart}_title.txt.j2", **context).strip(),
            render_text(f"text/{chart}_description.txt.j2", **context).strip())


def _companies_in(frame: pd.DataFrame, registry: Registry) -> list[Company]:
    present = set(frame["company"].unique())
    return [company for slug, company in registry.companies.items() if slug in present]


@dataclass(frozen=True)
class SourceFiles:
    company: Company
    files: list[str]


def _sources(frame: pd.DataFrame, companies: Iterable[Company]) -> list[SourceFiles]:
    files = frame.loc[frame["source_file"] != "", ["company", "source_file"]].drop_duplicates()
    by_company = files.groupby("company")["source_file"].agg(lambda names: sorted(names)).to_dict()
    return [SourceFiles(c, by_company.get(c.slug, [])) for c in companies]


def jurisdiction_page(outputs: Outputs, code: str, frame: pd.DataFrame, series: list[totals.Headline],
                      registry: Registry, published_periods: dict[str, set[Period]], extra: dict[str, Any]) -> None:
    """The page of one jurisdiction, from its rows and its totals (:func:`totals.headlines`)."""
    name = jurisdictions.name(code)
    companies = _companies_in(frame, registry)
    changes = totals.definition_changes(series)
    latest = totals.latest_by_company(series, registry)
    lookup = registry.companies
    footnotes = Footnotes()
    markers = extra.get("markers", ())
    context = {"name": name, "code": code, "companies": companies, "headline": series,
               "latest": latest, "periods": model.periods_of(frame), "changes": changes, "lookup": lookup}
    requests_chart = share_chart = breakdown_chart = None
    listed = breakdowns(series, companies) if _breakdown_cells(series) <= MAX_BREAKDOWN_CELLS else []
    if series:
        requests_chart = outputs.chart(charts.requests_over_time(
            charts.request_points(series, lookup, changes), companies, *_words("requests", context), markers))
        share_chart = outputs.chart(charts.share_over_time(
            charts.percent_points(series, lookup, changes), companies, *_words("share", context), markers))
        if listed:  # a panel per company: beyond the limit, as unreadable as its tables and slow to draw
            breakdown_chart = outputs.chart(charts.breakdown(
                series, companies, {t: REQUEST_TYPES[t][0] for t in REQUEST_TYPES}, *_words("breakdown", context)))
    # Beside the page, not under data/: the downloads there are the dataset, checksummed together.
    outputs.add(f"jurisdictions/{code.lower()}-totals.csv", totals_csv.render(series))
    outputs.page(
        f"jurisdictions/{code.lower()}.md",
        "jurisdiction",
        "jurisdiction",
        **context,
        requests_chart=requests_chart,
        share_chart=share_chart,
        breakdown_chart=breakdown_chart,
        requests_table=comparison_table(series, companies, "requests", published_periods, footnotes,
                                        extra.get("revised")),
        share_table=comparison_table(series, companies, "share", published_periods, footnotes, extra.get("revised")),
        breakdowns=listed,
        breakdowns_in_csv=bool(series) and not listed and any(h.parts for h in series),
        **_details(frame, companies),
        sources=_sources(frame, companies),
        footnotes=footnotes.notes,
        **extra,
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


def company_page(outputs: Outputs, company: Company, frame: pd.DataFrame, series: list[totals.Headline],
                 extra: dict[str, Any]) -> None:
    """The page of one company, from its rows and its totals (:func:`totals.headlines`)."""
    period, top = totals.top_jurisdictions(series, TOP_JURISDICTIONS)
    sums = totals.sums_by_period(series)
    names = {code: jurisdictions.name(code) for code in frame["jurisdiction"].unique()}
    context = {"company": company, "top": top, "top_period": period, "totals": sums, "names": names}
    top_chart = trend_chart = None
    if top:
        top_chart = outputs.chart(charts.top_jurisdictions(top, names, company, *_words("top", context)))
    if sums:
        trend_chart = outputs.chart(charts.requests_over_time(
            charts.total_points(sums, company), [company], *_words("trend", context)))
    jurisdiction_codes = sorted(frame["jurisdiction"].unique(), key=lambda c: names[c])
    outputs.page(
        f"companies/{company.slug}.md",
        "company",
        "company",
        **context,
        top_chart=top_chart,
        trend_chart=trend_chart,
        jurisdiction_codes=jurisdiction_codes,
        request_types=sorted(frame["request_type"].unique()),
        span=span(frame),
        source_files=sorted(set(frame["source_file"]) - {""}),
        **extra,
    )


@dataclass(frozen=True)
class JurisdictionSummary:
    code: str
    name: str
    companies: list[Company]
    first: Period | None
    last: Period | None


def span(frame: pd.DataFrame) -> tuple[Period | None, Period | None]:
    """The first and the last reporting period in ``frame``."""
    if frame.empty:
        return None, None
    first = frame.loc[frame["period_start_date"].idxmin()]
    last = frame.loc[frame["period_end_date"].idxmax()]
    return (Period(first["period_start_date"].date(), first["period_end_date"].date()),
            Period(last["period_start_date"].date(), last["period_end_date"].date()))


def jurisdiction_summaries(frame: pd.DataFrame, registry: Registry) -> list[JurisdictionSummary]:
    summaries = []
    for code, group in model.by_jurisdiction(frame):
        first, last = span(group)
        summaries.append(JurisdictionSummary(code, jurisdictions.name(code), _companies_in(group, registry),
                                             first, last))
    summaries.sort(key=lambda s: s.name)
    return summaries
