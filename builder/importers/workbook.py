"""Reading a company's Excel workbook (``.xlsx``) as tables, one per sheet.

A sheet made for people to read is not a table: title rows come first, then a header of two
or three rows whose headings span several columns (merged cells), narrow empty columns that
space out groups of figures, the rows of figures, footnotes below them. This module finds
the rows of figures (from the first row holding a number to the first blank row), takes
the header rows right above them, and gives each column one name: its headings from top to
bottom joined by `` | ``, a heading that spans several columns repeated in each of them
(``Some Customer Data Disclosed | Law Enforcement Requests Resulting in Disclosure of
Content | %``). The result is a :class:`SourceTable` like a CSV file's, so a sheet is
recognised by its header exactly as a CSV file is.

* Where a heading spans columns that no lower header row tells apart, each is named by its
  place under it: ``... Disclosure of Content (1 of 2)``, ``(2 of 2)``.
* A column with no heading that holds nothing but blanks, zeros and spreadsheet errors
  (``#REF!``) is a spacer, and is left out: nothing in it can be a figure anyone could name.
  A column with no heading that holds anything else is named by its letter, ``(column B)``:
  the row labels, or a side table that the layout must name to be understood.
* The sheet's name is a column of its own, ``(sheet)``, so that a layout can map it to a kind
  of request.
* A cell holding a spreadsheet error keeps the error's text (``#REF!``): where a figure
  should be, the import then refuses it, naming the cell, rather than taking it for a blank.

Rows are numbered as the spreadsheet numbers them.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from builder.core.problems import Problem
from builder.importers.common import MAX_FILE_BYTES, SourceRow, SourceTable

SHEET_COLUMN = "(sheet)"
HEADING_JOINER = " | "
# An .xlsx file is a zip archive: a small file can unpack to far more than it holds.
MAX_UNPACKED_BYTES = 4 * MAX_FILE_BYTES
MAX_SHEET_CELLS = 2_000_000
FOOTNOTE_MARKERS = ("*",)


@dataclass(frozen=True)
class _Error:
    """A cell holding a spreadsheet error value, such as ``#REF!``."""

    text: str


_Value = str | int | float | _Error | None


def read_workbook(path: Path) -> tuple[list[SourceTable], list[Problem]]:
    """Every sheet of the workbook at ``path`` as a table; none when it cannot be read."""
    file = path.as_posix()
    workbook, problems = _open(path)
    if workbook is None:
        return [], problems
    tables = []
    for sheet in workbook.worksheets:
        table, sheet_problems = _sheet_table(file, sheet)
        problems += sheet_problems
        if table is not None:
            tables.append(table)
    workbook.close()
    if not tables and not problems:
        problems.append(Problem(file, None, None, None, "file-unreadable",
                                "the workbook holds no sheet with figures; download it again from the company's page"))
    return tables, problems


