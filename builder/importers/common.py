"""Reading the companies' downloads as they are: tables, cells and periods.

Real files carry byte-order marks, old Mac line endings, thousands separators, ``83.00%``
percentages, ``-`` placeholders, footnote markers glued to numbers (``1*``) and ranges
written ``0 - 249``. Everything here turns such text into the canonical cell text of
``data/requests`` (see :mod:`builder.values`), or raises :class:`ValueProblem` saying why not.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from builder.problems import WARNING, Problem, csv_problem
from builder.values import Count, Period, ValueProblem, parse_count, parse_percent

MAX_FILE_BYTES = 50_000_000

# What the companies write in a cell for "nothing reported" (Twitter `-`, Apple ` -`).
PLACEHOLDERS = frozenset({"", "-"})

_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_COUNT = re.compile(rf"(?P<number>{_NUMBER})(?P<footnote>\*+)?")
_RANGE = re.compile(rf"(?P<low>{_NUMBER})\s*-\s*(?P<high>{_NUMBER})")
_PERCENT = re.compile(r"(?P<number>\d{1,3}(?:\.\d+)?)\s*%?")
_HALF_IN_NAME = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-_ ]?H(?P<half>[12])(?!\d)", re.IGNORECASE)
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTH_SPAN = re.compile(r"(?P<first>[A-Za-z]+)\s*-\s*(?P<last>[A-Za-z]+)\s+(?P<year>\d{4})")


@dataclass(frozen=True)
class SourceRow:
    """One data row of a download: ``number`` is the row a spreadsheet shows (header = 1)."""

    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class SourceTable:
    file: str  # the path as given, for messages
    header: tuple[str, ...]
    rows: tuple[SourceRow, ...]


@dataclass(frozen=True)
class Cell:
    """A cleaned count: canonical text, and the footnote marker the company glued to it."""

    text: str
    footnote: str = ""


def read_table(path: Path) -> tuple[SourceTable | None, list[Problem]]:
    """Read a CSV download exactly as published; ``None`` when it cannot be read at all."""
    file = path.as_posix()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [Problem(file, None, None, None, "file-too-large",
                                  f"the file is larger than {MAX_FILE_BYTES:,} bytes; is it the right file?")]
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(file, None, None, None, "file-unreadable", f"cannot read the file: {error.strerror}")]
    text, problems = _decode(file, data)
    # newline="" lets the csv module take \r\n, \n and a lone \r (Meta 2019-H2) as line ends.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as error:
        return None, [*problems, csv_problem(file, reader.line_num, error, "is this the company's CSV download?")]
    if not records:
        return None, [*problems, Problem(file, None, None, None, "file-unreadable",
                                         "the file is empty; download it again from the company's page")]
    header = tuple(name.strip() for name in records[0])
    problems += _header_problems(file, header)
    rows = []
    for index, values in enumerate(records[1:], start=2):
        if not any(value.strip() for value in values):
            continue  # blank lines at the end of some Meta files; nothing is lost
        if len(values) != len(header):
            problems.append(Problem(file, index, None, None, "ragged-row",
                                    f"the row has {len(values)} cells but the header has {len(header)}; "
                                    "is a comma inside a number missing its quotes?"))
            continue
        rows.append(SourceRow(index, dict(zip(header, values, strict=True))))
    return SourceTable(file, header, tuple(rows)), problems


def _decode(file: str, data: bytes) -> tuple[str, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        # Google's 2017 download spells one country name in mangled bytes. The companies'
        # numbers are ASCII, so a replaced byte can only land in a text cell; a cell the
        # import needs and cannot read is still reported as an error.
        warning = Problem(file, _line_of(data, error.start), None, None, "bad-encoding",
                          f"byte {error.start} is not UTF-8; such bytes were replaced by U+FFFD",
                          severity=WARNING)
        return data.decode("utf-8-sig", errors="replace"), [warning]


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line that byte ``offset`` is on (any of \\n, \\r\\n and \\r end a line)."""
    lines = data[:offset].splitlines(keepends=True)
    ended = bool(lines) and lines[-1].endswith((b"\n", b"\r"))
    return len(lines) + 1 if ended or not lines else len(lines)


