"""Combining imported rows with each other and with what ``data/`` already holds.

A row is identified by its key (company, service, jurisdiction, period, request type). Each
download that gives a key is a version of its figures, ordered by its vintage: the download's
``source_date``, then its layout's rank (for two downloads of one date). The latest version is
the current row, in ``data/requests``. Of the other versions, every figure that differs from
the current one is kept, metric by metric, as a revision in ``data/revisions``: for each
different figure, the latest download that gave it. What is kept depends only on the
versions ever imported, never on the order they came in: importing an older download after a
newer one changes no current figure, and importing the same files again changes nothing.
A key that one download gives and another leaves out is no revision (a cumulative file
leaves out the countries that sent no request).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from builder.core.problems import Problem
from builder.core.schema import COLUMN_NAMES, COUNT_COLUMNS, METRIC_COLUMNS, ROW_KEY
from builder.core.values import ValueProblem
from builder.importers.common import count_total
from builder.importers.records import ImportedRow
from builder.inputs.revisions import PRIMARY_KEY, parse_figure

KEY = ROW_KEY
Key = tuple[str, ...]
Vintage = tuple[str, int]  # source_date, layout rank
RankOfFile = Callable[[str], int | None]


def key_of(cells: Mapping[str, str]) -> Key:
    return tuple(cells.get(column, "") for column in KEY)


@dataclass
class MergeCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    kept_newer: int = 0  # rows left as they are because a newer download gave them
    revisions: int = 0  # revision records after the import
    new_revisions: int = 0  # of which the import added


@dataclass
class Merged:
    rows: list[dict[str, str]] = field(default_factory=list)
    revisions: list[dict[str, str]] = field(default_factory=list)
    counts: MergeCounts = field(default_factory=MergeCounts)
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



def vintage(cells: Mapping[str, str], rank_of_file: RankOfFile) -> Vintage:
    """When a version was published: its download's date, then its layout's rank. A row
    written before vintages were recorded has no date, and is older than any dated one."""
    return cells.get("source_date", ""), rank_of_file(cells.get("source_file", "")) or 0


def _download(cells: Mapping[str, str]) -> tuple[str, str]:
    """Which download a version comes from: its file name and its date."""
    return cells.get("source_file", ""), cells.get("source_date", "")


def _figure(metric: str, text: str) -> object:
    """A figure to compare: ``83.00`` and ``83`` are one percentage."""
    try:
        return parse_figure(metric, text)
    except ValueProblem:
        return text  # a cell edited by hand, which the validator reports; compared as written


@dataclass(frozen=True)
class Earlier:
    """A figure as an earlier download gave it."""

    value: str
    source_file: str
    source_date: str


class History:
    """A company's current rows, and the figures of earlier downloads that differ from them."""

    def __init__(self, rank_of_file: RankOfFile) -> None:
        self.rank_of_file = rank_of_file
        self.current: dict[Key, dict[str, str]] = {}
        # (key, metric) -> figure -> the latest earlier download that gave it
        self.earlier: dict[tuple[Key, str], dict[object, Earlier]] = {}

    def vintage(self, cells: Mapping[str, str]) -> Vintage:
        return vintage(cells, self.rank_of_file)

    def add(self, cells: dict[str, str]) -> None:
        """One download's version of a row: the current one if it is the latest."""
        key = key_of(cells)
        held = self.current.get(key)
        other_download = held is not None and _download(held) != _download(cells)
        if held is not None and other_download and self.vintage(cells) < self.vintage(held):
            self._remember(key, cells)
            return
        self.current[key] = cells
        if held is not None and other_download:
            self._remember(key, held)
        self.forget_current(key)

    def keep(self, key: Key, metric: str, earlier: Earlier) -> None:
        """An earlier download's figure, unless a later earlier download gave the same figure."""
        figures = self.earlier.setdefault((key, metric), {})
        figure = _figure(metric, earlier.value)
        held = figures.get(figure)
        if held is None or self._order(earlier) > self._order(held):
            figures[figure] = earlier

    def forget_current(self, key: Key) -> None:
        """Drop the earlier figures the current row gives itself, or read from its own download."""
        current = self.current[key]
        for metric in METRIC_COLUMNS:
            figures = self.earlier.get((key, metric))
            if not figures:
                continue
            figures.pop(_figure(metric, current[metric]), None)
            for figure in [f for f, earlier in figures.items()
                           if (earlier.source_file, earlier.source_date) == _download(current)]:
                del figures[figure]

    def records(self) -> list[dict[str, str]]:
        """One revision record per key with a current row, metric and earlier figure."""
        records = []
        for (key, metric), figures in self.earlier.items():
            current = self.current.get(key)
            if current is None:
                continue
            for earlier in figures.values():
                records.append({
                    **dict(zip(KEY, key, strict=True)), "metric": metric,
                    "earlier_value": earlier.value, "earlier_source_file": earlier.source_file,
                    "earlier_source_date": earlier.source_date,
                    "later_value": current[metric], "later_source_file": current["source_file"],
                    "later_source_date": current["source_date"],
                })
        return records

    def _remember(self, key: Key, version: Mapping[str, str]) -> None:
        current = self.current[key]
        for metric in METRIC_COLUMNS:
            if _figure(metric, version[metric]) != _figure(metric, current[metric]):
                self.keep(key, metric, Earlier(version[metric], *_download(version)))

    def _order(self, earlier: Earlier) -> tuple[str, int, str]:
        # The file name last: two earlier downloads of one vintage that gave one figure are
        # told apart the same way whatever the order they came in.
        return earlier.source_date, self.rank_of_file(earlier.source_file) or 0, earlier.source_file