def _open(path: Path) -> tuple[Any, list[Problem]]:
    file = path.as_posix()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [Problem(file, None, None, None, "file-too-large",
                                  f"the file is larger than {MAX_FILE_BYTES:,} bytes; is it the right file?")]
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            return None, [Problem(file, None, None, None, "file-too-large",
                                  f"the workbook unpacks to more than {MAX_UNPACKED_BYTES:,} bytes; "
                                  "is it the right file?")]
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it does not read (extensions, data
            # validation); none of them holds a figure.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True, keep_links=False), []
    except OSError as error:
        return None, [Problem(file, None, None, None, "file-unreadable",
                              f"cannot read the file: {error.strerror or error}")]
    except Exception as error:  # a parser of untrusted files fails in many ways: each is one problem
        return None, [Problem(file, None, None, None, "file-unreadable",
                              f"cannot open the file as an Excel workbook (.xlsx): {error}; "
                              "is it the company's workbook download?")]


def _sheet_table(file: str, sheet: Worksheet) -> tuple[SourceTable | None, list[Problem]]:
    name = f"{file} (sheet {sheet.title})"
    if sheet.max_row * sheet.max_column > MAX_SHEET_CELLS:
        return None, [Problem(name, None, None, None, "file-too-large",
                              f"the sheet spans {sheet.max_row:,} rows and {sheet.max_column:,} columns; "
                              "is it the right file?")]
    grid = [[_value(cell) for cell in row] for row in sheet.iter_rows()]
    if not any(_filled(value) for row in grid for value in row):
        return None, []  # an empty sheet holds nothing to import
    first = next((index for index, row in enumerate(grid) if any(_is_number(v) for v in row)), None)
    if first is None:
        return None, [Problem(name, None, None, None, "unknown-layout",
                              "the sheet holds no row of figures; if it is a new kind of sheet, "
                              "declare how to read it in builder/importers/")]
    label = next(index for index, value in enumerate(grid[first]) if _filled(value))
    if _is_number(grid[first][label]):
        label = -1  # no column of row labels: every column holds figures
    header_rows = _header_rows(grid, first, label)
    if not header_rows:
        return None, [Problem(name, first + 1, None, None, "unknown-layout",
                              "there is no header above the first row of figures; "
                              "which figure is in which column?")]
    end = next((index for index in range(first, len(grid)) if not any(_filled(v) for v in grid[index])), len(grid))
    problems = _figures_below(name, grid, end)
    data = [index for index in range(first, end) if not _is_footnote(grid[index])]
    headings = _merged_headings(sheet, grid, header_rows)
    columns = _columns(grid, header_rows, headings, data)
    header = (*(column_name for _, column_name in columns), SHEET_COLUMN)
    rows = tuple(
        SourceRow(index + 1, {**{column_name: _text(grid[index][column]) for column, column_name in columns},
                              SHEET_COLUMN: sheet.title})
        for index in data
    )
    return SourceTable(file, header, rows, title=f"sheet {sheet.title}", header_row=header_rows[0] + 1), problems


def _value(cell: Any) -> _Value:
    value = cell.value
    if cell.data_type == "e":
        return _Error(str(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return str(value)
    return value


def _filled(value: _Value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _is_number(value: _Value) -> bool:
    return isinstance(value, int | float)


def _header_rows(grid: list[list[_Value]], first: int, label: int) -> list[int]:
    """The rows right above ``first`` that hold a heading beside the row labels; a row with
    text at or left of the row labels only is a title, and a blank row ends the header."""
    rows = []
    index = first - 1
    while index >= 0 and any(_filled(value) for value in grid[index][label + 1:]):
        rows.insert(0, index)
        index -= 1
    return rows


def _merged_headings(sheet: Worksheet, grid: list[list[_Value]], header_rows: list[int]) -> dict[tuple[int, int], str]:
    """(row, column) -> the heading of the merged cell that covers it, in the header rows."""
    headings = {}
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(grid) or left >= len(grid[top]):
            continue
        text = _heading(grid[top][left])
        for row in range(top, merged.max_row):
            if row in header_rows:
                for column in range(left, merged.max_col):
                    headings[row, column] = text
    return headings


def _heading(value: _Value) -> str:
    return "" if value is None else " ".join(_text(value).split())


def _columns(grid: list[list[_Value]], header_rows: list[int], headings: dict[tuple[int, int], str],
             data: list[int]) -> list[tuple[int, str]]:
    """The columns kept, by position, each with its one name."""
    width = max(len(grid[index]) for index in [*header_rows, *data])
    named = []
    for column in range(width):
        parts: list[str] = []
        for row in header_rows:
            part = headings.get((row, column)) or _heading(_cell(grid, row, column))
            if part and part not in parts[-1:]:
                parts.append(part)
        name = HEADING_JOINER.join(parts)
        if not name:
            if all(_is_spacer(_cell(grid, row, column)) for row in data):
                continue
            name = f"(column {get_column_letter(column + 1)})"
        named.append((column, name))
    times = Counter(name for _, name in named)
    seen: Counter[str] = Counter()
    columns = []
    for column, name in named:
        seen[name] += 1
        columns.append((column, name if times[name] == 1 else f"{name} ({seen[name]} of {times[name]})"))
    return columns


def _cell(grid: list[list[_Value]], row: int, column: int) -> _Value:
    return grid[row][column] if column < len(grid[row]) else None


def _is_spacer(value: _Value) -> bool:
    return not _filled(value) or isinstance(value, _Error) or (_is_number(value) and value == 0)


def _is_footnote(row: list[_Value]) -> bool:
    """A footnote inside the rows of figures (Microsoft 2014-H1: ``* In early 2014, Turkey…``)."""
    texts = [value for value in row if _filled(value)]
    return (not any(_is_number(value) for value in texts) and isinstance(texts[0], str)
            and texts[0].strip().startswith(FOOTNOTE_MARKERS))


def _figures_below(name: str, grid: list[list[_Value]], end: int) -> list[Problem]:
    """Below the first blank row come notes; a figure there would be left out unseen."""
    return [
        Problem(name, index + 1, get_column_letter(column + 1), _text(value), "unknown-layout",
                "a figure below the table, after a blank row: is the table split in two? "
                "Declare how to read it in builder/importers/")
        for index in range(end, len(grid))
        for column, value in enumerate(grid[index])
        if _is_number(value)
    ]


def _text(value: _Value) -> str:
    """A cell as the text a CSV download would hold: ``35083``, ``0.7401``, ``#REF!``."""
    if value is None:
        return ""
    if isinstance(value, _Error):
        return value.text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        # The shortest text that reads back as the same number, never in exponent form.
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)
