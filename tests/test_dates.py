"""Dates: one supported range, enforced wherever the data holds a date, and no announcement
dated after the build.

pandas holds a timestamp only from 1677 to 2262, and a date outside that range either
crashed the build or was shown on a page as another date. Every date in data/ (a request
row's period and source date, an announcement's date and its sources' dates, a revision's
period and download dates) must lie from 1900-01-01 to 2199-12-31, or `validate` refuses it
by file, row and column with `bad-date`, and the build refuses it the same way, without a
traceback. An announcement dated after the build's own date is refused with `future-date`.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from test_input_errors import ANNOUNCEMENTS, ROW, assert_refused, command, good_data, minimal_project

from builder.core.problems import Problem
from builder.core.reproducible import build_date
from builder.core.values import FIRST_DATE, LAST_DATE, ValueProblem, parse_date
from builder.inputs.announcements import load_announcements
from builder.inputs.registry import load_registry
from builder.inputs.requests import validate_data_dir

YEARS = ["0001", "1677", "1899", "2200", "2262", "9999"]
ANNOUNCEMENT = ANNOUNCEMENTS / "valid" / "2020-07-06-example-pause.md"


def test_the_supported_range_is_1900_to_2199() -> None:
    assert (dt.date(1900, 1, 1), dt.date(2199, 12, 31)) == (FIRST_DATE, LAST_DATE)
    assert parse_date("1900-01-01") == FIRST_DATE
    assert parse_date("2199-12-31") == LAST_DATE
    for text in ("1899-12-31", "2200-01-01"):
        with pytest.raises(ValueProblem) as refused:
            parse_date(text)
        assert refused.value.code == "bad-date"
        assert "1900-01-01 to 2199-12-31" in refused.value.message


def _request_data(tmp_path: Path, column: str, day: str) -> Path:
    """The fixture data, with one more meta row whose ``column`` holds ``day`` (row 4 of meta.csv)."""
    data = good_data(tmp_path)
    cells = dict(zip(["period_start", "period_end"], ["2021-01-01", "2021-06-30"], strict=True))
    row = ROW.replace("2019-01-01,2019-06-30", f"{cells['period_start']},{cells['period_end']}")
    if column == "source_date":
        text = (data / "requests" / "meta.csv").read_text(encoding="utf-8")
        assert "source_date" not in text.splitlines()[0]  # the fixture has no such column; add one
        lines = text.splitlines()
        lines = [lines[0] + ",source_date", *(line + "," for line in lines[1:]), row + f",{day}"]
        (data / "requests" / "meta.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return data
    row = row.replace(cells[column], day)
    with (data / "requests" / "meta.csv").open("a", encoding="utf-8") as stream:
        stream.write(row + "\n")
    return data


def _bad_dates(problems: list[Problem]) -> list[tuple[str, object, str | None, str | None]]:
    return [(Path(p.file).name, p.row, p.column, p.value) for p in problems if p.code == "bad-date"]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("column", ["period_start", "period_end", "source_date"])
def test_a_request_date_outside_the_range_is_refused_by_row_and_column(year: str, column: str,
                                                                      tmp_path: Path) -> None:
    data = _request_data(tmp_path, column, f"{year}-01-01")
    rows = len((data / "requests" / "meta.csv").read_text(encoding="utf-8").splitlines())
    assert _bad_dates(validate_data_dir(data)) == [("meta.csv", rows, column, f"{year}-01-01")]


@pytest.mark.parametrize("year", ["0001", "1677", "2262", "9999"])
def test_the_build_refuses_a_period_outside_the_range_without_a_traceback(year: str, tmp_path: Path) -> None:
    data = _request_data(tmp_path, "period_end", f"{year}-12-31")
    project = minimal_project(tmp_path, data)
    assert_refused(command("validate", "--data-dir", str(data)), "bad-date", "meta.csv", "period_end")
    done = command("build", cwd=project)
    assert_refused(done, "bad-date", "meta.csv", "period_end", f"{year}-12-31")
    assert "period-reversed" not in done.stderr  # the date is refused, not misread
    assert list((project / "site_src").iterdir()) == []


def _announcement_problems(tmp_path: Path, text: str, build_day: dt.date | None = None) -> list[Problem]:
    folder = tmp_path / "announcements"
    folder.mkdir(exist_ok=True)
    (folder / ANNOUNCEMENT.name).write_text(text, encoding="utf-8")
    registry = load_registry(ANNOUNCEMENTS / "companies.yml")[0]
    return load_announcements(folder, registry, build_day=build_day)[1]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize(("key", "row"), [("\ndate: 2020-07-06", "date"), ("    date: 2020-07-07", "sources.1.date")])
def test_an_announcement_date_outside_the_range_is_refused_by_key(year: str, key: str, row: str,
                                                                 tmp_path: Path) -> None:
    text = ANNOUNCEMENT.read_text(encoding="utf-8").replace(key, key.replace(key.split()[-1][:4], year))
    problems = _announcement_problems(tmp_path, text)
    assert [(p.row, p.code) for p in problems] == [(row, "bad-date")]
    assert "1900-01-01 to 2199-12-31" in problems[0].message


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("column", ["period_start", "earlier_source_date", "later_source_date"])
def test_a_revision_date_outside_the_range_is_refused_by_row_and_column(year: str, column: str,
                                                                       tmp_path: Path) -> None:
    data = good_data(tmp_path)
    path = data / "revisions" / "twitter.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = f"{year}-06-30"
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    assert _bad_dates(validate_data_dir(data)) == [("twitter.csv", 2, column, f"{year}-06-30")]


# --- announcements dated after the build --------------------------------------------------


def test_an_announcement_dated_after_the_build_day_is_refused_by_name(tmp_path: Path) -> None:
    text = ANNOUNCEMENT.read_text(encoding="utf-8")
    problems = _announcement_problems(tmp_path, text, build_day=dt.date(2020, 7, 5))
    assert [(Path(p.file).name, p.row, p.code, p.value) for p in problems] == [
        (ANNOUNCEMENT.name, "date", "future-date", "2020-07-06")]
    assert "2020-07-05" in problems[0].message
    assert _announcement_problems(tmp_path, text, build_day=dt.date(2020, 7, 6)) == []  # the day itself is no future


def test_the_build_day_is_source_date_epoch_or_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102444800")
    assert build_date() == dt.date(2100, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == dt.datetime.now(dt.UTC).date()


def _future_announcement_data(tmp_path: Path) -> Path:
    data = good_data(tmp_path)
    shutil.copy(ANNOUNCEMENTS / "companies.yml", data / "companies.yml")
    shutil.rmtree(data / "requests")
    shutil.rmtree(data / "revisions")
    text = ANNOUNCEMENT.read_text(encoding="utf-8").replace("date: 2020-07-06", "date: 2099-07-06")
    (data / "announcements" / "2099-07-06-example-pause.md").write_text(text, encoding="utf-8")
    return data


def test_validate_and_the_build_refuse_an_announcement_dated_after_today(tmp_path: Path) -> None:
    data = _future_announcement_data(tmp_path)  # outside a repository, and SOURCE_DATE_EPOCH unset: today
    assert_refused(command("validate", "--data-dir", str(data)), "future-date", "2099-07-06-example-pause.md", "date")
    project = minimal_project(tmp_path, data)
    assert_refused(command("build", cwd=project), "future-date", "2099-07-06-example-pause.md", "2099-07-06")
    assert list((project / "site_src").iterdir()) == []
