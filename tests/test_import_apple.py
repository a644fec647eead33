"""Apple's downloads: one file per kind of request, ` -` for not reported, national security bands."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import empty_data_dir as data_dir

from builder.importers import run

ROOT = Path(__file__).resolve().parents[1]
APPLE = ROOT / "data" / "sources" / "official" / "apple"


@pytest.fixture(scope="module")
def apple(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], dict[str, str]]:
    data = data_dir(tmp_path_factory.mktemp("apple"))
    assert run("apple", sorted(APPLE.glob("*.csv")), data) == 0
    with (data / "requests" / "apple.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    keyed = {(r["jurisdiction"], r["period_end"], r["request_type"]): r for r in rows}
    assert len(keyed) == len(rows)
    return keyed


def metrics(row: dict[str, str]) -> tuple[str, str, str, str]:
    return row["requests"], row["accounts"], row["requests_with_data"], row["percent_with_data"]


def test_a_dash_is_not_reported_not_zero(apple: dict) -> None:
    # Austria, 2015-H1: one emergency request; Apple published nothing else about it.
    assert metrics(apple["AT", "2015-06-30", "emergency"]) == ("1", "", "", "")


def test_hong_kong_is_covered_every_half_year_from_2013(apple: dict) -> None:
    ends = sorted({end for (place, end, kind) in apple if place == "HK" and kind == "account"})
    assert ends[0] == "2013-06-30" and ends[-1] == "2022-06-30" and len(ends) == 19
    assert metrics(apple["HK", "2013-06-30", "account"]) == ("32", "33", "", "75")


def test_names_apple_uses_resolve_to_codes(apple: dict) -> None:
    assert apple["CN", "2013-06-30", "account"]["requests"] == "6"  # "China mainland"
    assert apple["US", "2013-06-30", "national_security"]["requests"] == "0-249"  # "United States of America"


def test_us_national_security_bands_become_ranges(apple: dict) -> None:
    assert metrics(apple["US", "2015-12-31", "national_security"])[:2] == ("1251-1499", "1000-1249")
    assert metrics(apple["US", "2018-06-30", "fisa_content"])[:2] == ("0-499", "13500-13999")
    assert metrics(apple["US", "2018-06-30", "nsl"])[:2] == ("3-499", "1005-1499")


def test_the_preservation_file_that_says_tr_date_is_read(apple: dict) -> None:
    austria = apple["AT", "2016-12-31", "preservation"]
    assert (austria["requests"], austria["accounts"]) == ("1", "1")
    assert (austria["accounts_preserved"], austria["note"]) == ("0", "")


def test_devices_are_not_counted_as_accounts(apple: dict) -> None:
    australia = apple["AU", "2013-06-30", "device"]
    assert metrics(australia) == ("1178", "", "695", "59")
    assert (australia["identifiers"], australia["note"]) == ("1929", "")


def test_the_push_token_file_has_a_header_and_no_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_dir(tmp_path)
    assert run("apple", [APPLE / "push_token_requests.csv"], data) == 0
    assert "apple: 0 added" in capsys.readouterr().out


def test_a_period_label_that_contradicts_its_dates_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = tmp_path / "device_requests.csv"
    text = (APPLE / "device_requests.csv").read_text(encoding="utf-8")
    edited.write_text(text.replace("2013 H1,1/1/13,6/30/13,Australia", "2013 H2,1/1/13,6/30/13,Australia"),
                      encoding="utf-8")
    data = data_dir(tmp_path)
    assert run("apple", [edited], data) == 1
    err = capsys.readouterr().err
    assert "bad-cell" in err and "TR Period" in err and "'2013 H1'" in err
    assert not (data / "requests" / "apple.csv").exists()


def test_every_outcome_apple_publishes_is_kept(apple: dict) -> None:
    # account_requests.csv: "2020 H1,1/1/20,6/30/20,Hong Kong,8,13,4,4,0,50%"
    hong_kong = apple["HK", "2020-06-30", "account"]
    assert (hong_kong["requests"], hong_kong["accounts"], hong_kong["percent_with_data"]) == ("8", "13", "50")
    assert (hong_kong["requests_rejected"], hong_kong["requests_non_content_only"],
            hong_kong["requests_content"]) == ("4", "4", "0")
