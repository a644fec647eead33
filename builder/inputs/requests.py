"""Loading ``data/requests/*.csv`` into one table, with every problem found on the way.

The table keeps each metric as it was published: ``<metric>_low`` and ``<metric>_high``
(nullable integers; equal for an exact count, a range otherwise, both missing for "not
reported") and the canonical text in ``<metric>``. Problems are collected by the small checks
in :mod:`builder.inputs.checks`; nothing is dropped silently.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from builder.core.problems import Problem, csv_problem, errors, read_csv, stray_files
from builder.core.reading import FileTooLarge, NotUtf8, ReadRefused, decode_utf8, read_data_file
from builder.core.schema import COLUMN_NAMES, COUNT_COLUMNS, HEADER_REQUIRED
from builder.inputs import checks
from builder.inputs.announcements import load_announcements
from builder.inputs.registry import Registry, load_registry

MAX_REQUEST_FILE_BYTES = 200_000_000
LINE = "line"  # the spreadsheet row number of each record (header = 1)
FILE = "file"
MAX_CELL_CHARS = 10_000_000  # a cell longer than the checks allow is reported by them, not by the reader


@dataclass
class RequestData:
    """The parsed request table and what was found wrong with it."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def read_request_file(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one canonical CSV as text cells; structural problems are reported, not raised."""
    text, problems = _read_text(path)
    if text is None:
        return _empty(), problems
    return text_to_frame(path.as_posix(), text)


def read_csv_records(path: Path, columns: Sequence[str]) -> tuple[list[list[str]] | None, list[Problem]]:
    """The records of one CSV file of ``data/`` whose header should be ``columns``, header
    first; ``None`` and the problem when the file cannot be read as CSV at all."""
    text, problems = _read_text(path)
    if text is None:
        return None, problems
    records, error, line = read_csv(text, MAX_CELL_CHARS)
    if error is not None:
        return None, [csv_problem(path.as_posix(), line, error, max_cell=MAX_CELL_CHARS)]
    if not records:
        return None, [_empty_file(path.as_posix(), columns)]
    return records, []


def _read_text(path: Path) -> tuple[str | None, list[Problem]]:
    file = path.as_posix()
    try:
        # Request and revision files live in a folder of the data folder.
        return decode_utf8(read_data_file(path, path.parent.parent, MAX_REQUEST_FILE_BYTES)), []
    except FileTooLarge as error:
        message = f"the file is {error.message}; split it or raise MAX_REQUEST_FILE_BYTES"
        return None, [Problem(file, None, None, None, "file-too-large", message)]
    except ReadRefused as error:
        return None, [Problem(file, None, None, None, error.code, error.message)]
    except (OSError, NotUtf8) as error:
        message = f"cannot read the file as UTF-8 text ({error}); save it as UTF-8 CSV"
        return None, [Problem(file, None, None, None, "file-unreadable", message)]


def _empty_file(file: str, columns: Sequence[str]) -> Problem:
    message = "the file is empty; it needs at least the header row: " + ",".join(columns)
    return Problem(file, 1, None, None, "missing-column", message)


def text_to_frame(file: str, text: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The table of one request file, read record by record into columns whose equal cells are
    one string object: a table of 2,000,000 rows repeats its codes, dates and addresses
    hundreds of thousands of times, and holding a copy of each, or every record as a list,
    would take gigabytes."""
    previous = csv.field_size_limit(MAX_CELL_CHARS)
    # newline="" lets the csv module take \r\n, \n and a lone \r as line ends.
    reader = csv.reader(io.StringIO(text, newline=""))
    del text  # the reader holds it while it reads; nothing else does
    try:
        header = next(reader, None)
        if header is None:
            return _empty(), [_empty_file(file, COLUMN_NAMES)]
        problems = header_problems(file, header, HEADER_REQUIRED)
        if problems:
            return _empty(), problems
        columns: list[list[str]] = [[] for _ in header]
        shared: list[dict[str, str]] = [{} for _ in header]
        lines: list[int] = []
        for number, record in enumerate(reader, start=2):
            if len(record) != len(header):
                if any(cell.strip() for cell in record):
                    problems.append(Problem(
                        file, number, None, ",".join(record)[:80], "ragged-row",
                        f"the row has {len(record)} cells but the header has {len(header)}; "
                        "check for a missing or extra comma, or an unquoted comma inside a cell"))
                continue  # a blank line carries no data; spreadsheet tools add them at the end
            if not any(cell.strip() for cell in record):
                continue
            for cell, column, seen in zip(record, columns, shared, strict=True):
                column.append(seen.setdefault(cell, cell))
            lines.append(number)
    except csv.Error as error:
        return _empty(), [csv_problem(file, reader.line_num, error, max_cell=MAX_CELL_CHARS)]
    finally:
        csv.field_size_limit(previous)
    index = {name: header.index(name) for name in COLUMN_NAMES if name in header}
    absent = [""] * len(lines)
    frame = pd.DataFrame({name: _text_column(columns[index[name]] if name in index else absent)
                          for name in COLUMN_NAMES})
    frame[FILE] = file
    frame[LINE] = pd.Series(lines, dtype="int64")
    return frame, problems


def header_problems(file: str, header: Sequence[str], required: Sequence[str]) -> list[Problem]:
    """A column named twice, or a ``required`` column missing from ``header``."""
    problems = [
        Problem(file, 1, name, name, "duplicate-column", "rename or remove one of the two columns")
        for position, name in enumerate(header)
        if name in header[:position]
    ]
    return problems + [
        Problem(file, 1, name, None, "missing-column", f"add the column `{name}` to the header row")
        for name in required if name not in header
    ]


def _text_column(cells: list[str]) -> pd.Series:
    return pd.Series(pd.array(np.array(cells, dtype=object), dtype="string"))


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype="string") for name in COLUMN_NAMES})
    frame[FILE] = pd.Series(dtype="string")
    frame[LINE] = pd.Series(dtype="int64")
    return frame


def request_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "requests").glob("*.csv"))


def load_requests(data_dir: Path, registry: Registry) -> RequestData:
    """Read and check every request file under ``data_dir/requests``."""
    frames, problems = [], stray_files(data_dir / "requests", ".csv")
    for path in request_files(data_dir):
        frame, file_problems = read_request_file(path)
        frame["file_company"] = path.stem
        frames.append(frame)
        problems += file_problems
    frame = pd.concat(frames, ignore_index=True) if frames else _empty().assign(file_company="")
    frame, check_problems = checks.run_all(frame, registry)
    return RequestData(frame.drop(columns=["file_company"]), problems + check_problems)


def validate_data_dir(data_dir: Path) -> list[Problem]:
    """Every problem in ``data_dir``: the registry, the request files, the revisions, the announcements
    and the events."""
    from builder.inputs.events import load_events  # it reads the announcements' source schema
    from builder.inputs.revisions import load_revisions  # it reads its files with read_csv_records

    registry, problems = load_registry(data_dir / "companies.yml")
    requests = load_requests(data_dir, registry)
    problems += requests.problems
    problems += load_revisions(data_dir, requests.frame, registry)[1]
    problems += load_announcements(data_dir / "announcements", registry)[1]
    problems += load_events(data_dir)[1]
    return problems


__all__ = ["COUNT_COLUMNS", "RequestData", "load_requests", "read_request_file", "validate_data_dir"]
