"""Combining imported rows with each other and with the rows already in ``data/requests``.

A row is identified by its key (company, service, jurisdiction, period, request type).
Between the files of one import, the newer layout wins a key; against the dataset, an
imported row adds a key or replaces the row with its key, unless that row was read from a
newer download than the one imported now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from builder.importers.common import count_total
from builder.importers.records import ImportedRow
from builder.problems import WARNING, Problem
from builder.schema import COLUMN_NAMES, COUNT_COLUMNS, METRIC_COLUMNS, PERCENT_COLUMNS
from builder.values import parse_percent

KEY: tuple[str, ...] = ("company", "service", "jurisdiction", "period_start", "period_end", "request_type")
Key = tuple[str, ...]


def key_of(cells: Mapping[str, str]) -> Key:
    return tuple(cells.get(column, "") for column in KEY)


@dataclass
class MergeCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    kept_newer: int = 0  # rows left as they are because a newer download gave them


@dataclass
class Resolved:
    rows: dict[Key, ImportedRow] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def add_up_parts(rows: list[ImportedRow], parts_label: str) -> list[ImportedRow]:
    """One row per key and file, from rows that are parts of one figure (Google's diplomatic
    requests come as one row per assisting country). The sum is marked derived."""
    groups: dict[tuple[str, Key], list[ImportedRow]] = {}
    for row in rows:
        groups.setdefault((row.file, key_of(row.cells)), []).append(row)
    combined = []
    for parts in groups.values():
        first = parts[0]
        cells = dict(first.cells)
        listed = ", ".join(f"{part.part} {part.cells['requests'] or 'not reported'}" for part in parts)
        if len(parts) == 1:
            cells["note"] = _join(f"{parts_label}: {first.part}.", cells["note"])
        else:
            summed = [c for c in COUNT_COLUMNS if any(part.cells[c] for part in parts)]
            for column in summed:
                cells[column] = count_total([part.cells[column] for part in parts])
            cells["derived"] = " ".join(summed)
            cells["note"] = _join(f"Sum of the company's rows per {parts_label.lower()}: {listed}.", cells["note"])
        combined.append(ImportedRow(cells, first.file, first.row, first.rank))
    return combined


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def resolve(rows: Iterable[ImportedRow]) -> Resolved:
    """One row per key: the newer layout wins; the same key twice at one rank is an error."""
    result = Resolved()
    for row in rows:
        key = key_of(row.cells)
        held = result.rows.get(key)
        if held is None:
            result.rows[key] = row
            continue
        if held.rank == row.rank:
            result.problems.append(Problem(
                row.file, row.row, "request_type", row.cells["request_type"], "duplicate-key",
                f"{held.file} row {held.row} already gives this jurisdiction, period and request type; "
                "import each download once, and only one download per period"))
            continue
        newer, older = (held, row) if held.rank > row.rank else (row, held)
        result.rows[key] = newer
        result.problems.extend(_disagreements(newer, older))
    return result


def _disagreements(newer: ImportedRow, older: ImportedRow) -> list[Problem]:
    return [
        Problem(older.file, older.row, column, older.cells[column], "superseded-value",
                f"{newer.file} row {newer.row}, a newer download, gives {newer.cells[column] or 'nothing'} "
                "for this figure; the newer value is kept", severity=WARNING)
        for column in METRIC_COLUMNS
        if _comparable(column, newer.cells[column]) != _comparable(column, older.cells[column])
    ]


def _comparable(column: str, text: str) -> object:
    """``83.00`` and ``83`` are the same percentage, published with other digits."""
    return parse_percent(text) if column in PERCENT_COLUMNS else text


def merge(existing: Iterable[Mapping[str, str]], imported: Mapping[Key, ImportedRow],
          rank_of_file: Callable[[str], int | None]) -> tuple[list[dict[str, str]], MergeCounts]:
    """The company's rows after the import, and what the import did to them."""
    rows = {key_of(row): {column: row.get(column, "") for column in COLUMN_NAMES} for row in existing}
    counts = MergeCounts()
    for key, new in imported.items():
        old = rows.get(key)
        if old is None:
            counts.added += 1
        elif old == new.cells:
            counts.unchanged += 1
            continue
        elif (rank_of_file(old["source_file"]) or 0) > new.rank:
            counts.kept_newer += 1
            continue
        else:
            counts.changed += 1
        rows[key] = dict(new.cells)
    return list(rows.values()), counts
