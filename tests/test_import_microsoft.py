"""Microsoft's Law Enforcement Requests Report workbooks: every layout, the checks of each share
against its count, and the workbooks' own faults (error cells, a sheet titled with the wrong
half-year, rows whose counts are fractions)."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import openpyxl
import pytest
from conftest import empty_data_dir as data_dir

from builder.core.problems import errors
from builder.importers import LAYOUTS, import_files, run, workbook
from builder.importers.records import detect_layout
from builder.importers.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "data" / "sources" / "official" / "microsoft"
WORKBOOKS = sorted(FOLDER.glob("Microsoft-LERR_*.xlsx"))

Rows = dict[tuple[str, str, str], dict[str, str]]


def workbook_of(half_year: str) -> Path:
    return FOLDER / f"Microsoft-LERR_{half_year}.xlsx"


def imported(data: Path, files: list[Path]) -> Rows:
    """(jurisdiction, period_end, request_type) -> row, after importing ``files`` into ``data``."""
    if files:
        assert run("microsoft", files, data) == 0
    with (data / "requests" / "microsoft.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    keyed = {(r["jurisdiction"], r["period_end"], r["request_type"]): r for r in rows}
    assert len(keyed) == len(rows), "two rows share a key"
    return keyed


@pytest.fixture(scope="module")
def imported_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder into which every workbook was imported."""
    data = data_dir(tmp_path_factory.mktemp("microsoft"))
    assert run("microsoft", WORKBOOKS, data) == 0
    return data


@pytest.fixture(scope="module")
def microsoft(imported_data: Path) -> Rows:
    return imported(imported_data, [])


def outcomes(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[column] for column in ("requests", "accounts", "requests_content", "requests_non_content_only",
                                            "requests_no_data", "requests_rejected"))


