"""`python -m builder validate` on deliberately broken data: every problem named, exit status 1.

Each folder under tests/fixtures/broken/<code>/ holds one request file with one mistake; the
expectations below were written from the fixture files by hand (row numbers as a spreadsheet
shows them, the header being row 1).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from builder.core.problems import CODES, ERROR, WARNING, Problem
from builder.core.schema import COLUMNS
from builder.inputs import checks
from builder.inputs import requests as dataset
from builder.inputs.registry import Registry
from builder.inputs.requests import validate_data_dir

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
REGISTRY = FIXTURES / "site" / "data" / "companies.yml"

# code -> (row, column) of the one problem its fixture holds
BROKEN_REQUESTS: dict[str, tuple[int, str | None]] = {
    "missing-value": (2, "jurisdiction"),
    "bad-count": (2, "requests"),
    "range-reversed": (2, "accounts"),
    "bad-percent": (2, "percent_with_data"),
    "percent-out-of-bounds": (2, "percent_with_data"),
    "bad-date": (2, "period_start"),
    "period-reversed": (2, "period_end"),
    "unknown-company": (2, "company"),
    "company-file-mismatch": (2, "company"),
    "unknown-service": (2, "service"),
    "unknown-jurisdiction": (2, "jurisdiction"),
    "unknown-request-type": (2, "request_type"),
    "produced-exceeds-requests": (2, "requests_with_data"),
    "bad-url": (2, "source_url"),
    "missing-source": (2, "source_url"),
    "bad-derived": (2, "derived"),
    "duplicate-key": (3, "period_start"),
    "overlapping-period": (3, "period_start"),
    "missing-column": (1, "accounts"),
    "duplicate-column": (1, "note"),
    "ragged-row": (2, None),
    "cell-too-long": (2, "note"),
    "bad-text": (2, "company_label"),
    "percent-mismatch": (2, "percent_with_data"),
    "type-not-in-total": (2, "request_type"),
}
BROKEN_REGISTRY: dict[str, str] = {
    "registry-invalid": "companies.0.website",  # the key the schema does not define
    "duplicate-slug": "companies.1.slug",
    "bad-colour": "companies.0.colour",
    "bad-slug": "companies.0.slug",
}


def data_dir(tmp_path: Path, code: str) -> Path:
    """A data folder with the good registry and the broken request file for ``code``."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "broken" / code, target)
    shutil.copy(REGISTRY, target / "companies.yml")
    return target


@pytest.mark.parametrize("code", sorted(BROKEN_REQUESTS))
def test_each_broken_request_file_is_named_with_row_column_and_code(tmp_path: Path, code: str) -> None:
    problems = [p for p in validate_data_dir(data_dir(tmp_path, code)) if p.code == code]
    row, column = BROKEN_REQUESTS[code]
    assert [(p.row, p.column) for p in problems] == [(row, column)]
    problem = problems[0]
    assert problem.file.endswith("requests/meta.csv")
    assert problem.severity == (WARNING if code in ("percent-mismatch", "type-not-in-total") else ERROR)
    assert len(problem.message) > 20  # a sentence that says how to fix it, not a bare code


def test_unreadable_file_is_reported_not_raised(tmp_path: Path) -> None:
    problems = validate_data_dir(data_dir(tmp_path, "file-unreadable"))
    assert [p.code for p in problems] == ["file-unreadable"]
    assert "UTF-8" in problems[0].message


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset, "MAX_REQUEST_FILE_BYTES", 100)
    problems = validate_data_dir(data_dir(tmp_path, "duplicate-key"))
    assert [p.code for p in problems] == ["file-too-large"]


@pytest.mark.parametrize("code", sorted(BROKEN_REGISTRY))
def test_each_broken_registry_is_named_by_key(tmp_path: Path, code: str) -> None:
    target = tmp_path / "data"
    (target / "requests").mkdir(parents=True)
    shutil.copy(FIXTURES / "broken-registry" / code / "companies.yml", target / "companies.yml")
    problems = [p for p in validate_data_dir(target) if p.code == code]
    assert [p.row for p in problems] == [BROKEN_REGISTRY[code]]


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    target = data_dir(tmp_path, "bad-count")
    for code in ("bad-date", "unknown-jurisdiction", "bad-url"):
        source = FIXTURES / "broken" / code / "requests" / "meta.csv"
        lines = source.read_text().splitlines()
        with (target / "requests" / "meta.csv").open("a") as stream:
            stream.write(lines[1].replace("2019-01-01", "2018-01-01").replace("2019-06-30", "2018-06-30") + "\n")
    codes = {p.code for p in validate_data_dir(target)}
    assert {"bad-count", "bad-date", "unknown-jurisdiction", "bad-url"} <= codes


def test_valid_data_has_no_errors() -> None:
    problems = validate_data_dir(FIXTURES / "site" / "data")
    assert [p for p in problems if p.is_error] == []


def test_command_line_prints_a_table_and_exits_1_on_errors(tmp_path: Path) -> None:
    target = data_dir(tmp_path, "unknown-jurisdiction")
    done = subprocess.run([sys.executable, "-m", "builder", "validate", "--data-dir", str(target)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    header = done.stdout.splitlines()[0].split()
    assert header == ["severity", "file", "row", "column", "value", "code", "message"]
    line = next(line for line in done.stdout.splitlines() if "unknown-jurisdiction" in line)
    assert "HKG" in line and " 2 " in line and "jurisdiction" in line


def test_command_line_exits_0_with_warnings_only(tmp_path: Path) -> None:
    target = data_dir(tmp_path, "percent-mismatch")
    done = subprocess.run([sys.executable, "-m", "builder", "validate", "--data-dir", str(target)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "percent-mismatch" in done.stdout


def test_every_check_code_is_declared_and_every_declared_request_code_has_a_fixture() -> None:
    raised = {code for codes in checks.CHECK_CODES.values() for code in codes}
    assert raised <= set(CODES)
    assert [check.__name__ for check in checks.ALL_CHECKS] == list(checks.CHECK_CODES)
    assert raised <= set(BROKEN_REQUESTS)


def test_a_check_registers_only_declared_codes_and_reports_only_those_it_registered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(KeyError, match="no-such-code"):
        checks.check("no-such-code")
    frame = pd.DataFrame({column.name: ["x"] for column in COLUMNS} | {"file": ["f.csv"], "line": [2]})

    def check_says_something_else(frame: pd.DataFrame, registry: object) -> list[Problem]:
        return [Problem("f.csv", 2, "company", "x", "bad-count", "not what this check registered")]

    monkeypatch.setattr(checks, "ALL_CHECKS", [check_says_something_else])
    monkeypatch.setitem(checks.CHECK_CODES, "check_says_something_else", ("unknown-company",))
    with pytest.raises(KeyError, match="bad-count"):
        checks.run_all(frame, Registry({}))


def test_undeclared_code_cannot_be_raised() -> None:
    with pytest.raises(KeyError):
        Problem("f.csv", 2, "requests", "x", "no-such-code", "message")
