"""Importers for the companies' official downloads: ``python -m builder import <company> FILE...``.

Each company module declares the layouts of its downloads as data (:mod:`.layout`). An
import reads and checks every file completely before it writes anything: one error, and
``data/`` is left untouched. Rows are merged into ``data/requests/<company>.csv`` by key,
so importing the same files again changes nothing, byte for byte.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from builder.importers import apple, google, meta, twitter
from builder.importers.common import SourceTable, read_tables
from builder.importers.layout import Layout
from builder.importers.merge import MergeCounts, add_up_parts, merge, resolve
from builder.importers.records import ImportedRow, detect_layout, import_table
from builder.output import write_if_changed
from builder.problems import Problem, errors, format_table
from builder.registry import load_registry
from builder.requests_csv import render_rows

LAYOUTS: dict[str, tuple[Layout, ...]] = {
    "google": google.LAYOUTS,
    "meta": meta.LAYOUTS,
    "apple": apple.LAYOUTS,
    "twitter": twitter.LAYOUTS,
}


@dataclass
class ImportResult:
    company: str
    target: Path
    rows: list[dict[str, str]] = field(default_factory=list)
    counts: MergeCounts = field(default_factory=MergeCounts)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file: row N: why", rows deliberately left out

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def run(company: str, files: Sequence[Path], data_dir: Path) -> int:
    """Import ``files`` into ``data_dir``, print what happened, and return the exit code."""
    result = import_files(company, files, data_dir)
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
    if result.skipped:
        print("Source rows left out on purpose:")
        for reason in result.skipped:
            print(f"  {reason}")
    return 0


def import_files(company: str, files: Sequence[Path], data_dir: Path) -> ImportResult:
    """Read, check and merge everything, writing nothing."""
    result = ImportResult(company, data_dir / "requests" / f"{company}.csv")
    source_url = _source_url(company, data_dir, result.problems)
    if company not in LAYOUTS:
        known = ", ".join(sorted(LAYOUTS))
        result.problems.append(Problem(company, None, None, company, "unknown-company",
                                       f"there is no importer for this company; importers exist for {known}"))
    if not result.ok or source_url is None:
        return result
    imported = _read_files(company, files, source_url, result)
    resolved = resolve(imported)
    result.problems += resolved.problems
    existing = _existing_rows(result.target, result.problems)
    if result.ok:
        result.rows, result.counts = merge(existing, resolved.rows, lambda name: _rank_of(company, name))
    return result


def _read_files(company: str, files: Sequence[Path], source_url: str, result: ImportResult) -> list[ImportedRow]:
    imported: list[ImportedRow] = []
    for path in dict.fromkeys(files):  # a file named twice is read once
        tables, problems = read_tables(path)
        result.problems += problems
        for table in tables:
            imported += _read_table(company, table, source_url, result)
    return imported


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


def _source_url(company: str, data_dir: Path, problems: list[Problem]) -> str | None:
    registry, registry_problems = load_registry(data_dir / "companies.yml")
    problems += registry_problems
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
        with path.open(encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        problems.append(Problem(path.as_posix(), None, None, None, "file-unreadable",
                                f"cannot read the current dataset file to merge into: {error}"))
        return []


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
