"""Revisions: figures a company published differently in an earlier download.

A company restates figures it published before (Google's current download gives Ireland 42
legal requests for 2017-H1, its 2017 download 53). Both are the company's words at different
times, so both are kept: the current figure in ``data/requests/<company>.csv`` (the version of
the latest download, see :mod:`builder.importers.merge`), and each earlier figure that differs
from it in ``data/revisions/<company>.csv``, one record per metric, with both sources. The
importers write these files; this module describes, reads and checks them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from builder.core import jurisdictions, patterns
from builder.core.problems import FORMULA_HINT, Problem, stray_files
from builder.core.schema import COLUMNS as REQUEST_COLUMNS
from builder.core.schema import METRIC_COLUMNS, PERCENT_COLUMNS, REQUEST_TYPES, ROW_KEY, SORT_COLUMNS, Column
from builder.core.values import (
    MAX_CELL_LENGTH,
    Count,
    Period,
    ValueProblem,
    format_count,
    format_percent,
    parse_count,
    parse_date,
    parse_percent,
)
from builder.inputs.registry import Registry, load_registry
from builder.inputs.requests import header_problems, read_csv_records

FOLDER = "revisions"
KEY_COLUMNS = ROW_KEY
_REQUEST_DESCRIPTIONS = {column.name: column.description for column in REQUEST_COLUMNS}

COLUMNS: tuple[Column, ...] = (
    *(Column(name, next(c.kind for c in REQUEST_COLUMNS if c.name == name), True,
             f"As in data/requests: {_REQUEST_DESCRIPTIONS[name][0].lower()}{_REQUEST_DESCRIPTIONS[name][1:]}")
      for name in KEY_COLUMNS),
    Column("metric", "metric", True,
           "The metric column of data/requests whose figure the company revised (e.g. “requests”)."),
    Column("earlier_value", "figure", False,
           "The figure as the earlier download gave it, written as in data/requests (a count, a range "
           "LOW-HIGH or a percentage); empty if that download did not report it."),
    Column("earlier_source_file", "text", False, "The file name of the earlier download."),
    Column("earlier_source_date", "date", False,
           "When the company published the earlier download (its vintage, as source_date in data/requests); "
           "empty for a version read before vintages were recorded."),
    Column("later_value", "figure", False,
           "The current figure, as data/requests holds it for this key and metric; empty if the later "
           "download does not report it."),
    Column("later_source_file", "text", True,
           "The file name of the download the current figure was read from (source_file in data/requests)."),
    Column("later_source_date", "date", True,
           "When the company published that download (source_date in data/requests)."),
)
COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
# One record per key, metric and earlier download.
PRIMARY_KEY: tuple[str, ...] = (*KEY_COLUMNS, "metric", "earlier_source_file", "earlier_source_date")

Figure = Count | Decimal | None


def parse_figure(metric: str, text: str) -> Figure:
    """A metric cell as a value: percentages as numbers, so ``83.00`` and ``83`` are one figure."""
    return parse_percent(text) if metric in PERCENT_COLUMNS else parse_count(text)


def format_figure(metric: str, value: Figure) -> str:
    return format_percent(value) if metric in PERCENT_COLUMNS else format_count(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Revision:
    """One figure the company published differently: the earlier version and the current one."""

    company: str
    service: str
    jurisdiction: str
    period_start: dt.date
    period_end: dt.date
    request_type: str
    metric: str
    earlier_value: Figure  # None: that download did not report the figure
    earlier_source_file: str
    earlier_source_date: dt.date | None  # None: read before vintages were recorded
    later_value: Figure
    later_source_file: str
    later_source_date: dt.date

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    def cells(self) -> dict[str, str]:
        """The record as the canonical text of its file."""
        return {
            "company": self.company,
            "service": self.service,
            "jurisdiction": self.jurisdiction,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "request_type": self.request_type,
            "metric": self.metric,
            "earlier_value": format_figure(self.metric, self.earlier_value),
            "earlier_source_file": self.earlier_source_file,
            "earlier_source_date": "" if self.earlier_source_date is None else self.earlier_source_date.isoformat(),
            "later_value": format_figure(self.metric, self.later_value),
            "later_source_file": self.later_source_file,
            "later_source_date": self.later_source_date.isoformat(),
        }


def sort_key(cells: Mapping[str, str]) -> tuple[object, ...]:
    """Records in the order of data/requests, then metric (in column order), then earlier download."""
    metric = cells.get("metric", "")
    position = METRIC_COLUMNS.index(metric) if metric in METRIC_COLUMNS else len(METRIC_COLUMNS)
    return (cells.get("company", ""), *(cells.get(c, "") for c in SORT_COLUMNS), position, metric,
            cells.get("earlier_source_date", ""), cells.get("earlier_source_file", ""))


def render(records: Iterable[Mapping[str, str]]) -> str:
    """The canonical CSV text of revision records: fixed columns and order, ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMN_NAMES, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for record in sorted(records, key=sort_key):
        writer.writerow({column: record.get(column, "") for column in COLUMN_NAMES})
    return buffer.getvalue()


