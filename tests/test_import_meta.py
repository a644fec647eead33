"""Meta's per-half-year downloads: every header variant, and the figures reporters checked."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import empty_data_dir as data_dir

from builder.importers import LAYOUTS, run
from builder.importers.common import read_table
from builder.importers.records import detect_layout

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "data" / "sources" / "official"
PER_PERIOD = sorted((OFFICIAL / "meta").glob("*.csv"))
LEGACY = OFFICIAL / "meta-legacy" / "facebook-government-report-2013-H1.csv"


def imported(tmp_path: Path, files: list[Path]) -> dict[tuple[str, str, str], dict[str, str]]:
    data = data_dir(tmp_path)
    assert run("meta", files, data) == 0
    with (data / "requests" / "meta.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return {(r["jurisdiction"], r["period_end"], r["request_type"]): r for r in rows}


@pytest.fixture(scope="module")
def meta(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], dict[str, str]]:
    return imported(tmp_path_factory.mktemp("meta"), [*PER_PERIOD, LEGACY])


def test_hong_kong_matches_independent_reporting(meta: dict) -> None:
    # The World: 384 requests in 2019 (143 in H1 + 241 in H2).
    first, second = meta["HK", "2019-06-30", "all"], meta["HK", "2019-12-31", "all"]
    assert (first["requests"], second["requests"]) == ("143", "241")
    assert int(first["requests"]) + int(second["requests"]) == 384
    # Hong Kong Free Press: 202 requests in 2020-H2, none where data was produced.
    late_2020 = meta["HK", "2020-12-31", "all"]
    assert (late_2020["requests"], late_2020["requests_with_data"], late_2020["percent_with_data"]) == ("202", "0", "0")


def test_hong_kong_is_covered_every_half_year_from_2013(meta: dict) -> None:
    ends = sorted({end for (place, end, kind) in meta if place == "HK" and kind == "all"})
    assert ends[0] == "2013-06-30" and ends[-1] == "2022-12-31" and len(ends) == 20


def test_a_self_contradicting_row_is_kept_as_published(meta: dict) -> None:
    emergency = meta["HK", "2021-06-30", "emergency"]
    assert (emergency["requests"], emergency["requests_with_data"], emergency["percent_with_data"]) == ("2", "0", "100")


def test_every_header_variant_is_a_known_layout() -> None:
    names = set()
    for path in PER_PERIOD:
        table, _ = read_table(path)
        assert table is not None
        layout, problems = detect_layout(table, LAYOUTS["meta"])
        assert problems == [] and layout is not None, path.name
        names.add(layout.name)
    assert len(names) >= 4


def test_the_file_with_old_mac_line_endings_is_read_whole(meta: dict) -> None:
    late_2019 = {place for (place, end, kind) in meta if end == "2019-12-31" and kind == "all"}
    assert len(late_2019) > 200
    assert {"AF", "HK", "US", "ZW"} <= late_2019


def test_the_half_year_comes_from_the_file_name(meta: dict) -> None:
    assert meta["US", "2022-12-31", "all"]["source_file"] == "PRPL-Facebook-Government-Report-2022_H2.csv"
    assert meta["US", "2022-12-31", "all"]["period_start"] == "2022-07-01"


def test_a_file_name_without_its_half_year_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    renamed = tmp_path / "PRPL-Facebook-Government-Report.csv"
    shutil.copy(PER_PERIOD[-1], renamed)
    data = data_dir(tmp_path)
    assert run("meta", [renamed], data) == 1
    assert "bad-file-name" in capsys.readouterr().err
    assert not (data / "requests" / "meta.csv").exists()


def test_the_first_2013_download_gives_ranges_and_yields_to_the_later_one(tmp_path: Path, meta: dict) -> None:
    first = imported(tmp_path, [LEGACY])
    assert first["US", "2013-06-30", "all"]["requests"] == "11000-12000"
    assert first["US", "2013-06-30", "all"]["percent_with_data"] == "79.00"
    assert meta["US", "2013-06-30", "all"]["source_file"] == "PRPL-Facebook-Government-Report-2013_H1.csv"
    assert meta["US", "2013-06-30", "all"]["requests"] == "11000-12000"
    assert meta["US", "2013-06-30", "all"]["percent_with_data"] == "79"


def test_accounts_preserved_are_not_passed_off_as_accounts_specified(meta: dict) -> None:
    preservation = meta["US", "2017-06-30", "preservation"]
    assert (preservation["requests"], preservation["accounts"]) == ("48836", "")
    assert (preservation["accounts_preserved"], preservation["note"]) == ("84497", "")


def test_us_legal_process_sub_types(meta: dict) -> None:
    assert meta["US", "2017-06-30", "search_warrant"]["requests"] == "19393"
    assert meta["US", "2017-06-30", "wiretap"]["company_label"] == "Title III"
    assert meta["US", "2017-06-30", "court_order_2703d"]["requests"] == "910"
    # Before Meta filled "Emergency Request Total", the US emergency figures were "Emergency Disclosures".
    early = meta["US", "2014-06-30", "emergency"]
    assert (early["requests"], early["company_label"]) == ("573", "Emergency Disclosures")


def test_places_without_a_code_are_left_out_only_while_they_report_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], meta: dict
) -> None:
    assert not [key for key in meta if key[0] in ("AN", "")]
    source = PER_PERIOD[-1]
    edited = tmp_path / source.name
    text = source.read_text(encoding="utf-8")
    edited.write_text(text.replace("Netherlands Antilles,0,0,0,", "Netherlands Antilles,0,0,3,", 1), encoding="utf-8")
    assert run("meta", [edited], data_dir(tmp_path)) == 1
    err = capsys.readouterr().err
    assert "unknown-place" in err and "Netherlands Antilles" in err


def test_an_unknown_country_name_is_an_error_naming_file_and_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = PER_PERIOD[-1]
    edited = tmp_path / source.name
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("Aland Islands", "Atlantis", 1)
    edited.write_text("".join(lines), encoding="utf-8")
    data = data_dir(tmp_path)
    assert run("meta", [edited], data) == 1
    err = capsys.readouterr().err
    row = next(line for line in err.splitlines() if "unknown-place" in line)
    assert edited.name in row and "  3  " in row and "Atlantis" in row and "ALIASES" in row
    assert not (data / "requests" / "meta.csv").exists()


def test_an_import_never_writes_a_file_validate_would_refuse(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A formula put into the dataset by hand earlier is caught when an import would write it back."""
    data = data_dir(tmp_path)
    assert run("meta", [PER_PERIOD[-1]], data) == 0
    target = data / "requests" / "meta.csv"
    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    rows[0]["note"] = "= 1+1"
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    before = target.read_bytes()
    capsys.readouterr()
    assert run("meta", [PER_PERIOD[-2]], data) == 1
    err = capsys.readouterr().err
    assert "bad-text" in err and "formula" in err and "nothing was written" in err
    assert target.read_bytes() == before
