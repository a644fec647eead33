"""Reading the companies' downloads as they are: tables, cells and periods.

Real files carry byte-order marks, old Mac line endings, thousands separators, ``83.00%``
percentages, rates written as fractions (``0.33``), ``-`` and ``NULL`` placeholders, footnote
markers glued to numbers (``1*``), ranges written ``0 - 249``, and several titled tables in
one file. Everything here turns such text into the canonical cell text of
``data/requests`` (see :mod:`builder.core.values`), or raises :class:`ValueProblem` saying why not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from builder.core.problems import WARNING, Line, Problem, csv_problem, read_csv
from builder.core.reading import FileTooLarge, ReadRefused, read_regular_file
from builder.core.values import Count, Period, ValueProblem, parse_count, parse_percent

MAX_FILE_BYTES = 50_000_000
MAX_CELL_CHARS = 131_072  # no company writes a longer cell: a longer one is a quote left open

# What the companies write in a cell for "nothing reported" (Twitter `-`, and `NULL` in its
# cumulative download; Apple ` -`).
PLACEHOLDERS = frozenset({"", "-", "NULL"})

_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_COUNT = re.compile(rf"(?P<number>{_NUMBER})(?P<footnote>\*+)?")
_RANGE = re.compile(rf"(?P<low>{_NUMBER})\s*-\s*(?P<high>{_NUMBER})")
_PERCENT = re.compile(r"(?P<number>\d{1,3}(?:\.\d+)?)\s*%?")
_FRACTION = re.compile(r"\d+(?:\.\d+)?|\.\d+")
# The line before each table's header in a file of several tables (Twitter's cumulative download).
_TABLE_TITLE = re.compile(r"Table \d+/\d+: \S.*")
_HALF_IN_NAME = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-_ ]?H(?P<half>[12])(?!\d)", re.IGNORECASE)
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTH_SPAN = re.compile(r"(?P<first>[A-Za-z]+)\s*-\s*(?P<last>[A-Za-z]+)\s+(?P<year>\d{4})")


@dataclass(frozen=True)
class SourceRow:
    """One data row of a download: ``number`` is the row a spreadsheet shows (first line = 1)."""

    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class SourceTable:
    """One table of a download: a whole CSV file, or one titled table of a file that holds several."""

    file: str  # the path as given
    header: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    title: str = ""  # the table's title line, in a file of titled tables
    header_row: int = 1  # the row of the header, as a spreadsheet numbers it

    @property
    def name(self) -> str:
        """The file, and the table within it where the file holds several: for messages."""
        return f"{self.file} ({self.title})" if self.title else self.file


@dataclass(frozen=True)
class Cell:
    """A cleaned count: canonical text, and the footnote marker the company glued to it."""

    text: str
    footnote: str = ""


def read_table(path: Path) -> tuple[SourceTable | None, list[Problem]]:
    """Read a CSV download exactly as published; ``None`` when it cannot be read at all."""
    records, problems = _read_records(path)
    if records is None:
        return None, problems
    table, table_problems = _table(path.as_posix(), records, 0, len(records))
    return table, problems + table_problems


def read_tables(path: Path) -> tuple[list[SourceTable], list[Problem]]:
    """Every table of a download. A plain CSV is one table, read as :func:`read_table` reads it.

    A file whose first line is a title such as ``Table 1/2: Government Information Requests``
    (Twitter's cumulative download) holds a table after each such line: its header on the next
    line, then its rows. Each becomes a table of its own, named with its title, its rows
    numbered as a spreadsheet shows them in the whole file.
    """
    records, problems = _read_records(path)
    if records is None:
        return [], problems
    file = path.as_posix()
    starts = [index for index, record in enumerate(records) if _title(record)]
    if starts[:1] != [0]:
        table, table_problems = _table(file, records, 0, len(records))
        return [table], problems + table_problems
    tables = []
    for start, end in zip(starts, [*starts[1:], len(records)], strict=True):
        title = _title(records[start])
        if start + 1 == end:
            problems.append(Problem(file, start + 1, None, title, "file-unreadable",
                                    "the table has a title but no header; is the file cut short?"))
            continue
        table, table_problems = _table(file, records, start + 1, end, title)
        tables.append(table)
        problems += table_problems
    return tables, problems


def _read_records(path: Path) -> tuple[list[list[str]] | None, list[Problem]]:
    file = path.as_posix()
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileTooLarge:
        return None, [Problem(file, None, None, None, "file-too-large",
                              f"the file is larger than {MAX_FILE_BYTES:,} bytes; is it the right file?")]
    except ReadRefused as error:
        return None, [Problem(file, None, None, None, "file-unreadable", f"{error.message}; is it the right file?")]
    except OSError as error:
        return None, [Problem(file, None, None, None, "file-unreadable", f"cannot read the file: {error.strerror}")]
    text, problems = _decode(file, data)
    records, error, line = read_csv(text, MAX_CELL_CHARS)
    if error is not None:
        return None, [*problems, csv_problem(file, line, error, "is this the company's CSV download?", MAX_CELL_CHARS)]
    if not records:
        return None, [*problems, Problem(file, None, None, None, "file-unreadable",
                                         "the file is empty; download it again from the company's page")]
    return records, problems


def _title(record: list[str]) -> str:
    """The title, where ``record`` is a table's title line: the title in the first cell, no other text."""
    first = record[0].strip() if record else ""
    if _TABLE_TITLE.fullmatch(first) and not any(cell.strip() for cell in record[1:]):
        return first
    return ""


def _table(file: str, records: list[list[str]], header_index: int, end: int,
           title: str = "") -> tuple[SourceTable, list[Problem]]:
    """The table whose header is ``records[header_index]`` and whose rows follow it up to ``end``."""
    names = [name.strip() for name in records[header_index]]
    header_row = header_index + 1
    filled = [(number, values) for number, values in enumerate(records[header_index + 1:end], start=header_row + 1)
              if any(value.strip() for value in values)]  # blank lines at the end of some Meta files: nothing lost
    columns = _columns(names, [values for _, values in filled])
    header = tuple(name for _, name in columns)
    problems = _header_problems(file, header_row, header)
    rows = []
    for number, values in filled:
        if len(values) != len(names):
            problems.append(Problem(file, number, None, None, "ragged-row",
                                    f"the row has {len(values)} cells but the header has {len(names)}; "
                                    "is a comma inside a number missing its quotes?"))
            continue
        rows.append(SourceRow(number, {name: values[index] for index, name in columns}))
    return SourceTable(file, header, tuple(rows), title, header_row), problems


def _columns(names: list[str], rows: list[list[str]]) -> list[tuple[int, str]]:
    """The columns of a table, by position: every named one, and an unnamed one only where a row
    fills it. Twitter's 2018-H1 file ends its header and rows with seven empty cells: nothing is
    in them, so they are not columns. An unnamed column that holds something is named by its
    position, so that no layout matches it and the file is refused, not half read."""
    columns = []
    for index, name in enumerate(names):
        if name:
            columns.append((index, name))
        elif any(index < len(values) and values[index].strip() for values in rows):
            columns.append((index, f"(unnamed column {index + 1})"))
    return columns


def _decode(file: str, data: bytes) -> tuple[str, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        # Google's 2017 download spells one country name in mangled bytes. The companies'
        # numbers are ASCII, so a replaced byte can only land in a text cell; a cell the
        # import needs and cannot read is still reported as an error.
        warning = Problem(file, Line(_line_of(data, error.start)), None, None, "bad-encoding",
                          f"byte {error.start} is not UTF-8; such bytes were replaced by U+FFFD",
                          severity=WARNING)
        return data.decode("utf-8-sig", errors="replace"), [warning]


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line that byte ``offset`` is on (any of \\n, \\r\\n and \\r end a line)."""
    lines = data[:offset].splitlines(keepends=True)
    ended = bool(lines) and lines[-1].endswith((b"\n", b"\r"))
    return len(lines) + 1 if ended or not lines else len(lines)


def _header_problems(file: str, header_row: int, header: tuple[str, ...]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in header:
        if name in seen:
            problems.append(Problem(file, header_row, name, name, "duplicate-column",
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


def clean_fraction(text: str) -> str:
    """A share written as a fraction of 1 as a canonical percentage, exactly (no binary
    rounding): ``0.33`` -> ``33``, ``0.125`` -> ``12.5``, ``1`` -> ``100``; ``NULL``, ``-`` or
    blank -> not reported (empty)."""
    value = text.strip()
    if value in PLACEHOLDERS:
        return ""
    if not _FRACTION.fullmatch(value):
        raise ValueProblem("bad-cell", "expected a share written as a fraction of 1, such as 0.33, "
                                       "or NULL for not reported")
    percent = format((Decimal(value) * 100).normalize(), "f")
    if Decimal(percent) > 100:
        raise ValueProblem("bad-cell", "a share written as a fraction must lie between 0 and 1")
    return percent


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


def half_year_starting(day: dt.date) -> Period:
    """The six-month period that starts on ``day`` (1 January or 1 July)."""
    if (day.month, day.day) == (1, 1):
        return half_year_ending(dt.date(day.year, 6, 30))
    if (day.month, day.day) == (7, 1):
        return half_year_ending(dt.date(day.year, 12, 31))
    raise ValueProblem("bad-cell", "a six-month period must start on 1 January or 1 July")


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
