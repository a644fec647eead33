"""Importers for the companies' official downloads: ``python -m builder import <company> FILE...``.

Each company module declares the layouts of its downloads as data (:mod:`.layout`). An
import reads and checks every file completely before it writes anything: one error, and
``data/`` is left untouched. Rows are merged into ``data/requests/<company>.csv`` by key,
the figures of an older download than the current one kept in ``data/revisions/<company>.csv``
(:mod:`.merge`), so importing the same files again changes nothing, byte for byte, and
importing them in another order neither.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from builder.core.files import write_if_changed
from builder.core.problems import Problem, errors, format_table
from builder.core.reading import NotUtf8, ReadRefused, decode_utf8, read_data_file
from builder.core.values import ValueProblem, parse_date
from builder.importers import apple, google, meta, microsoft, twitter
from builder.importers.common import SourceTable, read_tables
from builder.importers.layout import Layout
from builder.importers.merge import MergeCounts, add_up_parts, merge
from builder.importers.records import ImportedRow, detect_layout, import_table
from builder.importers.vintage import latest_period_end, stray_periods
from builder.importers.workbook import read_workbook
from builder.inputs import checks
from builder.inputs.registry import Registry, load_registry
from builder.inputs.requests import MAX_REQUEST_FILE_BYTES, text_to_frame
from builder.inputs.requests_csv import render_rows
from builder.inputs.revisions import FOLDER as REVISIONS_FOLDER
from builder.inputs.revisions import read_revision_file
from builder.inputs.revisions import render as render_revisions

LAYOUTS: dict[str, tuple[Layout, ...]] = {
    "google": google.LAYOUTS,
    "meta": meta.LAYOUTS,
    "apple": apple.LAYOUTS,
    "twitter": twitter.LAYOUTS,
    "microsoft": microsoft.LAYOUTS,
}


@dataclass
class ImportResult:
    company: str
    target: Path
    rows: list[dict[str, str]] = field(default_factory=list)
    revisions: list[dict[str, str]] = field(default_factory=list)
    counts: MergeCounts = field(default_factory=MergeCounts)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file: row N: why", rows deliberately left out

    @property
    def ok(self) -> bool:
        return not errors(self.problems)

    @property
    def revisions_target(self) -> Path:
        return self.target.parent.parent / REVISIONS_FOLDER / self.target.name


def run(company: str, files: Sequence[Path], data_dir: Path, published: str | None = None) -> int:
    """Import ``files`` into ``data_dir``, print what happened, and return the exit code.
    ``published``: the ISO date the company published the files (else each file's latest period end)."""
    result = import_files(company, files, data_dir, published)
    if result.problems:
        print(format_table(result.problems), file=sys.stderr)
    if not result.ok:
        print(f"{company}: nothing was written; fix the errors above and import again.", file=sys.stderr)
        return 1
    written = write_if_changed(result.target, render_rows(result.rows))
    counts = result.counts
    summary = (f"{company}: {counts.added} added, {counts.changed} changed, "
               f"{counts.unchanged} unchanged rows -> {_shown(result.target)}")
    if counts.kept_newer:
        summary += f" ({counts.kept_newer} rows kept as read from a newer download)"
    print(summary + ("" if written else " (file already up to date)"))
    if result.revisions or result.revisions_target.exists():
        written = write_if_changed(result.revisions_target, render_revisions(result.revisions))
        print(f"{company}: {counts.revisions} revisions recorded ({counts.new_revisions} new) -> "
              f"{_shown(result.revisions_target)}" + ("" if written else " (file already up to date)"))
    else:
        print(f"{company}: 0 revisions recorded")
    if result.skipped:
        print("Source rows left out on purpose:")
        for reason in result.skipped:
            print(f"  {reason}")
    return 0


def import_files(company: str, files: Sequence[Path], data_dir: Path, published: str | None = None) -> ImportResult:
    """Read, check and merge everything, writing nothing."""
    result = ImportResult(company, data_dir / "requests" / f"{company}.csv")
    registry, result.problems = load_registry(data_dir / "companies.yml")
    source_url = _source_url(company, registry, data_dir, result.problems)
    published_on = _published(published, result.problems)
    if company not in LAYOUTS:
        known = ", ".join(sorted(LAYOUTS))
        result.problems.append(Problem(company, None, None, company, "unknown-company",
                                       f"there is no importer for this company; importers exist for {known}"))
    if not result.ok or source_url is None:
        return result
    imported = _read_files(company, files, source_url, published_on, result)
    existing = _existing_rows(result.target, result.problems)
    revisions = _existing_revisions(result.revisions_target, registry, result.problems)
    if result.ok:
        merged = merge(existing, revisions, imported, lambda name: _rank_of(company, name))
        result.problems += merged.problems
        result.rows, result.revisions, result.counts = merged.rows, merged.revisions, merged.counts
    if result.ok:
        result.problems += _checked(result.target, result.rows, registry)
    return result


def _checked(target: Path, rows: list[dict[str, str]], registry: Registry) -> list[Problem]:
    """The errors ``validate`` would find in the file the import is about to write (a formula in
    a cell, a figure out of bounds...), whether the import or an earlier hand edit put them there:
    an import never writes a file that validate refuses."""
    frame, problems = text_to_frame(target.as_posix(), render_rows(rows))
    frame["file_company"] = target.stem
    return errors(problems + checks.run_all(frame, registry)[1])


def _published(text: str | None, problems: list[Problem]) -> dt.date | None:
    """The date given with ``--published``: a real ISO date, not after today."""
    if text is None:
        return None
    try:
        day = parse_date(text)
    except ValueProblem as error:
        problems.append(Problem("--published", None, None, text, error.code, error.message))
        return None
    if day > dt.date.today():
        problems.append(Problem("--published", None, None, text, "bad-date",
                                f"the date is after today ({dt.date.today()}); give the day the company "
                                "published the download"))
    return day


def _read_files(company: str, files: Sequence[Path], source_url: str, published: dt.date | None,
                result: ImportResult) -> list[ImportedRow]:
    imported: list[ImportedRow] = []
    for path in dict.fromkeys(files):  # a file named twice is read once
        tables, problems = read_workbook(path) if path.suffix.lower() == ".xlsx" else read_tables(path)
        result.problems += problems
        rows: list[ImportedRow] = []
        for table in tables:
            rows += _read_table(company, table, source_url, result)
        imported += _dated(path, rows, published, result)
    return imported


def _dated(path: Path, rows: list[ImportedRow], published: dt.date | None, result: ImportResult) -> list[ImportedRow]:
    """The rows of one file without its stray periods, each dated with the file's vintage."""
    for stray in stray_periods(rows):
        span = (stray.period.start.isoformat(), stray.period.end.isoformat())
        left_out = {(row.file, row.row) for row in rows if (row.cells["period_start"], row.cells["period_end"]) == span}
        result.skipped += [f"{file}: {stray.reason(number)}" for file, number in sorted(left_out)]
        rows = [row for row in rows if (row.file, row.row) not in left_out]
    latest = latest_period_end(rows)
    if published is not None and latest is not None and published < latest:
        result.problems.append(Problem(path.as_posix(), None, None, published.isoformat(), "bad-date",
                                       f"the file holds figures for the period ending {latest}, so the company "
                                       "published it after that day; check the date given with --published"))
    vintage = published or latest
    for row in rows:
        row.cells["source_date"] = "" if vintage is None else vintage.isoformat()
    return rows


def _read_table(company: str, table: SourceTable, source_url: str, result: ImportResult) -> list[ImportedRow]:
    """The rows of one table of a file; a table in no known layout is refused (an error)."""
    layout, problems = detect_layout(table, LAYOUTS[company])
    result.problems += problems
    if layout is None:
        return []
    table_import = import_table(table, layout, company, source_url)
    result.problems += table_import.problems
    result.skipped += [f"{table.name}: {reason}" for reason in table_import.skipped]
    rows = table_import.rows
    if layout.parts_column:
        rows = add_up_parts(rows, layout.parts_column)
    return rows


def _source_url(company: str, registry: Registry, data_dir: Path, problems: list[Problem]) -> str | None:
    if company not in registry:
        problems.append(Problem((data_dir / "companies.yml").as_posix(), None, "slug", company,
                                "unknown-company", "add the company to data/companies.yml before importing"))
        return None
    url = registry[company].report_url
    if not url:
        problems.append(Problem((data_dir / "companies.yml").as_posix(), None, "report_url", company,
                                "missing-source", "give the company's report_url; every row cites it"))
    return url


def _existing_rows(path: Path, problems: list[Problem]) -> list[dict[str, str]]:
    try:
        text = decode_utf8(read_data_file(path, path.parent.parent, MAX_REQUEST_FILE_BYTES))
        return list(csv.DictReader(io.StringIO(text, newline="")))
    except FileNotFoundError:
        return []
    except ReadRefused as error:
        problems.append(Problem(path.as_posix(), None, None, None, error.code,
                                f"cannot merge into the current dataset file: {error.message}"))
        return []
    except (OSError, NotUtf8, csv.Error) as error:
        problems.append(Problem(path.as_posix(), None, None, None, "file-unreadable",
                                f"cannot read the current dataset file to merge into: {error}"))
        return []


def _existing_revisions(path: Path, registry: Registry, problems: list[Problem]) -> list[dict[str, str]]:
    """The revision records to merge into; a record with a wrong cell stops the import."""
    if not path.exists():
        return []
    records, file_problems = read_revision_file(path, registry)
    problems += file_problems
    return [record.cells for record in records]


def _rank_of(company: str, file_name: str) -> int | None:
    """The rank of the newest layout whose file name pattern fits ``file_name``."""
    ranks = [layout.rank for layout in LAYOUTS[company]
             if layout.file_name is not None and layout.file_name.search(PurePath(file_name).name)]
    return max(ranks, default=None)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
