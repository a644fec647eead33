"""File layouts as data: which header a download has, and where each figure is in it.

A :class:`Layout` names every column of one known header: the columns it reads, and the
columns it deliberately ignores (with the reason). A file is recognised by its header alone
(plus its file name where two layouts share a header), so a new period's file in a known
layout imports with no code change, and a file with an unknown header is refused rather
than half understood. The header is matched as a set of names: the order of the columns
does not matter, and a file that holds several titled tables is matched table by table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol, TypeVar

from builder.core.schema import METRIC_COLUMNS, PERCENT_COLUMNS
from builder.core.values import Count, Period, ValueProblem, parse_count
from builder.importers.common import (
    PLACEHOLDERS,
    SourceRow,
    clean_count,
    clean_count_pair,
    clean_fraction,
    clean_percent,
    half_year_ending,
    half_year_in_file_name,
    half_year_starting,
    month_span,
    parse_day,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Metric:
    """Where one figure is: a column, or a MIN column and a MAX column holding a range.

    ``fraction``: a percentage the file writes as a fraction of 1 (``0.33`` for 33%).
    """

    column: str
    max_column: str | None = None
    fraction: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,) if self.max_column is None else (self.column, self.max_column)


@dataclass(frozen=True)
class Share:
    """A column holding one of a block's counts as a fraction of its requests (Microsoft's
    ``%`` columns: ``0.0925``). The count is imported, not the share: the import checks the
    share against the count, to within the rounding of the published fraction, so that a
    column read in the wrong place, or a figure the company mistyped, is refused."""

    column: str
    count: str  # the canonical count column it is a share of


@dataclass(frozen=True)
class Block:
    """The columns of a row that describe one kind of request.

    ``request_type`` and ``company_label`` are ``None`` in layouts where a column names the
    kind of request (Google's ``Legal Process``); the layout's ``type_column`` is read then.
    An ``optional`` block yields no row where all its cells are blank: in Meta's wide files
    a blank group means the company published nothing of that kind for that country.
    ``first_reported`` is the end of the first period the company published this kind of
    request for: for earlier periods the block yields no row, and its cells must be 0 or
    blank (Twitter's cumulative download writes 0 there); a non-zero value is refused.
    ``shares``: columns that publish counts of the block again as fractions of its requests.
    ``with_data``: for a company that publishes no count of requests where some data was
    produced but does publish its parts (Microsoft: content, and non-content only), the count
    columns that add up to it; ``requests_with_data`` is then derived from them.
    """

    request_type: str | None
    company_label: str | None
    requests: Metric | None = None
    accounts: Metric | None = None
    requests_with_data: Metric | None = None
    percent_with_data: Metric | None = None
    requests_content: Metric | None = None
    requests_non_content_only: Metric | None = None
    requests_no_data: Metric | None = None
    requests_rejected: Metric | None = None
    identifiers: Metric | None = None
    accounts_preserved: Metric | None = None
    optional: bool = False
    first_reported: dt.date | None = None
    shares: tuple[Share, ...] = ()
    with_data: tuple[str, ...] = ()

    def metrics(self) -> dict[str, Metric]:
        """The canonical metric columns this block fills, and where each is in the file."""
        named = {name: getattr(self, name) for name in METRIC_COLUMNS}
        return {name: metric for name, metric in named.items() if metric is not None}

    @property
    def columns(self) -> tuple[str, ...]:
        used = [column for metric in self.metrics().values() for column in metric.columns]
        return (*used, *(share.column for share in self.shares))


class PeriodRule(Protocol):
    columns: tuple[str, ...]

    def period(self, cells: Mapping[str, str], file_name: str) -> Period: ...


@dataclass(frozen=True)
class EndOfHalfYear:
    """A column holding the day a six-month period ends (Google)."""

    column: str
    formats: tuple[str, ...] = ("%Y-%m-%d",)

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def period(self, cells: Mapping[str, str], file_name: str) -> Period:
        return half_year_ending(parse_day(cells[self.column], self.formats))


@dataclass(frozen=True)
class StartAndEnd:
    """Start and end columns, and a label column the import checks against them (Apple)."""

    label: str
    start: str
    end: str
    formats: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.label, self.start, self.end)

    def period(self, cells: Mapping[str, str], file_name: str) -> Period:
        period = Period(parse_day(cells[self.start], self.formats), parse_day(cells[self.end], self.formats))
        if cells[self.label].strip() != period.label:
            raise ValueProblem("bad-cell", f"the period is labelled {cells[self.label]!r} but its dates "
                                           f"make it {period.label!r}; which is right?")
        return period


@dataclass(frozen=True)
class MonthSpan:
    """A column holding months and a year, ``January - June 2017`` (Twitter)."""

    column: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def period(self, cells: Mapping[str, str], file_name: str) -> Period:
        return month_span(cells[self.column])


@dataclass(frozen=True)
class StartOfHalfYear:
    """A column holding the day a six-month period starts, ``2020-07-01`` (Twitter's cumulative download)."""

    column: str
    formats: tuple[str, ...] = ("%Y-%m-%d",)

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def period(self, cells: Mapping[str, str], file_name: str) -> Period:
        return half_year_starting(parse_day(cells[self.column], self.formats))


@dataclass(frozen=True)
class HalfYearInFileName:
    """No period column: the file name states the half-year (Meta)."""

    columns: tuple[str, ...] = ()

    def period(self, cells: Mapping[str, str], file_name: str) -> Period:
        return half_year_in_file_name(file_name)


@dataclass(frozen=True)
class Layout:
    """One known header of one company's download, and how to read it.

    ``rank`` orders layouts that describe the same periods: where two files give the same
    row, the higher rank (the newer download) wins. ``first_reported`` maps a metric to the
    end of the first period the company published it for: earlier cells are "not reported"
    even where the file says 0, and an earlier non-zero value is refused.
    ``parts_column``: rows that share a key are parts of one figure, one per value of that
    column; their counts are added up (see :mod:`builder.importers.merge`).
    ``left_out``: why no row of a table in this layout belongs in the dataset; such a table
    is recognised, so that it is not refused as unknown, and its rows are left out whole.
    ``broken_rows``: (file name, place name) -> why that row of the company's cannot be read
    (a formula error in its workbook); it is left out, and listed. Should it read one day, the
    import says so, so that no figure is left out without cause.
    """

    name: str
    period: PeriodRule
    blocks: tuple[Block, ...]
    ignored: Mapping[str, str] = field(default_factory=dict)  # column -> why it is not imported
    place_name: str | None = None
    place_code: str | None = None
    jurisdiction: str | None = None  # the one jurisdiction a file covers, when it has no place column
    type_column: str | None = None
    type_values: Mapping[str, str] = field(default_factory=dict)  # cell -> request type
    # Codes the company writes that are not ISO 3166-1 / CLDR codes -> the code (Twitter's UK).
    place_codes: Mapping[str, str] = field(default_factory=dict)
    # Place names of rows that are not a jurisdiction (a total of all places, a group of
    # unnamed places) -> why their rows are left out.
    not_jurisdictions: Mapping[str, str] = field(default_factory=dict)
    file_name: re.Pattern[str] | None = None
    rank: int = 1
    first_reported: Mapping[str, dt.date] = field(default_factory=dict)
    parts_column: str | None = None
    left_out: str | None = None
    broken_rows: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @property
    def header(self) -> frozenset[str]:
        named = (self.place_name, self.place_code, self.type_column, self.parts_column)
        columns = {*self.period.columns, *(c for c in named if c), *self.ignored}
        for block in self.blocks:
            columns.update(block.columns)
        return frozenset(columns)

    def accepts_file_name(self, name: str) -> bool:
        return self.file_name is None or self.file_name.search(name) is not None


def read_block(block: Block, row: SourceRow) -> tuple[dict[str, str], list[str]] | None:
    """The canonical metric cells and note parts of one block, or ``None`` for a blank block.

    Raises :class:`CellError` naming the column of the first cell it cannot read.
    """
    metrics: dict[str, str] = {}
    notes: list[str] = []
    for name, metric in block.metrics().items():
        metrics[name] = _read_metric(name, metric, row.cells, notes)
    if block.optional and not any(metrics.values()) and not notes:
        return None
    for share in block.shares:
        _check_share(share, metrics, row.cells)
    return metrics, notes


# A share written with decimals was rounded to them at most; one written with all a float's
# digits (0.5974025974025974) is the company's own division, off in the last digit at most.
_FLOAT_SLACK = Decimal("1e-12")


def _check_share(share: Share, metrics: Mapping[str, str], cells: Mapping[str, str]) -> None:
    text = cells[share.column].strip()
    if text in PLACEHOLDERS:
        return
    try:
        published = Decimal(text)
    except InvalidOperation:
        published = Decimal("NaN")
    if not published.is_finite() or not 0 <= published <= 1:
        raise CellError(share.column, text, "bad-cell",
                        "expected a share written as a fraction of 1, such as 0.0925, or nothing")
    count, requests = parse_count(metrics.get(share.count, "")), parse_count(metrics.get("requests", ""))
    if count is None or requests is None or not (count.is_exact and requests.is_exact):
        raise CellError(share.column, text, "share-mismatch",
                        f"a share of the requests is published, but {share.count} or requests is not a "
                        "count to check it against; which figure is missing?")
    implied = Decimal(count.low) / Decimal(requests.low) if requests.low else Decimal(0)
    exponent = published.as_tuple().exponent
    rounding = Decimal(5).scaleb(exponent - 1) if isinstance(exponent, int) and exponent < 0 else Decimal(0)
    if abs(published - implied) > rounding + _FLOAT_SLACK:
        raise CellError(share.column, text, "share-mismatch",
                        f"the row gives {count.low} of {requests.low} requests for {share.count}, a share of "
                        f"{implied:.4f}, but publishes the share {text}; check both against the company's "
                        "report (a layout that reads a column in the wrong place also shows so)")


def derive_with_data(block: Block, metrics: dict[str, str], notes: list[str]) -> list[str]:
    """Fill ``requests_with_data`` from the counts ``block.with_data`` names, and
    ``percent_with_data`` where the share is a canonical percentage exactly (at most six
    decimals; otherwise the site computes it from the counts). The columns derived."""
    parts = [parse_count(metrics.get(column, "")) for column in block.with_data]
    if not parts or None in parts:
        return []
    total = sum((part for part in parts if part is not None), Count(0, 0))
    metrics["requests_with_data"] = str(total)
    notes.append(f"requests_with_data adds up {' and '.join(block.with_data)}, which the company publishes apart.")
    percent = _exact_percent(total, parse_count(metrics.get("requests", "")))
    if percent is None:
        return ["requests_with_data"]
    metrics["percent_with_data"] = percent
    notes.append("percent_with_data is requests_with_data divided by requests.")
    return ["requests_with_data", "percent_with_data"]


def _exact_percent(part: Count, whole: Count | None) -> str | None:
    if whole is None or not (part.is_exact and whole.is_exact) or whole.low == 0:
        return None
    if part.low * 100 * 10**6 % whole.low:
        return None  # more than six decimals
    return format((Decimal(part.low * 100) / Decimal(whole.low)).normalize(), "f")


def _read_metric(name: str, metric: Metric, cells: Mapping[str, str], notes: list[str]) -> str:
    if name in PERCENT_COLUMNS:
        cleaner = clean_fraction if metric.fraction else clean_percent
        return _read_cell(metric.column, cells[metric.column], cleaner)
    if metric.max_column is not None:
        try:
            return clean_count_pair(cells[metric.column], cells[metric.max_column]).text
        except ValueProblem as problem:
            raise CellError(metric.column, f"{cells[metric.column]} / {cells[metric.max_column]}",
                            problem.code, problem.message) from problem
    cell = _read_cell(metric.column, cells[metric.column], clean_count)
    if cell.footnote:
        notes.append(f"The company marks {name} with a footnote ({cells[metric.column].strip()}).")
    return cell.text


def _read_cell(column: str, text: str, cleaner: Callable[[str], T]) -> T:
    try:
        return cleaner(text)
    except ValueProblem as problem:
        raise CellError(column, text, problem.code, problem.message) from problem


class CellError(Exception):
    """A cell the import cannot read; carries what the problem table shows."""

    def __init__(self, column: str | None, value: str | None, code: str, message: str) -> None:
        super().__init__(message)
        self.column, self.value, self.code, self.message = column, value, code, message