def revision_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / FOLDER).glob("*.csv"))


# --- reading and checking ------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """A revision record as read: where it is, its cells, and its values (when they parse)."""

    file: str
    line: int
    cells: dict[str, str]
    revision: Revision | None


def read_revision_file(path: Path, registry: Registry) -> tuple[list[Record], list[Problem]]:
    """Every record of one revisions file, and every problem of its cells (each naming the file,
    the spreadsheet row and the column); records whose cells are wrong have no ``revision``."""
    records, problems = read_csv_records(path, COLUMN_NAMES)
    if records is None:
        return [], problems
    file = path.as_posix()
    header, body = records[0], records[1:]
    problems += header_problems(file, header, COLUMN_NAMES)
    if problems:
        return [], problems
    index = {name: header.index(name) for name in COLUMN_NAMES}
    read: list[Record] = []
    for line, values in enumerate(body, start=2):
        if not any(value.strip() for value in values):
            continue  # a blank line carries no data; spreadsheet tools add them at the end
        if len(values) != len(header):
            problems.append(Problem(file, line, None, ",".join(values)[:80], "ragged-row",
                                    f"the row has {len(values)} cells but the header has {len(header)}; "
                                    "check for a missing or extra comma, or an unquoted comma inside a cell"))
            continue
        cells = {name: values[index[name]] for name in COLUMN_NAMES}
        revision, cell_problems = _check_record(_Cells(file, line, cells), path.stem, registry)
        problems += cell_problems
        read.append(Record(file, line, cells, revision))
    problems += _duplicates(read)
    return read, problems


@dataclass(frozen=True)
class _Cells:
    file: str
    line: int
    cells: dict[str, str]

    def problem(self, column: str | None, code: str, message: str) -> Problem:
        return Problem(self.file, self.line, column, None if column is None else self.cells[column], code, message)


def _check_record(record: _Cells, file_company: str, registry: Registry) -> tuple[Revision | None, list[Problem]]:
    cells = record.cells
    problems = [record.problem(column.name, "missing-value", f"fill in {column.description}")
                for column in COLUMNS if column.required and cells[column.name] == ""]
    problems += _text_problems(record)
    problems += _code_problems(record, file_company, registry)
    values: dict[str, object] = {}
    parsers: dict[str, Callable[[str], object]] = {
        "period_start": parse_date, "period_end": parse_date,
        "earlier_source_date": lambda text: parse_date(text) if text else None, "later_source_date": parse_date,
    }
    metric = cells["metric"]
    if metric in METRIC_COLUMNS:
        parsers.update(earlier_value=lambda text: parse_figure(metric, text),
                       later_value=lambda text: parse_figure(metric, text))
    for column, parse in parsers.items():
        if cells[column] == "" and column in ("period_start", "period_end", "later_source_date"):
            continue  # reported as a missing value
        try:
            values[column] = parse(cells[column])
        except ValueProblem as error:
            problems.append(record.problem(column, error.code, error.message))
    if problems:
        return None, problems
    revision = Revision(**{name: values.get(name, cells[name]) for name in COLUMN_NAMES})  # type: ignore[arg-type]
    return revision, _meaning_problems(record, revision)


def _text_problems(record: _Cells) -> list[Problem]:
    problems = []
    for column, text in record.cells.items():
        if len(text) > MAX_CELL_LENGTH:
            problems.append(record.problem(column, "cell-too-long", f"the cell holds {len(text):,} characters; "
                                                                    f"at most {MAX_CELL_LENGTH} are allowed"))
        elif patterns.CONTROL.search(text):
            problems.append(record.problem(column, "bad-text", "remove control characters (tabs, line breaks, NUL, "
                                                               "text-direction overrides) from the cell"))
        elif patterns.FORMULA.search(text):
            problems.append(record.problem(column, "bad-text", FORMULA_HINT))
    return problems


def _code_problems(record: _Cells, file_company: str, registry: Registry) -> list[Problem]:
    cells, problems = record.cells, []
    company = registry.companies.get(cells["company"])
    if cells["company"] and company is None:
        known = ", ".join(sorted(registry.companies)) or "(none)"
        problems.append(record.problem("company", "unknown-company",
                                       f"add the company to data/companies.yml, or use one of: {known}"))
    elif cells["company"] and cells["company"] != file_company:
        problems.append(record.problem("company", "company-file-mismatch",
                                       f"records in {file_company}.csv must have company `{file_company}`; "
                                       f"move the record to {cells['company']}.csv"))
    if company is not None and cells["service"] not in ("", "all", *company.services):
        problems.append(record.problem("service", "unknown-service", "use `all` or one of the company's services "
                                                                     "in data/companies.yml: "
                                       + ", ".join(company.services)))
    if cells["jurisdiction"] and not jurisdictions.is_known(cells["jurisdiction"]):
        problems.append(record.problem("jurisdiction", "unknown-jurisdiction",
                                       "use an upper-case ISO 3166-1 alpha-2 or CLDR code, as in data/requests"))
    if cells["request_type"] and cells["request_type"] not in REQUEST_TYPES:
        problems.append(record.problem("request_type", "unknown-request-type",
                                       "use one of the request types of builder/core/schema.py REQUEST_TYPES"))
    if cells["metric"] and cells["metric"] not in METRIC_COLUMNS:
        problems.append(record.problem("metric", "unknown-metric", "use the name of a metric column of "
                                       "data/requests: " + ", ".join(METRIC_COLUMNS)))
    return problems


