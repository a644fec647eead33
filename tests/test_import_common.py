"""Importers, across companies: cell cleaning, layouts, all-or-nothing writes, idempotence."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import empty_data_dir as data_dir
from hypothesis import given
from hypothesis import strategies as st

from builder.core.schema import COLUMN_NAMES, REQUEST_TYPES
from builder.core.values import ValueProblem
from builder.importers import LAYOUTS, run
from builder.importers.common import clean_count, clean_count_pair, clean_percent, read_table, read_tables
from builder.importers.records import detect_layout

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "data" / "sources" / "official"

# The files each company's import reads to build data/requests/<company>.csv.
SOURCES: dict[str, list[Path]] = {
    "google": [*sorted((OFFICIAL / "google-legacy").glob("*.csv")), *sorted((OFFICIAL / "google").glob("*.csv")),
               *sorted((OFFICIAL / "google-2025").glob("*.csv"))],
    "meta": sorted((OFFICIAL / "meta-legacy").glob("*.csv")) + sorted((OFFICIAL / "meta").glob("*.csv")),
    "apple": sorted((OFFICIAL / "apple").glob("*.csv")),
    "twitter": sorted((OFFICIAL / "twitter").glob("*.csv")) + sorted((OFFICIAL / "twitter-cumulative").glob("*.csv")),
}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


# --- cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "canonical", "footnote"),
    [
        ("384", "384", ""),
        ("1,384", "1384", ""),
        (" 15,433 ", "15433", ""),
        ("0 - 249", "0-249", ""),
        ("11,000 - 12,000", "11000-12000", ""),
        ("1*", "1", "*"),
        ("46*", "46", "*"),
        ("-", "", ""),
        (" -", "", ""),
        ("", "", ""),
    ],
)
def test_published_counts_become_canonical_cells(published: str, canonical: str, footnote: str) -> None:
    cell = clean_count(published)
    assert (cell.text, cell.footnote) == (canonical, footnote)


@pytest.mark.parametrize("published", ["12.5", "n/a", "1,38", "about 5", "-3", "249 - 0"])
def test_unreadable_counts_are_refused(published: str) -> None:
    with pytest.raises(ValueProblem):
        clean_count(published)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**12))
def test_any_published_range_reads_back_as_the_same_numbers(low: int, high: int) -> None:
    low, high = min(low, high), max(low, high)
    assert clean_count(f"{low:,} - {high:,}").text == f"{low}-{high}"
    assert clean_count(f"{high:,}").text == str(high)


@pytest.mark.parametrize(
    ("published", "canonical"),
    [("83.00%", "83.00"), ("12%", "12"), ("43", "43"), ("0%", "0"), ("100%", "100"), ("-", ""), ("", "")],
)
def test_published_percentages_lose_only_the_percent_sign(published: str, canonical: str) -> None:
    assert clean_percent(published) == canonical


@pytest.mark.parametrize("published", ["101%", "abc", "1*"])
def test_impossible_percentages_are_refused(published: str) -> None:
    with pytest.raises(ValueProblem):
        clean_percent(published)


def test_min_max_columns_become_one_range() -> None:
    assert clean_count_pair("0", "499").text == "0-499"
    assert clean_count_pair("500", "500").text == "500"
    assert clean_count_pair("", "").text == ""
    with pytest.raises(ValueProblem):
        clean_count_pair("1", "")
    with pytest.raises(ValueProblem):
        clean_count_pair("999", "500")


# --- tables and layouts -------------------------------------------------------------------------


def test_old_mac_line_endings_and_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(b'\xef\xbb\xbfCountry,Total\r"Hong Kong","1,384"\r,\rTaiwan,5\r')
    table, problems = read_table(path)
    assert problems == []
    assert table is not None
    assert table.header == ("Country", "Total")
    assert [(row.number, row.cells) for row in table.rows] == [
        (2, {"Country": "Hong Kong", "Total": "1,384"}),
        (4, {"Country": "Taiwan", "Total": "5"}),
    ]


def test_every_official_download_is_recognised() -> None:
    for company, files in SOURCES.items():
        for path in files:
            tables, _ = read_tables(path)
            assert tables, path
            for table in tables:
                layout, problems = detect_layout(table, LAYOUTS[company])
                assert problems == [], table.name
                assert layout is not None


def test_layouts_map_only_to_request_types_of_the_vocabulary() -> None:
    for layouts in LAYOUTS.values():
        for layout in layouts:
            mapped = {block.request_type for block in layout.blocks} | set(layout.type_values.values())
            assert mapped - {None} <= set(REQUEST_TYPES), layout.name


def test_a_column_a_layout_ignores_is_never_also_read() -> None:
    for layouts in LAYOUTS.values():
        for layout in layouts:
            read = {column for block in layout.blocks for column in block.columns}
            assert not read & set(layout.ignored), layout.name


# --- all or nothing ------------------------------------------------------------------------------


def test_an_unknown_header_is_refused_naming_the_column_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_dir(tmp_path)
    real = OFFICIAL / "meta" / "PRPL-Facebook-Government-Report-2022_H2.csv"
    altered = tmp_path / "PRPL-Facebook-Government-Report-2023_H1.csv"
    altered.write_text(real.read_text(encoding="utf-8").replace("Total Requests,", "Total Requests (All Apps),", 1),
                       encoding="utf-8")
    assert run("meta", [real, altered], data) == 1
    errors = capsys.readouterr().err
    assert "unknown-layout" in errors
    assert "Total Requests (All Apps)" in errors
    assert "meta-2019H2-on" in errors  # the layouts it knows are listed
    assert not (data / "requests" / "meta.csv").exists()


def test_a_bad_cell_in_one_file_leaves_the_dataset_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_dir(tmp_path)
    assert run("twitter", SOURCES["twitter"], data) == 0
    before = (data / "requests" / "twitter.csv").read_bytes()
    broken = tmp_path / "information-requests-report-jul-dec-2017.csv"
    text = (OFFICIAL / "twitter" / "information-requests-report-jan-jun-2017.csv").read_text(encoding="utf-8")
    broken.write_text(text.replace("January - June 2017", "July - December 2017").replace(",57,12%,", ",57,12 %%,"),
                      encoding="utf-8")
    assert run("twitter", [broken], data) == 1
    err = capsys.readouterr().err
    assert "bad-cell" in err
    assert "information-requests-report-jul-dec-2017.csv  3" in err  # Argentina: spreadsheet row 3
    assert (data / "requests" / "twitter.csv").read_bytes() == before


def test_an_unknown_company_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("myspace", SOURCES["twitter"], data_dir(tmp_path)) == 1
    assert "unknown-company" in capsys.readouterr().err


# --- idempotence and the committed dataset ------------------------------------------------------


def test_importing_everything_twice_changes_no_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_dir(tmp_path)
    for company, files in SOURCES.items():
        assert run(company, files, data) == 0
    first = {path.name: path.read_bytes() for path in (data / "requests").iterdir()}
    capsys.readouterr()
    for company, files in SOURCES.items():
        assert run(company, files, data) == 0
    second = {path.name: path.read_bytes() for path in (data / "requests").iterdir()}
    assert first == second
    out = capsys.readouterr().out
    assert "google: 0 added, 0 changed, " in out
    assert "meta: 0 added, 0 changed, " in out


def test_the_committed_dataset_is_exactly_what_the_importers_make(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    for company, files in SOURCES.items():
        assert run(company, files, data) == 0
        made = (data / "requests" / f"{company}.csv").read_text(encoding="utf-8")
        committed = (ROOT / "data" / "requests" / f"{company}.csv").read_text(encoding="utf-8")
        assert made == committed, f"redo data/requests/{company}.csv as data/sources/README.md says"


def test_rows_the_import_does_not_cover_are_kept(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    hand_written = dict.fromkeys(COLUMN_NAMES, "")
    hand_written.update(company="twitter", service="all", jurisdiction="HK", period_start="2021-01-01",
                        period_end="2021-06-30", request_type="all", requests="3",
                        source_url="https://transparency.twitter.com/en/reports/information-requests.html")
    (data / "requests").mkdir()
    with (data / "requests" / "twitter.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, COLUMN_NAMES)
        writer.writeheader()
        writer.writerow(hand_written)
    assert run("twitter", SOURCES["twitter"], data) == 0
    rows = read_rows(data / "requests" / "twitter.csv")
    assert hand_written in rows
    assert len(rows) == 2778
