"""From a download's rows to canonical dataset rows, one per kind of request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from builder.core import jurisdictions
from builder.core.problems import Problem
from builder.core.schema import METRIC_COLUMNS
from builder.core.values import Period, ValueProblem
from builder.importers.common import SourceRow, SourceTable
from builder.importers.layout import Block, CellError, Layout, derive_with_data, read_block

# Places a company lists that have no ISO 3166-1 or CLDR code, folded as
# builder.core.jurisdictions folds names. Their rows are left out only while they report no
# request at all (every figure 0 or blank); a row with a figure is an error, so that no
# request is ever dropped without a decision.
UNCODED_PLACES: dict[str, str] = {
    "netherlands antilles": "dissolved in 2010; ISO 3166-1 withdrew its code (Meta still lists it, with zeros)",
    "somaliland": "has no ISO 3166-1 or CLDR code of its own (Meta lists it once, in 2017-H2, with zeros)",
}


@dataclass(frozen=True)
class ImportedRow:
    """A canonical row, and where it came from: file, spreadsheet row, layout rank, part."""

    cells: dict[str, str]
    file: str
    row: int
    rank: int
    part: str = ""


@dataclass
class TableImport:
    rows: list[ImportedRow]
    problems: list[Problem]
    skipped: list[str]  # why rows were left out: one entry per source row, or per table left out whole


def detect_layout(table: SourceTable, layouts: Sequence[Layout]) -> tuple[Layout | None, list[Problem]]:
    """The layout whose header is exactly this table's header (and whose file name fits)."""
    header = frozenset(table.header)
    name = PurePath(table.file).name
    same_header = [layout for layout in layouts if layout.header == header]
    fitting = [layout for layout in same_header if layout.accepts_file_name(name)]
    if len(fitting) == 1:
        return fitting[0], []
    if same_header:
        expected = "; ".join(f"{layout.name}: {layout.file_name.pattern}" for layout in same_header
                             if layout.file_name is not None)
        return None, [Problem(table.name, None, None, name, "bad-file-name",
                              f"the header is known, but the file name must tell which file it is ({expected}); "
                              "keep the name the company gave the download")]
    return None, [_unknown_layout(table, layouts)]


def _unknown_layout(table: SourceTable, layouts: Sequence[Layout]) -> Problem:
    header = frozenset(table.header)
    closest = min(layouts, key=lambda layout: len(layout.header ^ header))
    unexpected = [column for column in table.header if column not in closest.header]
    missing = sorted(closest.header - header)
    known = ", ".join(layout.name for layout in layouts)
    message = (f"the header is not one the importer knows; closest is '{closest.name}', "
               f"from which it differs by unexpected columns: {', '.join(unexpected) or 'none'}; "
               f"missing columns: {', '.join(missing) or 'none'}. Known layouts: {known}. "
               "If the company changed its download, declare the new layout in builder/importers/")
    return Problem(table.name, table.header_row, ", ".join(unexpected) or None, None, "unknown-layout", message)


def import_table(table: SourceTable, layout: Layout, company: str, source_url: str) -> TableImport:
    """Every canonical row of one table; problems name the file (and table), row and column."""
    result = TableImport([], [], [])
    if layout.left_out is not None:
        if table.rows:
            first, last = table.rows[0].number, table.rows[-1].number
            result.skipped.append(f"rows {first}-{last} ({len(table.rows)} rows): {layout.left_out}")
        return result
    for row in table.rows:
        try:
            _import_row(table, layout, row, company, source_url, result)
        except CellError as error:
            result.problems.append(Problem(table.name, row.number, error.column, error.value,
                                           error.code, error.message))
    return result


def _import_row(table: SourceTable, layout: Layout, row: SourceRow, company: str, source_url: str,
                result: TableImport) -> None:
    place = _place_name(layout, row)
    if place in layout.not_jurisdictions:
        result.skipped.append(f"row {row.number}: '{place}' {layout.not_jurisdictions[place]}")
        return
    broken = layout.broken_rows.get((PurePath(table.file).name, place))
    if broken is not None:
        _check_still_broken(layout, row, place)
        result.skipped.append(f"row {row.number}: '{place}' {broken}")
        return
    jurisdiction = _jurisdiction(layout, row)
    period = _period(layout, row, table.file)
    by_type: dict[str, ImportedRow] = {}
    for block in layout.blocks:
        imported = _block_row(layout, block, row, period, jurisdiction or "", table)
        if imported is None:
            continue
        request_type = imported.cells["request_type"]
        if request_type in by_type:
            _check_same_figures(by_type[request_type], imported)
            continue
        by_type[request_type] = imported
    if jurisdiction is None:
        _check_uncoded_place_is_empty(place, list(by_type.values()))
        result.skipped.append(f"row {row.number}: '{place}' {UNCODED_PLACES[_fold(_unmarked(place))]}")
        return
    place_note = f"The company marks the place name with a footnote ({place})." if _unmarked(place) != place else ""
    for imported in by_type.values():
        imported.cells.update(company=company, source_url=source_url,
                              note=" ".join(part for part in (place_note, imported.cells["note"]) if part))
        result.rows.append(imported)


def _place_name(layout: Layout, row: SourceRow) -> str:
    return row.cells[layout.place_name].strip() if layout.place_name else ""