def _meaning_problems(record: _Cells, revision: Revision) -> list[Problem]:
    problems = []
    if revision.period_end < revision.period_start:
        problems.append(record.problem("period_end", "period-reversed",
                                       f"the period ends before it starts ({revision.period_start}); swap the dates"))
    if revision.earlier_value == revision.later_value:
        problems.append(record.problem("later_value", "not-a-revision",
                                       f"the earlier download gives the same figure ({record.cells['earlier_value']}); "
                                       "a revision is a figure that changed: remove the record"))
    if revision.earlier_source_date is not None and revision.earlier_source_date > revision.later_source_date:
        problems.append(record.problem("earlier_source_date", "revision-order",
                                       f"the earlier download is dated after the later one "
                                       f"({revision.later_source_date}); the later download's figure is current, "
                                       "so swap the two versions"))
    return problems


def _duplicates(records: Sequence[Record]) -> list[Problem]:
    first: dict[tuple[str, ...], int] = {}
    problems = []
    for record in records:
        key = tuple(record.cells[column] for column in PRIMARY_KEY)
        if key in first:
            problems.append(Problem(record.file, record.line, "earlier_source_file",
                                    record.cells["earlier_source_file"], "duplicate-key",
                                    f"row {first[key]} already records this figure of this download; "
                                    "keep one of the two records"))
        else:
            first[key] = record.line
    return problems


def load_revisions(data_dir: Path, requests_frame: pd.DataFrame,
                   registry: Registry | None = None) -> tuple[list[Revision], list[Problem]]:
    """Every revision under ``data_dir/revisions``, and every problem found in them: the cells
    (as :mod:`builder.inputs.requests` checks request files), and whether each record's later figure
    and source are the current row's in ``requests_frame`` (the table of
    :func:`builder.inputs.requests.load_requests`); a record that is not is stale.

    ``registry`` defaults to ``data_dir/companies.yml`` (its own problems are the registry
    loader's to report)."""
    if registry is None:
        registry = load_registry(data_dir / "companies.yml")[0]
    problems = stray_files(data_dir / FOLDER, ".csv")
    records: list[Record] = []
    for path in revision_files(data_dir):
        file_records, file_problems = read_revision_file(path, registry)
        records += file_records
        problems += file_problems
    current = _current_figures(requests_frame, {record.cells["company"] for record in records})
    revisions = []
    for record in records:
        if record.revision is None:
            continue
        stale = _stale(record, current.get(tuple(record.cells[c] for c in KEY_COLUMNS)))
        problems += stale
        if not stale:
            revisions.append(record.revision)
    problems.sort(key=lambda p: (p.file, p.place, p.column or ""))
    return sorted(revisions, key=lambda revision: sort_key(revision.cells())), problems


def _current_figures(frame: pd.DataFrame, companies: set[str]) -> dict[tuple[str, ...], dict[str, str]]:
    """Key -> the current row's metric cells and source, for the companies that have revisions."""
    if not companies or frame.empty:
        return {}
    rows = frame[frame["company"].isin(sorted(companies))]
    columns = [*KEY_COLUMNS, *METRIC_COLUMNS, "source_file", "source_date"]
    current: dict[tuple[str, ...], dict[str, str]] = {}
    for values in zip(*(rows[column].astype(str).tolist() for column in columns), strict=True):
        cells = dict(zip(columns, values, strict=True))
        current.setdefault(tuple(cells[c] for c in KEY_COLUMNS), cells)  # a duplicate key is reported elsewhere
    return current


def _stale(record: Record, current: Mapping[str, str] | None) -> list[Problem]:
    where = _Cells(record.file, record.line, record.cells)
    if current is None:
        return [where.problem("period_start", "stale-revision",
                              "data/requests has no row with this company, service, jurisdiction, period and "
                              "request type; import the company's downloads again, or remove the record")]
    metric, cells = record.cells["metric"], record.cells
    try:
        same_figure = parse_figure(metric, current[metric]) == parse_figure(metric, cells["later_value"])
    except ValueProblem:
        same_figure = False  # the request file's cell is reported by its own checks
    mismatches = [
        (column, shown) for column, shown, same in (
            ("later_value", current[metric] or "nothing", same_figure),
            ("later_source_file", current["source_file"] or "no file",
             current["source_file"] == cells["later_source_file"]),
            ("later_source_date", current["source_date"] or "no date",
             current["source_date"] == cells["later_source_date"]),
        ) if not same
    ]
    return [where.problem(column, "stale-revision",
                          f"the current row in data/requests gives {shown} here; the record no longer describes "
                          "the current figure: import the company's downloads again to redo data/revisions")
            for column, shown in mismatches]
