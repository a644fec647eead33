"""Twitter's information-requests download: codes given, `-` not reported, `1*` footnoted."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from builder.importers import run

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "sources" / "official" / "twitter" / "information-requests-report-jan-jun-2017.csv"


@pytest.fixture(scope="module")
def twitter(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    data = tmp_path_factory.mktemp("twitter") / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "companies.yml", data / "companies.yml")
    assert run("twitter", [REPORT], data) == 0
    with (data / "requests" / "twitter.csv").open(encoding="utf-8", newline="") as stream:
        return {row["jurisdiction"]: row for row in csv.DictReader(stream)}


def metrics(row: dict[str, str]) -> tuple[str, str, str, str]:
    return row["requests"], row["accounts"], row["requests_with_data"], row["percent_with_data"]


def test_a_dash_is_not_reported_and_the_country_is_still_listed(twitter: dict) -> None:
    assert metrics(twitter["AL"]) == ("", "", "", "")


def test_a_footnote_marker_keeps_the_number_and_the_note_keeps_the_marker(twitter: dict) -> None:
    assert metrics(twitter["AT"]) == ("1", "1", "", "100")
    assert "1*" in twitter["AT"]["note"]
    assert twitter["AR"]["note"] == ""


def test_the_period_and_hong_kong(twitter: dict) -> None:
    hong_kong = twitter["HK"]
    assert (hong_kong["period_start"], hong_kong["period_end"], hong_kong["request_type"]) == (
        "2017-01-01", "2017-06-30", "all")
    assert metrics(hong_kong) == ("2", "2", "", "0")


def test_the_total_row_is_left_out_and_the_countries_add_up_to_it(twitter: dict) -> None:
    assert len(twitter) == 83
    assert sum(int(row["requests"] or 0) for row in twitter.values()) == 6448  # Twitter's TOTAL row
    assert metrics(twitter["US"]) == ("2111", "4594", "", "77")
    assert twitter["GB"]["company_label"] == "Account information requests"
