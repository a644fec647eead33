"""Google's downloads: published figures, "not reported is not zero", and the two vintages."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import empty_data_dir as data_dir

from builder.importers import run

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "data" / "sources" / "official"
CURRENT = OFFICIAL / "google" / "google-global-user-data-requests.csv"
LEGACY = OFFICIAL / "google-legacy" / "google-user-data-requests-2009H2-2017H1.csv"
DIPLOMATIC = OFFICIAL / "google" / "google-global-user-data-dlr-requests.csv"
ALL_FILES = [LEGACY, *sorted((OFFICIAL / "google").glob("*.csv"))]


def imported(tmp_path: Path, files: list[Path]) -> dict[tuple[str, str, str], dict[str, str]]:
    """(jurisdiction, period_end, request_type) -> row, after importing ``files``."""
    data = data_dir(tmp_path)
    assert run("google", files, data) == 0
    with (data / "requests" / "google.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    keyed = {(r["jurisdiction"], r["period_end"], r["request_type"]): r for r in rows}
    assert len(keyed) == len(rows), "two rows share a key"
    return keyed


@pytest.fixture(scope="module")
def google(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], dict[str, str]]:
    return imported(tmp_path_factory.mktemp("google"), ALL_FILES)


def metrics(row: dict[str, str]) -> tuple[str, str, str, str]:
    return row["requests"], row["accounts"], row["requests_with_data"], row["percent_with_data"]


def test_hong_kong_matches_independent_reporting(google: dict) -> None:
    # South China Morning Post: 367 requests, 407 accounts, 43% in 2014-H2.
    assert metrics(google["HK", "2014-12-31", "legal_process"]) == ("367", "407", "", "43")
    # Legislative Council reply LCQ14: 253 requests in 2013-H1.
    assert google["HK", "2013-06-30", "all"]["requests"] == "253"


def test_hong_kong_is_covered_every_half_year_google_lists_it(google: dict) -> None:
    ends = sorted({end for (place, end, _) in google if place == "HK"})
    # Google's first download (2009-H2) lists no Hong Kong row; from 2010-H1 every half-year has one.
    assert ends[0] == "2010-06-30"
    assert len([end for end in ends if end <= "2022-12-31"]) == 26


def test_zeros_google_wrote_for_unpublished_figures_are_not_reported(google: dict) -> None:
    # Percentages were first published for 2010-H2, accounts for 2011-H1.
    assert metrics(google["BR", "2009-12-31", "all"]) == ("3663", "", "", "")
    assert metrics(google["HK", "2010-06-30", "all"]) == ("50", "", "", "")
    assert metrics(google["HK", "2010-12-31", "all"]) == ("90", "", "", "59")
    assert metrics(google["HK", "2011-06-30", "all"]) == ("123", "123", "", "42")
    early = [row for (_, end, _), row in google.items() if end <= "2010-06-30" and row["request_type"] == "all"]
    assert early and all(row["percent_with_data"] == "" and row["accounts"] == "" for row in early)


def test_a_real_zero_after_publication_began_stays_zero(google: dict) -> None:
    # Google disclosed nothing to Hong Kong in 2021-H1: a published 0%, not a gap.
    assert google["HK", "2021-06-30", "legal_process"]["percent_with_data"] == "0"


def test_the_newer_download_wins_and_the_earlier_figure_is_kept_as_a_revision(tmp_path: Path) -> None:
    rows = imported(tmp_path, [CURRENT, LEGACY])  # the order files are named in does not matter
    # The 2017 download gave Ireland 53 legal requests in 2017-H1; the current one splits out
    # court orders and police requests and gives 42.
    assert rows["IE", "2017-06-30", "legal_process"]["requests"] == "42"
    assert rows["IE", "2017-06-30", "legal_process"]["source_file"] == CURRENT.name
    assert rows["IE", "2017-06-30", "police"]["requests"] == "6"
    with (tmp_path / "data" / "revisions" / "google.csv").open(encoding="utf-8", newline="") as stream:
        revised = {(r["jurisdiction"], r["period_end"], r["request_type"], r["metric"]): r
                   for r in csv.DictReader(stream)}
    ireland = revised["IE", "2017-06-30", "legal_process", "requests"]
    assert (ireland["earlier_value"], ireland["earlier_source_file"]) == ("53", LEGACY.name)
    assert (ireland["later_value"], ireland["later_source_file"]) == ("42", CURRENT.name)


def test_rows_only_the_older_download_gives_are_kept(google: dict) -> None:
    latvia = google["LV", "2014-12-31", "legal_process"]
    assert (latvia["requests"], latvia["source_file"], latvia["company_label"]) == ("0", LEGACY.name, "Legal Requests")


def test_the_older_download_alone_reads_its_blank_cells_as_not_reported(tmp_path: Path) -> None:
    rows = imported(tmp_path, [LEGACY])
    assert metrics(rows["HK", "2010-06-30", "all"]) == ("50", "", "", "")
    assert rows["CI", "2013-12-31", "all"]["requests"] == "2"  # the row whose name has broken bytes


def test_importing_the_older_download_after_the_newer_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_dir(tmp_path)
    assert run("google", [CURRENT], data) == 0
    before = (data / "requests" / "google.csv").read_bytes()
    capsys.readouterr()
    assert run("google", [LEGACY], data) == 0
    # Six rows only the older download has (zeros Google later dropped) are added.
    assert "google: 6 added, 0 changed, 0 unchanged rows" in capsys.readouterr().out
    after = (data / "requests" / "google.csv").read_text(encoding="utf-8")
    assert all(line in after for line in before.decode("utf-8").splitlines())


def test_an_older_subset_then_the_full_file_adds_only_the_new_periods(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_dir(tmp_path)
    lines = CURRENT.read_text(encoding="utf-8").splitlines(keepends=True)
    older = [lines[0], *(line for line in lines[1:] if line < "2014")]
    changed = [line.replace("HK,All,253,34,259", "HK,All,250,34,259") for line in older]
    subset = tmp_path / "subset" / CURRENT.name
    subset.parent.mkdir()
    subset.write_text("".join(changed), encoding="utf-8")
    assert run("google", [subset], data) == 0
    assert f"google: {len(older) - 1} added, 0 changed, 0 unchanged" in capsys.readouterr().out
    assert run("google", [CURRENT], data) == 0
    # Every row of the subset now cites the newer download (its source_date); one figure
    # differs, and the subset's is kept as a revision.
    out = capsys.readouterr().out
    assert f"google: {len(lines) - len(older)} added, {len(older) - 1} changed, 0 unchanged" in out
    assert "google: 1 revisions recorded (1 new)" in out


def test_diplomatic_requests_add_up_the_assisting_countries(google: dict) -> None:
    austria = google["AT", "2021-06-30", "diplomatic"]
    assert austria["requests"] == "4"
    assert austria["derived"] == "requests"
    assert "Ireland 1" in austria["note"] and "United States 3" in austria["note"]
    single = google["AL", "2019-06-30", "diplomatic"]
    assert (single["requests"], single["derived"], single["note"]) == ("1", "", "Assisting Country: United States.")


def test_us_national_security_ranges(google: dict) -> None:
    assert metrics(google["US", "2009-06-30", "fisa_content"])[:2] == ("0-499", "2000-2499")
    assert metrics(google["US", "2023-12-31", "nsl"])[:2] == ("500-999", "2000-2499")
    assert metrics(google["US", "2022-12-31", "fisa_non_content"])[:2] == ("0-499", "27500-27999")


def test_every_legal_process_has_a_request_type(google: dict) -> None:
    assert google["GB", "2022-12-31", "cloud_act_ipa"]["company_label"] == "CLOUD Act - IPA CDRs"
    assert google["RU", "2017-06-30", "local_subsidiary"]["requests"] == "34"
    assert google["US", "2017-06-30", "wiretap"]["requests"] == "1"
    # The United Nations made one request in 2015-H1; Google gives it no code, CLDR's is UN.
    assert google["UN", "2015-06-30", "legal_process"]["requests"] == "1"
    # Google lists China's local-subsidiary requests with every figure blank: not zeros.
    assert metrics(google["CN", "2021-06-30", "local_subsidiary"]) == ("", "", "", "")
