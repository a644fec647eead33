"""The tables that jurisdiction pages share: totals side by side per period, what each total
is made of, and the footnotes their cells point to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from builder.core.values import Period
from builder.inputs.registry import Company
from builder.model import totals
from builder.output import chart_csv
from builder.output.format import NOT_LISTED, count_text, share_text
from builder.output.render import render_text


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


@dataclass(frozen=True)
class ComparisonTable:
    """Rows of cells, and per column the note every one of its cells shares, which the column's
    header then carries once instead of each cell."""

    rows: list[TableRow]
    column_notes: list[int | None]


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
                     marks: Marks | None = None) -> ComparisonTable:
    """One row per period, one column per company: ``metric`` is "requests" or "share"; a cell
    showing a figure the company later restated carries the anchor of its revision."""
    index = {(h.period, h.company): h for h in series}
    rows = [
        TableRow(period, [_cell(index.get((period, c.slug)), c, metric,
                                period in published_periods.get(c.slug, ()), footnotes, marks or {})
                          for c in companies])
        for period in sorted({h.period for h in series})
    ]
    return _notes_in_headers(rows, len(companies))


def _notes_in_headers(rows: list[TableRow], columns: int) -> ComparisonTable:
    """A note on every cell of a column (more than one) moves to the column's header."""
    shared: list[int | None] = []
    for column in range(columns):
        notes = {row.cells[column].footnote for row in rows}
        shared.append(notes.pop() if len(rows) > 1 and len(notes) == 1 else None)
    rows = [TableRow(row.period, [replace(cell, footnote=None) if shared[i] else cell
                                  for i, cell in enumerate(row.cells)]) for row in rows]
    return ComparisonTable(rows, shared)


@dataclass(frozen=True)
class Breakdown:
    """What one company's totals are made of: a column per request type, a row per period."""

    company: Company
    parts: list[str]  # request types inside the total
    apart: list[str]  # request types counted apart
    rows: list[tuple[Period, list[str], list[str], Cell]]  # period, parts' cells, apart cells, total


def breakdown_cells(series: Sequence[totals.Headline]) -> int:
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


def chart_cells(table: ComparisonTable, companies: Sequence[Company], footnotes: Footnotes) -> chart_csv.Cells:
    """What the table says of each value its chart draws, for the chart's CSV: (company name,
    period label) -> (derived, the text of its note or its column's note)."""
    result = {}
    for row in table.rows:
        for column, (company, cell) in enumerate(zip(companies, row.cells, strict=True)):
            number = cell.footnote or table.column_notes[column]
            result[company.name, row.period.label] = (cell.derived, footnotes.notes[number - 1] if number else "")
    return result
