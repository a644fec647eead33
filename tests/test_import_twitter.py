"""Twitter's downloads: the per-period files in their three layouts, and the cumulative file of
titled tables (government requests imported, other parties' requests left out)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import empty_data_dir as data_dir

from builder.importers import run

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "data" / "sources" / "official"
PER_PERIOD = sorted((OFFICIAL / "twitter").glob("*.csv"))
CUMULATIVE = OFFICIAL / "twitter-cumulative" / "Twitter_Transparency-Information_Requests_Jul-Dec-2020.csv"
JAN_JUN_2018 = OFFICIAL / "twitter" / "information-requests-report-jan-jun-2018.csv"

Rows = dict[tuple[str, str, str], dict[str, str]]


def imported(data: Path, files: list[Path]) -> Rows:
    """(jurisdiction, period_start, request_type) -> row, after importing ``files`` into ``data``."""
    assert run("twitter", files, data) == 0
    with (data / "requests" / "twitter.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    keyed = {(r["jurisdiction"], r["period_start"], r["request_type"]): r for r in rows}
    assert len(keyed) == len(rows), "two rows share a key"
    return keyed


@pytest.fixture(scope="module")
def per_period(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    return imported(data_dir(tmp_path_factory.mktemp("per-period")), PER_PERIOD)


@pytest.fixture(scope="module")
def cumulative(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    return imported(data_dir(tmp_path_factory.mktemp("cumulative")), [CUMULATIVE])


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    return imported(data_dir(tmp_path_factory.mktemp("everything")), [*PER_PERIOD, CUMULATIVE])


def metrics(row: dict[str, str]) -> tuple[str, str, str, str]:
    return row["requests"], row["accounts"], row["requests_with_data"], row["percent_with_data"]


def in_period(rows: Rows, start: str) -> dict[str, dict[str, str]]:
    return {place: row for (place, period, kind), row in rows.items() if period == start and kind == "all"}


# --- the per-period files ----------------------------------------------------------------------


def test_every_half_year_file_is_read(per_period: Rows) -> None:
    starts = sorted({period for (_, period, _) in per_period})
    assert starts == [f"{year}-{month}" for year in range(2012, 2019) for month in ("01-01", "07-01")]
    assert {kind for (_, _, kind) in per_period} == {"all"}


def test_2012_to_2015_layout_country_first_and_uk_is_gb(per_period: Rows) -> None:
    first = in_period(per_period, "2012-01-01")
    assert metrics(first["AU"]) == ("3", "3", "", "33")
    assert metrics(first["GB"]) == ("11", "11", "", "18")  # Twitter writes the code UK
    assert "UK" not in first
    assert first["US"]["period_end"] == "2012-06-30"
    assert first["US"]["company_label"] == "Account information requests"
    # The 2012 files list only the countries that sent requests; the others have no row.
    assert len(first) == 23 and "HK" not in first
    assert sum(int(row["requests"]) for row in first.values()) == 849  # Twitter's TOTAL row


def test_a_footnote_marker_keeps_the_number_and_the_note_keeps_the_marker(per_period: Rows) -> None:
    hong_kong = per_period["HK", "2013-07-01", "all"]
    assert metrics(hong_kong) == ("1", "1", "", "0")
    assert "1*" in hong_kong["note"]
    assert per_period["AR", "2013-07-01", "all"]["note"] == ""


def test_a_dash_is_not_reported_and_the_country_is_still_listed(per_period: Rows) -> None:
    assert metrics(per_period["HK", "2014-01-01", "all"]) == ("", "", "", "")
    assert metrics(per_period["AL", "2017-01-01", "all"]) == ("", "", "", "")


def test_2016_to_2018h1_layout_period_first(per_period: Rows) -> None:
    assert metrics(per_period["HK", "2017-01-01", "all"]) == ("2", "2", "", "0")
    assert metrics(per_period["US", "2017-01-01", "all"]) == ("2111", "4594", "", "77")
    assert sum(int(row["requests"] or 0) for row in in_period(per_period, "2017-01-01").values()) == 6448


def test_2018h1_empty_trailing_columns_are_not_columns(per_period: Rows) -> None:
    # The header and every row end with seven empty cells, and two blank lines follow TOTAL.
    first_half = in_period(per_period, "2018-01-01")
    assert metrics(first_half["HK"]) == ("2", "4", "", "0")
    assert metrics(first_half["GB"]) == ("947", "1255", "", "70")
    assert sum(int(row["requests"] or 0) for row in first_half.values()) == 6904  # Twitter's TOTAL row


def test_an_unnamed_column_that_holds_a_value_is_refused_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_dir(tmp_path)
    altered = tmp_path / JAN_JUN_2018.name
    text = JAN_JUN_2018.read_bytes().decode("utf-8")
    filled = text.replace("#information-requests-jan-jun-2018,,,", "#information-requests-jan-jun-2018,7,,", 1)
    altered.write_bytes(filled.encode("utf-8"))
    assert run("twitter", [altered], data) == 1
    err = capsys.readouterr().err
    assert "unknown-layout" in err and "(unnamed column 10)" in err
    assert not (data / "requests" / "twitter.csv").exists()


def test_2018h2_layout_names_only_and_accounts_before_percentage(per_period: Rows) -> None:
    second_half = in_period(per_period, "2018-07-01")
    assert metrics(second_half["HK"]) == ("2", "2", "", "0")
    assert metrics(second_half["GB"]) == ("376", "549", "", "")  # "-": not reported
    assert metrics(second_half["AR"]) == ("32", "42", "", "6")
    assert sum(int(row["requests"] or 0) for row in second_half.values()) == 5354  # Twitter's TOTAL row


# --- the cumulative file -------------------------------------------------------------------------


def test_hong_kong_matches_independent_reporting(cumulative: Rows) -> None:
    # 2020-H1: 10 requests, none with information produced; 2020-H2: 1.
    first_half = cumulative["HK", "2020-01-01", "all"]
    assert (first_half["period_end"], first_half["company_label"]) == ("2020-06-30", "Combined requests")
    assert metrics(first_half) == ("10", "10", "", "0")
    assert cumulative["HK", "2020-07-01", "all"]["requests"] == "1"


def test_routine_emergency_combined_and_preservation(cumulative: Rows) -> None:
    # 2020-07-01,Argentina,38,10,48,0.05,0.1,0.06,66,12,78,90,48
    assert metrics(cumulative["AR", "2020-07-01", "legal_process"]) == ("38", "66", "", "5")
    assert metrics(cumulative["AR", "2020-07-01", "emergency"]) == ("10", "12", "", "10")
    assert metrics(cumulative["AR", "2020-07-01", "all"]) == ("48", "78", "", "6")
    preservation = cumulative["AR", "2020-07-01", "preservation"]
    assert (preservation["requests"], preservation["accounts"], preservation["accounts_preserved"]) == ("48", "90", "")
    assert preservation["company_label"] == "Preservation requests"
    assert cumulative["AR", "2020-07-01", "legal_process"]["company_label"] == "Routine requests"


def test_rates_are_fractions_turned_into_exact_percentages(cumulative: Rows) -> None:
    assert cumulative["AU", "2020-07-01", "emergency"]["percent_with_data"] == "33"  # 0.33
    assert cumulative["AU", "2020-07-01", "all"]["percent_with_data"] == "13"  # 0.13


def test_null_is_not_reported_never_zero(cumulative: Rows) -> None:
    # 2020-01-01,Hong Kong SAR,10,0,10,0,NULL,0,...: no emergency request, so no rate.
    assert metrics(cumulative["HK", "2020-01-01", "emergency"]) == ("0", "0", "", "")


def test_kinds_first_published_in_2016h2_have_no_rows_before(cumulative: Rows) -> None:
    # The file writes 0 routine, emergency and preservation requests for every country
    # before 2016-H2: unpublished, not none.
    assert metrics(cumulative["HK", "2016-01-01", "all"]) == ("1", "1", "", "0")
    early = {kind for (_, period, kind) in cumulative if period < "2016-07-01"}
    assert early == {"all"}
    assert ("US", "2016-07-01", "emergency") in cumulative


def test_a_country_with_no_requests_has_no_row(everything: Rows) -> None:
    assert not [key for key in everything if key[0] == "HK" and key[1] < "2013-07-01"]
    assert ("HK", "2014-07-01", "legal_process") not in everything


def test_a_footnoted_place_name_is_coded_and_the_note_keeps_the_marker(cumulative: Rows) -> None:
    china = cumulative["CN", "2019-07-01", "all"]
    assert china["requests"] == "1"
    assert "China**" in china["note"]


def test_the_non_government_table_and_unnamed_places_are_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = imported(data_dir(tmp_path), [CUMULATIVE])
    out = capsys.readouterr().out
    assert ("Table 2/2: Non-Government Information Requests): rows 870-1015 (146 rows): "
            "requests from parties other than governments; not a government's request") in out
    assert "row 192: 'Other'" in out
    # Brazil 2020-H2: 192 government requests; the 232 other parties' requests are not in the dataset.
    assert rows["BR", "2020-07-01", "all"]["requests"] == "192"
    assert not [row for row in rows.values() if row["requests"] == "232"]
    assert {row["source_file"] for row in rows.values()} == {CUMULATIVE.name}


def test_a_file_with_an_unknown_table_header_is_refused_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_dir(tmp_path)
    altered = tmp_path / CUMULATIVE.name
    text = CUMULATIVE.read_bytes().decode("utf-8")
    altered.write_bytes(text.replace("User notice,", "Users notified,", 1).encode("utf-8"))
    assert run("twitter", [altered], data) == 1
    err = capsys.readouterr().err
    assert "unknown-layout" in err and "Users notified" in err
    assert re.search(r"\(Table 2/2: Non-Government Information Requests\)\s+869\s", err)  # the header's row
    assert not (data / "requests" / "twitter.csv").exists()


# --- both together ------------------------------------------------------------------------------


def test_the_cumulative_file_restates_per_period_figures_and_wins(
    per_period: Rows, cumulative: Rows, everything: Rows, tmp_path: Path
) -> None:
    # Hong Kong 2018-H2: 2 requests in the per-period file, 4 in the cumulative one.
    assert per_period["HK", "2018-07-01", "all"]["requests"] == "2"
    assert cumulative["HK", "2018-07-01", "all"]["requests"] == "4"
    hong_kong = everything["HK", "2018-07-01", "all"]
    assert (hong_kong["requests"], hong_kong["source_file"]) == ("4", CUMULATIVE.name)
    reversed_order = imported(data_dir(tmp_path), [CUMULATIVE, *PER_PERIOD])
    assert reversed_order["HK", "2018-07-01", "all"]["requests"] == "4"  # the order files are named in does not matter


def test_per_period_rows_the_cumulative_file_does_not_give_are_kept(everything: Rows) -> None:
    assert everything["AL", "2017-01-01", "all"]["source_file"] == "information-requests-report-jan-jun-2017.csv"
    assert everything["GD", "2018-07-01", "all"]["requests"] == "1"  # Grenada: in the 2018-H2 file only


def test_importing_twice_changes_no_byte(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    imported(data, [*PER_PERIOD, CUMULATIVE])
    first = (data / "requests" / "twitter.csv").read_bytes()
    imported(data, [*PER_PERIOD, CUMULATIVE])
    assert (data / "requests" / "twitter.csv").read_bytes() == first