def _header_problems(file: str, header: tuple[str, ...]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in header:
        if name in seen:
            problems.append(Problem(file, 1, name, name, "duplicate-column",
                                    "the header names this column twice; which one is meant?"))
        seen.add(name)
    return problems


def clean_count(text: str) -> Cell:
    """A published count as canonical text: ``"1,384"`` -> ``1384``, ``"0 - 249"`` -> ``0-249``,
    ``"1*"`` -> ``1`` with footnote ``*``, ``-`` or blank -> not reported (empty)."""
    value = text.strip()
    if value in PLACEHOLDERS:
        return Cell("")
    match = _COUNT.fullmatch(value)
    if match:
        return Cell(str(_number(match["number"])), match["footnote"] or "")
    match = _RANGE.fullmatch(value)
    if match:
        canonical = f"{_number(match['low'])}-{_number(match['high'])}"
        parse_count(canonical)  # raises when the range is reversed
        return Cell(canonical)
    raise ValueProblem(
        "bad-cell",
        "expected a count such as 384 or 1,384, a range such as 0 - 249, or - for not reported",
    )


def clean_count_pair(low_text: str, high_text: str) -> Cell:
    """A range the company published as a MIN column and a MAX column."""
    low, high = clean_count(low_text), clean_count(high_text)
    if low.text == "" and high.text == "":
        return Cell("")
    if "" in (low.text, high.text) or low.footnote or high.footnote or "-" in low.text + high.text:
        raise ValueProblem("bad-cell", "a MIN/MAX pair needs a whole number in both columns")
    canonical = low.text if low.text == high.text else f"{low.text}-{high.text}"
    parse_count(canonical)  # raises when MIN is above MAX
    return Cell(canonical)


def clean_percent(text: str) -> str:
    """A published percentage as canonical text: ``83.00%`` -> ``83.00``, ``12%`` -> ``12``."""
    value = text.strip()
    if value in PLACEHOLDERS:
        return ""
    match = _PERCENT.fullmatch(value)
    if not match:
        raise ValueProblem("bad-cell", "expected a percentage such as 43, 12% or 83.00%, or - for not reported")
    parse_percent(match["number"])  # raises above 100
    return match["number"]


def count_total(texts: list[str]) -> str:
    """The sum of canonical counts (ranges add up end by end)."""
    total = Count(0, 0)
    for text in texts:
        value = parse_count(text)
        if value is not None:
            total = total + value
    return str(total)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def parse_day(text: str, formats: tuple[str, ...]) -> dt.date:
    """A date in one of the company's formats (``%d/%m/%y`` for Google's 2017 download)."""
    value = text.strip()
    for date_format in formats:
        try:
            return dt.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    examples = " or ".join(dt.date(2013, 12, 31).strftime(f) for f in formats)
    raise ValueProblem("bad-cell", f"expected a date written like {examples}")


def half_year_ending(day: dt.date) -> Period:
    """The six-month period that ends on ``day`` (30 June or 31 December)."""
    if (day.month, day.day) == (6, 30):
        return Period(dt.date(day.year, 1, 1), day)
    if (day.month, day.day) == (12, 31):
        return Period(dt.date(day.year, 7, 1), day)
    raise ValueProblem("bad-cell", "a six-month period must end on 30 June or 31 December")


def half_year_in_file_name(name: str) -> Period:
    """The half-year a file name states, as in ``...-2019_H2.csv`` or ``...-2013-H1.csv``."""
    match = _HALF_IN_NAME.search(name)
    if not match:
        raise ValueProblem("bad-file-name",
                           "the file name must state its half-year, e.g. ...-2019_H2.csv, as the company names it")
    year = int(match["year"])
    return half_year_ending(dt.date(year, 6, 30) if match["half"] == "1" else dt.date(year, 12, 31))


def month_span(text: str) -> Period:
    """A period written as months, ``January - June 2017``."""
    match = _MONTH_SPAN.fullmatch(text.strip())
    if match and match["first"].lower() in _MONTHS and match["last"].lower() in _MONTHS:
        year = int(match["year"])
        first = _MONTHS.index(match["first"].lower()) + 1
        last = _MONTHS.index(match["last"].lower()) + 1
        following = dt.date(year + (last == 12), last % 12 + 1, 1)
        return Period(dt.date(year, first, 1), following - dt.timedelta(days=1))
    raise ValueProblem("bad-cell", "expected a period written like January - June 2017")
