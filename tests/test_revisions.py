"""Revisions on the real shipped downloads: vintage decides what is current, whatever the order of
import; the earlier figures are kept with their sources, checked by validate and published."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import empty_data_dir
from frictionless import Resource

from builder.adapters.cli import main
from builder.importers import run
from builder.inputs.registry import load_registry
from builder.inputs.requests import load_requests, validate_data_dir
from builder.inputs.revisions import COLUMN_NAMES, PRIMARY_KEY, load_revisions
from builder.output import datapackage

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "data" / "sources" / "official"
LEGACY = sorted((OFFICIAL / "google-legacy").glob("*.csv"))
GOOGLE = sorted((OFFICIAL / "google").glob("*.csv"))
GOOGLE_2025 = sorted((OFFICIAL / "google-2025").glob("*.csv"))
TWITTER = sorted((OFFICIAL / "twitter").glob("*.csv"))
TWITTER_CUMULATIVE = sorted((OFFICIAL / "twitter-cumulative").glob("*.csv"))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def written(data: Path) -> dict[str, bytes]:
    """Every file the imports wrote under data/requests and data/revisions."""
    return {path.relative_to(data).as_posix(): path.read_bytes()
            for folder in ("requests", "revisions") for path in sorted((data / folder).glob("*.csv"))}


def imported(tmp_path: Path, name: str, company: str, *calls: list[Path]) -> Path:
    (tmp_path / name).mkdir()
    data = empty_data_dir(tmp_path / name)
    for files in calls:
        assert run(company, files, data) == 0
    return data


def revision(data: Path, company: str, jurisdiction: str, period_end: str, request_type: str,
             metric: str) -> dict[str, str]:
    found = [r for r in rows(data / "revisions" / f"{company}.csv")
             if (r["jurisdiction"], r["period_end"], r["request_type"], r["metric"])
             == (jurisdiction, period_end, request_type, metric)]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def google(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Google's three downloads, imported in one call."""
    return imported(tmp_path_factory.mktemp("google"), "one-call", "google", [*LEGACY, *GOOGLE, *GOOGLE_2025])


# --- vintage, not order of import, decides what is current ----------------------------------------


def test_any_order_of_google_imports_gives_the_same_files(google: Path, tmp_path: Path) -> None:
    newer_first = imported(tmp_path, "newer-first", "google", GOOGLE_2025, GOOGLE, LEGACY)
    older_first = imported(tmp_path, "older-first", "google", LEGACY, GOOGLE, GOOGLE_2025)
    assert written(newer_first) == written(older_first) == written(google)


def test_any_order_of_twitter_imports_gives_the_same_files(tmp_path: Path) -> None:
    newer_first = imported(tmp_path, "newer-first", "twitter", TWITTER_CUMULATIVE, TWITTER)
    older_first = imported(tmp_path, "older-first", "twitter", TWITTER, TWITTER_CUMULATIVE)
    assert written(newer_first) == written(older_first)
    # Hong Kong 2018-H2: 2 requests in the per-period file, 4 in the later cumulative one.
    hong_kong = revision(newer_first, "twitter", "HK", "2018-12-31", "all", "requests")
    assert (hong_kong["earlier_value"], hong_kong["later_value"]) == ("2", "4")
    assert hong_kong["earlier_source_file"] == "information-requests-report-jul-dec-2018.csv"
    assert hong_kong["later_source_file"] == TWITTER_CUMULATIVE[0].name