def _jurisdiction(layout: Layout, row: SourceRow) -> str | None:
    """The row's jurisdiction code; ``None`` for a declared uncoded place."""
    if layout.jurisdiction:
        return layout.jurisdiction
    code = row.cells[layout.place_code].strip() if layout.place_code else ""
    code = layout.place_codes.get(code, code)
    if code:
        if not jurisdictions.is_known(code):
            raise CellError(layout.place_code, code, "unknown-place",
                            "not an ISO 3166-1 alpha-2 or CLDR territory code; if CLDR defines it, "
                            "add it to EXTRA_CODES in builder/jurisdictions.py")
        return code
    name = _unmarked(_place_name(layout, row))
    found = jurisdictions.code_for_name(name)
    if found:
        return found
    if _fold(name) in UNCODED_PLACES:
        return None
    raise CellError(layout.place_name or layout.place_code, name, "unknown-place",
                    "no jurisdiction code is known for this place name; add the name to ALIASES in "
                    "builder/jurisdictions.py with its ISO 3166-1 code")


def _unmarked(place: str) -> str:
    """A place name without the footnote marker glued to it (Twitter's ``China**``)."""
    return place.rstrip("*").strip()


def _fold(name: str) -> str:
    return " ".join(name.lower().split())


def _period(layout: Layout, row: SourceRow, file: str) -> Period:
    try:
        return layout.period.period(row.cells, PurePath(file).name)
    except ValueProblem as problem:
        columns = layout.period.columns
        column = columns[0] if columns else None
        value = " / ".join(row.cells[c] for c in columns) if columns else PurePath(file).name
        raise CellError(column, value, problem.code, problem.message) from problem


def _block_row(layout: Layout, block: Block, row: SourceRow, period: Period, jurisdiction: str,
               table: SourceTable) -> ImportedRow | None:
    read = read_block(block, row)
    if read is None:
        return None
    metrics, notes = read
    if block.first_reported is not None and period.end < block.first_reported:
        _check_not_yet_published(layout, block, metrics, row)
        return None
    request_type, label = _request_type(layout, block, row)
    _apply_first_reported(layout, block, period, metrics, row)
    derived = derive_with_data(block, metrics, notes)
    cells = {
        "service": "all",
        "jurisdiction": jurisdiction,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "request_type": request_type,
        "company_label": label,
        **{column: metrics.get(column, "") for column in METRIC_COLUMNS},
        "source_file": PurePath(table.file).name,
        "derived": " ".join(derived),
        "note": " ".join(notes),
    }
    part = row.cells[layout.parts_column].strip() if layout.parts_column else ""
    return ImportedRow(cells, table.file, row.number, layout.rank, part)


def _request_type(layout: Layout, block: Block, row: SourceRow) -> tuple[str, str]:
    if block.request_type is not None:
        return block.request_type, block.company_label or ""
    assert layout.type_column is not None, f"layout {layout.name} has a block without a request type"
    label = row.cells[layout.type_column].strip()
    if label not in layout.type_values:
        known = ", ".join(sorted(layout.type_values))
        raise CellError(layout.type_column, label, "unknown-request-label",
                        f"the importer has no request type for this kind of request (it knows: {known}); "
                        f"map it in the layout '{layout.name}' in builder/importers/")
    return layout.type_values[label], label


def _apply_first_reported(layout: Layout, block: Block, period: Period, metrics: dict[str, str],
                          row: SourceRow) -> None:
    """Blank the zeros a company wrote for figures it did not publish yet."""
    for metric, first_end in layout.first_reported.items():
        if metric not in metrics or period.end >= first_end:
            continue
        if metrics[metric] not in ("", "0"):
            column = block.metrics()[metric].column
            raise CellError(column, row.cells[column], "bad-cell",
                            f"the layout '{layout.name}' says this figure was first published for the period "
                            f"ending {first_end}, so earlier periods should hold 0 or nothing; check the file "
                            "and the rule in builder/importers/")
        metrics[metric] = ""


def _check_not_yet_published(layout: Layout, block: Block, metrics: dict[str, str], row: SourceRow) -> None:
    """A kind of request the company did not publish yet: its cells hold 0 or nothing."""
    for name, text in metrics.items():
        if text not in ("", "0"):
            column = block.metrics()[name].column
            raise CellError(column, row.cells[column], "bad-cell",
                            f"the layout '{layout.name}' says '{block.company_label}' figures were first published "
                            f"for the period ending {block.first_reported}, so earlier periods should hold 0 or "
                            "nothing; check the file and the rule in builder/importers/")


def _check_still_broken(layout: Layout, row: SourceRow, place: str) -> None:
    try:
        for block in layout.blocks:
            read_block(block, row)
    except CellError:
        return
    raise CellError(layout.place_name, place, "bad-cell",
                    f"the layout '{layout.name}' leaves this row out as unreadable, but it reads; "
                    "remove it from broken_rows in builder/importers/")


def _check_same_figures(first: ImportedRow, second: ImportedRow) -> None:
    """Two column groups of one row may give the same figure under two names (Meta's
    ``Emergency Request Total`` and older ``Emergency Disclosures``): they must agree."""
    differing = [c for c in METRIC_COLUMNS if first.cells[c] != second.cells[c]]
    if differing:
        column = differing[0]
        raise CellError(second.cells["company_label"], second.cells[column], "duplicate-key",
                        f"'{first.cells['company_label']}' and '{second.cells['company_label']}' both give "
                        f"{first.cells['request_type']} figures, and they differ in {column}; "
                        "which one is right?")


def _check_uncoded_place_is_empty(place: str, rows: list[ImportedRow]) -> None:
    for imported in rows:
        for column in METRIC_COLUMNS:
            if imported.cells[column] not in ("", "0"):
                raise CellError(None, place, "unknown-place",
                                f"this place has no jurisdiction code ({UNCODED_PLACES[_fold(_unmarked(place))]}), "
                                f"yet the row reports {column} = {imported.cells[column]}; decide how to "
                                "code it in builder/jurisdictions.py")