def merge(existing: Iterable[Mapping[str, str]], revisions: Iterable[Mapping[str, str]],
          imported: Sequence[ImportedRow], rank_of_file: RankOfFile) -> Merged:
    """The company's rows and revisions after the import, and what the import did to them."""
    history = History(rank_of_file)
    for row in existing:
        history.current[key_of(row)] = {column: row.get(column, "") for column in COLUMN_NAMES}
    before = {key: dict(cells) for key, cells in history.current.items()}
    recorded = [dict(record) for record in revisions]
    for record in recorded:
        earlier = Earlier(record["earlier_value"], record["earlier_source_file"], record["earlier_source_date"])
        history.keep(key_of(record), record["metric"], earlier)
    for key in {key for key, _ in history.earlier} & set(history.current):
        history.forget_current(key)
    result = Merged(problems=_ties(history, imported))
    if result.problems:
        return result
    for row in imported:
        history.add({column: row.cells.get(column, "") for column in COLUMN_NAMES})
    # Records of a key that has no row in data/requests (removed by hand) are left as they are,
    # for the validator to report.
    orphans = [record for record in recorded if key_of(record) not in history.current]
    result.rows = list(history.current.values())
    result.revisions = history.records() + orphans
    result.counts = _counts(before, history, imported, recorded, result.revisions)
    return result


def _ties(history: History, imported: Sequence[ImportedRow]) -> list[Problem]:
    """Two versions of one key from downloads of one vintage: which is current cannot be told."""
    seen: dict[tuple[Key, Vintage], ImportedRow] = {}
    problems = []
    for row in imported:
        key, when = key_of(row.cells), history.vintage(row.cells)
        first = seen.setdefault((key, when), row)
        held = history.current.get(key)
        if first is not row:
            other = f"{first.file} row {first.row}"
        elif held is not None and _download(held) != _download(row.cells) and history.vintage(held) == when:
            other = f"data/requests, read from {held['source_file']},"
        else:
            continue
        problems.append(Problem(
            row.file, row.row, "request_type", row.cells["request_type"], "duplicate-key",
            f"{other} already gives this jurisdiction, period and request type, from a download of the same "
            f"date ({when[0]}) and layout, so which one is current cannot be told; import each download once, "
            "and date downloads apart with --published"))
    return problems


def _counts(before: Mapping[Key, Mapping[str, str]], history: History, imported: Sequence[ImportedRow],
            recorded: Sequence[Mapping[str, str]], revisions: Sequence[Mapping[str, str]]) -> MergeCounts:
    counts = MergeCounts()
    downloads: dict[Key, set[tuple[str, str]]] = {}
    for row in imported:
        downloads.setdefault(key_of(row.cells), set()).add(_download(row.cells))
    for key, read in downloads.items():
        if key not in before:
            counts.added += 1
        elif before[key] != history.current[key]:
            counts.changed += 1
        elif _download(history.current[key]) in read:
            counts.unchanged += 1
        else:
            counts.kept_newer += 1
    counts.revisions = len(revisions)
    earlier = {tuple(record[column] for column in PRIMARY_KEY) for record in recorded}
    counts.new_revisions = len({tuple(record[column] for column in PRIMARY_KEY) for record in revisions} - earlier)
    return counts