def edited_copy(tmp_path: Path, half_year: str, edit: object) -> Path:
    """A copy of a real workbook with ``edit(workbook)`` applied, under the company's file name."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(workbook_of(half_year), data_only=True)
    edit(book)
    target = tmp_path / "download" / workbook_of(half_year).name
    target.parent.mkdir()
    book.save(target)
    return target


# --- every layout --------------------------------------------------------------------------------


@pytest.mark.parametrize(("half_year", "sheet", "layout"), [
    ("2013_H2", "All Microsoft Services", "microsoft-2013H2-to-2017H2"),
    ("2016_H1", "Sheet1", "microsoft-2013H2-to-2017H2"),
    ("2017_H1", "Total - Emergencies", "microsoft-2013H2-to-2017H2"),
    ("2017_H2", "Civil Legal Requests", "microsoft-civil-2017H2"),
    ("2020_H2", "Criminal", "microsoft-2018H1-on-criminal"),
    ("2020_H2", "Emergencies", "microsoft-2018H1-on"),
    ("2020_H2", "Civil Legal Requests", "microsoft-civil-2018H1-on"),
])
def test_each_kind_of_sheet_is_recognised_by_its_header(half_year: str, sheet: str, layout: str) -> None:
    tables, problems = read_workbook(workbook_of(half_year))
    assert problems == []
    table = next(table for table in tables if table.title == f"sheet {sheet}")
    found, problems = detect_layout(table, LAYOUTS["microsoft"])
    assert problems == []
    assert found is not None and found.name == layout


def test_every_workbook_and_sheet_is_imported(microsoft: Rows) -> None:
    kinds = {(end, kind) for (_, end, kind) in microsoft}
    ends = sorted({end for end, _ in kinds})
    assert len(ends) == 15 and ends[0] == "2013-12-31" and ends[-1] == "2020-12-31"
    assert {kind for end, kind in kinds if end <= "2016-12-31"} == {"all"}
    assert {kind for end, kind in kinds if end == "2017-06-30"} == {"legal_process", "emergency"}
    assert {kind for end, kind in kinds if end >= "2017-12-31"} == {"legal_process", "emergency", "civil"}


def test_the_one_sheet_of_2013_to_2016_counts_all_law_enforcement_requests(microsoft: Rows) -> None:
    # 2016-H2, sheet "TOTAL", countries in column A under a three-row header.
    row = microsoft["HK", "2016-12-31", "all"]
    assert outcomes(row) == ("77", "80", "0", "54", "10", "13")
    assert row["company_label"] == "TOTAL"
    assert row["source_file"] == "Microsoft-LERR_2016_H2.xlsx"


def test_the_two_row_header_reads_the_share_first_then_the_count(microsoft: Rows) -> None:
    # 2018-H2 Emergencies: Hong Kong's one request found no data (published 100% and 1).
    assert outcomes(microsoft["HK", "2018-12-31", "emergency"]) == ("1", "1", "0", "0", "1", "0")
    # 2020-H1 Criminal, with its side table of US warrants beside the rows.
    assert outcomes(microsoft["US", "2020-06-30", "legal_process"]) == ("5507", "17717", "845", "2989", "839", "834")


def test_civil_sheets_give_requests_and_accounts_only(microsoft: Rows) -> None:
    # From 2018-H1 the civil outcomes count accounts, not requests; 2017-H2's do not add up.
    assert outcomes(microsoft["US", "2020-12-31", "civil"]) == ("102", "754", "", "", "", "")
    assert outcomes(microsoft["US", "2017-12-31", "civil"]) == ("108", "168", "", "", "", "")
    assert microsoft["GB", "2019-06-30", "civil"]["requests"] == "6"  # Microsoft writes "UK"


def test_2017_h2_civil_sheet_is_dated_by_its_file_name_not_its_title(microsoft: Rows) -> None:
    # The sheet is titled "January 2017 - June 2017" in the report for July to December 2017.
    row = microsoft["BR", "2017-12-31", "civil"]
    assert (row["period_start"], row["requests"]) == ("2017-07-01", "74")
    assert ("BR", "2017-06-30", "civil") not in microsoft


# --- cross-checks --------------------------------------------------------------------------------


def test_hong_kong_matches_independent_reporting(microsoft: Rows) -> None:
    # The last period with a Hong Kong row: 77 criminal requests naming 114 accounts.
    row = microsoft["HK", "2020-06-30", "legal_process"]
    assert (row["requests"], row["accounts"]) == ("77", "114")


def test_hong_kong_has_no_row_after_microsoft_paused(microsoft: Rows) -> None:
    # Not listed in 2020-H2 is not a published 0: there is no row at all.
    assert [key for key in microsoft if key[0] == "HK" and key[1] == "2020-12-31"] == []
    assert microsoft["US", "2020-12-31", "legal_process"]["requests"] == "5682"


def test_requests_with_data_is_derived_from_content_and_non_content(microsoft: Rows) -> None:
    row = microsoft["HK", "2020-06-30", "legal_process"]
    # 0 with content + 46 with non-content data only; 46 of 77 has no exact percentage.
    assert (row["requests_with_data"], row["percent_with_data"], row["derived"]) == ("46", "", "requests_with_data")
    assert "requests_content and requests_non_content_only" in row["note"]
    row = microsoft["HK", "2017-06-30", "emergency"]
    assert (row["requests_with_data"], row["percent_with_data"]) == ("0", "0")
    assert row["derived"] == "requests_with_data percent_with_data"


# --- the workbooks' own faults -------------------------------------------------------------------


def test_ref_errors_in_the_2015_h2_spacer_columns_are_ignored(microsoft: Rows) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = openpyxl.load_workbook(workbook_of("2015_H2"), data_only=True)["LERR"]
    spacers = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.value == "#REF!"]
    assert len(spacers) == 107 and {coordinate[0] for coordinate in spacers} == {"E", "J"}
    (table,), problems = read_workbook(workbook_of("2015_H2"))
    assert problems == []
    assert not any("#REF!" in cell for row in table.rows for cell in row.cells.values())
    assert outcomes(microsoft["HK", "2015-12-31", "all"]) == ("107", "113", "0", "57", "22", "28")


def test_rows_whose_counts_are_fractions_are_left_out_and_listed(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # 2015-H2: a formula adds a Skype share to four countries' counts (Israel: 20.142857 requests).
    rows = imported(data_dir(tmp_path), [workbook_of("2015_H2")])
    assert ("IL", "2015-12-31", "all") not in rows and ("KR", "2015-12-31", "all") not in rows
    assert rows["IN", "2015-12-31", "all"]["requests"] == "414"
    assert "row 35: 'Israel' has fractional counts" in capsys.readouterr().out


def test_an_error_cell_where_a_figure_should_be_is_a_problem_of_that_cell(tmp_path: Path) -> None:
    def break_argentina(book: openpyxl.Workbook) -> None:
        book["Criminal"]["D6"] = "#REF!"  # Argentina's requests

    data = data_dir(tmp_path)
    result = import_files("microsoft", [edited_copy(tmp_path, "2020_H1", break_argentina)], data)
    (problem,) = errors(result.problems)
    assert problem.file.endswith("Microsoft-LERR_2020_H1.xlsx (sheet Criminal)")
    assert (problem.row, problem.column, problem.value, problem.code) == (
        6, "Total Requests | Total Number of Law Enforcement Requests", "#REF!", "bad-cell")
    assert run("microsoft", [tmp_path / "download" / "Microsoft-LERR_2020_H1.xlsx"], data) == 1
    assert not (data / "requests" / "microsoft.csv").exists()


def test_a_share_that_disagrees_with_its_count_is_refused(tmp_path: Path) -> None:
    def misstate_hong_kong(book: openpyxl.Workbook) -> None:
        book["Criminal"]["I23"] = 0.5  # Hong Kong: 46 of 77 requests with non-content data only is 0.5974

    result = import_files("microsoft", [edited_copy(tmp_path, "2020_H1", misstate_hong_kong)], data_dir(tmp_path))
    (problem,) = errors(result.problems)
    assert (problem.row, problem.code, problem.value) == (23, "share-mismatch", "0.5")
    assert problem.column.endswith("Only Subscriber/Transactional (Non-Content) Data (1 of 2)")
    assert "46 of 77" in problem.message


def test_a_fraction_where_a_count_should_be_is_refused(tmp_path: Path) -> None:
    def swap_hong_kong(book: openpyxl.Workbook) -> None:
        book["Criminal"]["J23"] = 0.5974  # the share where the count of 46 belongs

    result = import_files("microsoft", [edited_copy(tmp_path, "2020_H1", swap_hong_kong)], data_dir(tmp_path))
    (problem,) = errors(result.problems)
    assert (problem.row, problem.value, problem.code) == (23, "0.5974", "bad-cell")


def test_a_workbook_with_an_unknown_sheet_is_refused_whole(tmp_path: Path) -> None:
    def rename_heading(book: openpyxl.Workbook) -> None:
        book["Emergencies"]["E4"] = "Accounts Specified"

    data = data_dir(tmp_path)
    copy = edited_copy(tmp_path, "2020_H2", rename_heading)
    result = import_files("microsoft", [copy], data)
    (problem,) = errors(result.problems)
    assert problem.code == "unknown-layout" and problem.row == 3
    assert problem.file.endswith("(sheet Emergencies)")
    assert "Total Requests | Accounts Specified" in problem.message
    assert run("microsoft", [copy], data) == 1
    assert not (data / "requests" / "microsoft.csv").exists()  # not even the sheets that were understood


def test_a_sheet_of_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    def rename_sheet(book: openpyxl.Workbook) -> None:
        book["Emergencies"].title = "Urgent"

    result = import_files("microsoft", [edited_copy(tmp_path, "2020_H2", rename_sheet)], data_dir(tmp_path))
    assert {problem.code for problem in errors(result.problems)} == {"unknown-request-label"}


def test_a_file_that_is_not_a_workbook_is_unreadable(tmp_path: Path) -> None:
    fake = tmp_path / "Microsoft-LERR_2021_H1.xlsx"
    fake.write_text("Country,Requests\nHong Kong,1\n", encoding="utf-8")
    tables, problems = read_workbook(fake)
    assert tables == [] and [problem.code for problem in problems] == ["file-unreadable"]


def test_a_workbook_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_FILE_BYTES", 1000)
    tables, problems = read_workbook(workbook_of("2020_H2"))
    assert tables == [] and [problem.code for problem in problems] == ["file-too-large"]


def test_the_committed_dataset_is_exactly_what_the_import_makes(imported_data: Path) -> None:
    made = (imported_data / "requests" / "microsoft.csv").read_text(encoding="utf-8")
    committed = (ROOT / "data" / "requests" / "microsoft.csv").read_text(encoding="utf-8")
    assert made == committed, "redo data/requests/microsoft.csv as data/sources/README.md says"


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    assert run("microsoft", WORKBOOKS, data) == 0
    first = (data / "requests" / "microsoft.csv").read_bytes()
    assert run("microsoft", WORKBOOKS, data) == 0
    assert (data / "requests" / "microsoft.csv").read_bytes() == first