def test_importing_the_legacy_download_after_the_others_changes_no_current_figure(
    google: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = imported(tmp_path, "later", "google", [*GOOGLE, *GOOGLE_2025])
    before = (data / "requests" / "google.csv").read_text(encoding="utf-8")
    capsys.readouterr()
    assert run("google", LEGACY, data) == 0
    out = capsys.readouterr().out
    assert " 0 changed, " in out  # rows only the legacy download gives are added, none changed
    after = (data / "requests" / "google.csv").read_text(encoding="utf-8")
    assert set(before.splitlines()) <= set(after.splitlines())
    assert written(data) == written(google)


def test_ireland_2017_h1_is_42_and_the_2017_download_s_53_is_kept_with_both_sources(google: Path) -> None:
    current = next(r for r in rows(google / "requests" / "google.csv")
                   if (r["jurisdiction"], r["period_end"], r["request_type"]) == ("IE", "2017-06-30", "legal_process"))
    assert (current["requests"], current["source_date"]) == ("42", "2025-06-30")
    ireland = revision(google, "google", "IE", "2017-06-30", "legal_process", "requests")
    assert ireland == {
        "company": "google", "service": "all", "jurisdiction": "IE", "period_start": "2017-01-01",
        "period_end": "2017-06-30", "request_type": "legal_process", "metric": "requests",
        "earlier_value": "53", "earlier_source_file": LEGACY[0].name, "earlier_source_date": "2017-06-30",
        "later_value": "42", "later_source_file": GOOGLE_2025[0].name, "later_source_date": "2025-06-30",
    }


def test_a_row_one_download_leaves_out_is_no_revision(google: Path) -> None:
    # The current downloads no longer list Latvia 2014-H2 (0 requests in the 2017 download).
    keys = {(r["jurisdiction"], r["period_end"]) for r in rows(google / "revisions" / "google.csv")}
    assert ("LV", "2014-12-31") not in keys
    # The 2022 and 2025 downloads agree on every figure they share: no revision cites the 2022 one.
    assert all(r["earlier_source_date"] == "2017-06-30" for r in rows(google / "revisions" / "google.csv"))


def test_importing_the_same_files_twice_changes_no_byte(google: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = written(google)
    capsys.readouterr()
    assert run("google", [*GOOGLE_2025, *LEGACY, *GOOGLE], google) == 0
    out = capsys.readouterr().out
    assert written(google) == before
    assert "google: 8 revisions recorded (0 new)" in out
    assert "(file already up to date)" in out


# --- the vintage of a download ----------------------------------------------------------------------


def test_a_stray_period_is_left_out_and_does_not_date_the_download(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = imported(tmp_path, "2025", "google", GOOGLE_2025)
    out = capsys.readouterr().out
    assert "row 4395: period 2025 H2 has 1 row in this file" in out
    assert "not yet the period's figures" in out
    requests = rows(data / "requests" / "google.csv")
    assert max(r["period_end"] for r in requests) == "2025-06-30"
    assert {r["source_date"] for r in requests} == {"2025-06-30"}


def test_every_row_of_the_dataset_names_its_vintage() -> None:
    for path in sorted((ROOT / "data" / "requests").glob("*.csv")):
        assert all(row["source_date"] for row in rows(path)), path.name


def test_published_overrides_the_vintage_of_every_file_of_the_call(tmp_path: Path) -> None:
    data = empty_data_dir(tmp_path)
    assert main(["import", "google", *map(str, GOOGLE_2025), "--published", "2025-07-15",
                 "--data-dir", str(data)]) == 0
    assert {r["source_date"] for r in rows(data / "requests" / "google.csv")} == {"2025-07-15"}


@pytest.mark.parametrize(("published", "why"), [
    ("2025-13-01", "not a real date"),
    ("15/07/2025", "expected an ISO date"),
    ("2150-01-01", "after today"),
    ("2999-01-01", "outside the dates the builder supports"),
    ("2025-01-15", "the period ending 2025-06-30"),  # before the end of the latest period it covers
])
def test_a_wrong_published_date_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], published: str, why: str
) -> None:
    data = empty_data_dir(tmp_path)
    assert run("google", GOOGLE_2025, data, published) == 1
    err = capsys.readouterr().err
    assert "bad-date" in err and why in err
    assert not (data / "requests").exists()


def test_two_downloads_of_one_date_and_layout_cannot_both_be_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = empty_data_dir(tmp_path)
    current = OFFICIAL / "google" / "google-global-user-data-requests.csv"
    assert run("google", [current, GOOGLE_2025[0]], data, "2025-07-15") == 1
    assert "duplicate-key" in capsys.readouterr().err


# --- validate -----------------------------------------------------------------------------------------


def broken_copy(google: Path, tmp_path: Path, line: int, column: str, value: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(google, data)
    path = data / "revisions" / "google.csv"
    records = rows(path)
    records[line - 2][column] = value
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMN_NAMES, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return data


@pytest.mark.parametrize(("column", "value", "code"), [
    ("later_value", "43", "stale-revision"),  # the dataset says 42
    ("later_source_date", "2022-12-31", "stale-revision"),
    ("earlier_value", "53 ", "bad-count"),
    ("metric", "requests_made", "unknown-metric"),
    ("earlier_source_date", "2017-06-31", "bad-date"),
    ("earlier_value", "42", "not-a-revision"),
    ("jurisdiction", "IRL", "unknown-jurisdiction"),
])
def test_a_stale_or_malformed_record_is_a_problem_naming_file_row_and_column(
    google: Path, tmp_path: Path, column: str, value: str, code: str
) -> None:
    data = broken_copy(google, tmp_path, 2, column, value)
    problems = [p for p in validate_data_dir(data) if p.is_error]
    assert [(p.file, p.row, p.column, p.code) for p in problems if p.code == code] == [
        ((data / "revisions" / "google.csv").as_posix(), 2, column if code != "not-a-revision" else "later_value", code)
    ]


def test_a_malformed_revisions_file_stops_the_import(google: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = broken_copy(google, tmp_path, 3, "later_value", "many")
    before = written(data)
    assert run("google", GOOGLE_2025, data) == 1
    err = capsys.readouterr().err
    assert "revisions/google.csv" in err and "bad-count" in err
    assert written(data) == before


def test_the_shipped_dataset_and_its_revisions_validate() -> None:
    assert [p for p in validate_data_dir(ROOT / "data") if p.is_error] == []


# --- the downloads ------------------------------------------------------------------------------------


def test_the_revisions_download_and_its_resource_agree_with_data_revisions(tmp_path: Path) -> None:
    data = ROOT / "data"
    registry, _ = load_registry(data / "companies.yml")
    frame = load_requests(data, registry).frame
    records, problems = load_revisions(data, frame, registry)
    assert problems == []
    files: dict[str, bytes] = {}

    def emit(path: str, chunks: object) -> None:
        files[path] = b"".join(chunks)  # type: ignore[arg-type]
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(files[path])

    datapackage.publish(frame, registry, "https://example.org/", emit, records)
    published = list(csv.DictReader(io.StringIO(files["data/revisions.csv"].decode("utf-8"))))
    shipped = [row for path in sorted((data / "revisions").glob("*.csv")) for row in rows(path)]
    assert published == shipped  # every record, in the order of the companies' files
    assert {"google", "twitter"} <= {row["company"] for row in published}

    package = json.loads(files["data/datapackage.json"])
    resource = next(r for r in package["resources"] if r["name"] == "revisions")
    assert resource["path"] == "revisions.csv"
    assert [f["name"] for f in resource["schema"]["fields"]] == list(COLUMN_NAMES)
    assert resource["schema"]["primaryKey"] == list(PRIMARY_KEY)
    digest = hashlib.sha256(files["data/revisions.csv"]).hexdigest()
    assert resource["hash"] == f"sha256:{digest}"
    assert f"{digest}  revisions.csv\n" in files["data/SHA256SUMS"].decode("utf-8")
    report = Resource(resource, basepath=str(tmp_path / "data")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == len(shipped)
