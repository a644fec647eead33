"""Broken input on every path gives a clear error, never a traceback, a crash or lost data.

Covers every problem code in builder.core.problems.CODES with a deliberately broken fixture (the
table COVERAGE names, per code, the input that raises it), the command line on broken input
(exit status 1, the problem table, no traceback), absurd sizes (multi-gigabyte sparse files
and a 50 MB cell, read under a memory limit so that reading one whole fails the test), YAML
tricks, and file names from the data that try to leave the site's folder.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.build import engine
from builder.build import run as site
from builder.core.problems import CODES, Problem, ProblemsFound
from builder.core.settings import from_mkdocs_config
from builder.core.values import ValueProblem, parse_count, parse_percent
from builder.importers import import_files
from builder.importers.common import clean_count, clean_percent
from builder.inputs.announcements import load_announcements
from builder.inputs.registry import load_registry
from builder.inputs.requests import validate_data_dir

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SITE_DATA = FIXTURES / "site" / "data"
ANNOUNCEMENTS = FIXTURES / "announcements"
IMPORTS = FIXTURES / "hostile" / "import"
HEADER = ("company,service,jurisdiction,period_start,period_end,request_type,company_label,requests,accounts,"
          "requests_with_data,percent_with_data,source_url,source_file,derived,note")
ROW = "meta,all,HK,2019-01-01,2019-06-30,all,Total Requests,143,180,94,66,https://transparency.meta.com/,a.csv,,"
HUGE = "3G"  # sparse: takes no disk space, but reading it whole would take 3 GB of memory
MEMORY_LIMIT = 1_500_000_000  # address space for a command that must not read a huge file


def good_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SITE_DATA, target)
    (target / "announcements").mkdir(exist_ok=True)
    return target


def request_fixture(code: str) -> Callable[[Path], list[Problem]]:
    def problems(tmp_path: Path) -> list[Problem]:
        target = tmp_path / "data"
        shutil.copytree(FIXTURES / "broken" / code, target)
        shutil.copy(SITE_DATA / "companies.yml", target / "companies.yml")
        return validate_data_dir(target)
    return problems


def registry_fixture(code: str) -> Callable[[Path], list[Problem]]:
    def problems(tmp_path: Path) -> list[Problem]:
        return load_registry(FIXTURES / "broken-registry" / code / "companies.yml")[1]
    return problems


def announcement_fixture(name: str) -> Callable[[Path], list[Problem]]:
    def problems(tmp_path: Path) -> list[Problem]:
        folder = tmp_path / "announcements"
        folder.mkdir()
        shutil.copy(ANNOUNCEMENTS / "broken" / name, folder / name)
        return load_announcements(folder, load_registry(ANNOUNCEMENTS / "companies.yml")[0])[1]
    return problems


def import_fixture(company: str, folder: str) -> Callable[[Path], list[Problem]]:
    def problems(tmp_path: Path) -> list[Problem]:
        target = tmp_path / "data"
        target.mkdir()
        shutil.copy(REPO / "data" / "companies.yml", target / "companies.yml")
        files = sorted(path for path in (IMPORTS / folder).iterdir() if path.suffix in {".csv", ".xlsx"})
        return import_files(company, files, target).problems
    return problems


def stray_files(tmp_path: Path) -> list[Problem]:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "hostile" / "stray-file", target)
    shutil.copy(SITE_DATA / "companies.yml", target / "companies.yml")
    return validate_data_dir(target)


def huge_request_file(tmp_path: Path) -> list[Problem]:
    target = good_data(tmp_path)
    subprocess.run(["truncate", "-s", HUGE, str(target / "requests" / "meta.csv")], check=True)
    return validate_data_dir(target)


def linked_announcement(tmp_path: Path) -> list[Problem]:
    target = good_data(tmp_path)
    link = target / "announcements" / "2020-07-06-link.md"
    link.symlink_to(ANNOUNCEMENTS / "valid" / "2020-07-06-example-pause.md")
    return validate_data_dir(target)


def future_announcement(tmp_path: Path) -> list[Problem]:
    folder = tmp_path / "announcements"
    folder.mkdir()
    shutil.copy(ANNOUNCEMENTS / "valid" / "2020-07-06-example-pause.md", folder)
    registry = load_registry(ANNOUNCEMENTS / "companies.yml")[0]
    return load_announcements(folder, registry, build_day=date(2020, 7, 1))[1]


_REQUEST_CODES = sorted(p.name for p in (FIXTURES / "broken").iterdir())
_REGISTRY_CODES = sorted(p.name for p in (FIXTURES / "broken-registry").iterdir())

def broken_events(tmp_path: Path) -> list[Problem]:
    target = good_data(tmp_path)
    shutil.copy(FIXTURES / "broken-events" / "event-invalid.yml", target / "events.yml")
    return validate_data_dir(target)


def no_site_url(tmp_path: Path) -> list[Problem]:
    project = minimal_project(tmp_path, good_data(tmp_path))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_url: https://example.org/\n", ""),
                      encoding="utf-8")
    with pytest.raises(ProblemsFound) as found:
        engine.load(from_mkdocs_config(config))
    return found.value.problems


# code -> the deliberately broken input that raises it
COVERAGE: dict[str, Callable[[Path], list[Problem]]] = {
    **{code: request_fixture(code) for code in _REQUEST_CODES},
    **{code: registry_fixture(code) for code in _REGISTRY_CODES},
    "file-too-large": huge_request_file,
    "stray-file": stray_files,
    "not-a-regular-file": linked_announcement,
    "future-date": future_announcement,
    "announcement-no-front-matter": announcement_fixture("no-front-matter.md"),
    "announcement-invalid": announcement_fixture("wrong-type.md"),
    "announcement-unknown-key": announcement_fixture("unknown-key.md"),
    "announcement-unknown-action": announcement_fixture("unknown-action.md"),
    "announcement-unknown-scope": announcement_fixture("unknown-scope.md"),
    "announcement-date-precision": announcement_fixture("date-precision.md"),
    "announcement-empty-body": announcement_fixture("empty-body.md"),
    "unknown-layout": import_fixture("twitter", "unknown-layout"),
    "bad-file-name": import_fixture("meta", "bad-file-name"),
    "unknown-place": import_fixture("twitter", "unknown-place"),
    "unknown-request-label": import_fixture("google", "unknown-request-label"),
    "bad-cell": import_fixture("twitter", "bad-cell"),
    "bad-encoding": import_fixture("twitter", "bad-encoding"),
    "share-mismatch": import_fixture("microsoft", "share-mismatch"),
    "bad-site-url": no_site_url,
    "event-invalid": broken_events,
}


def test_every_declared_code_has_a_broken_fixture() -> None:
    assert sorted(set(CODES) - set(COVERAGE)) == []
    assert sorted(set(COVERAGE) - set(CODES)) == []


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_is_raised_by_its_fixture_with_a_location_and_a_fix(code: str, tmp_path: Path) -> None:
    raised = [problem for problem in COVERAGE[code](tmp_path) if problem.code == code]
    assert raised, f"the fixture for {code} does not raise it"
    for problem in raised:
        assert problem.file
        assert len(problem.message) > 20, problem  # says how to fix it, not just the code


# --- the command line ---------------------------------------------------------------------


def command(*args: str, cwd: Path | None = None, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True,
                          check=False, preexec_fn=limit)


def assert_refused(done: subprocess.CompletedProcess[str], code: str, *where: str) -> str:
    """Exit status 1, the problem table naming ``code`` and ``where``, and no traceback."""
    shown = done.stdout + done.stderr
    assert done.returncode == 1, shown
    assert "Traceback" not in done.stderr, done.stderr
    assert "severity  file" in shown
    line = next((line for line in shown.splitlines() if f" {code} " in line), None)
    assert line is not None, shown
    for part in where:
        assert part in line, (part, line)
    return line


YAML_TRICKS = {
    "object": ("companies: !!python/object/apply:os.system ['touch {marker}']", "constructor"),
    "alias": ("a: &a [x, x, x]\nb: &b [*a, *a, *a]\ncompanies: [*b, *b, *b]", "aliases"),
    "deep": ("companies: " + "[" * 1000 + "]" * 1000, "nested deeper"),
    "tag": ("companies: !include /etc/passwd", "constructor"),
    "repeated-key": ("companies:\n  - slug: google\n    slug: meta\n    name: G\n    services: [all]\n"
                     "    colour: '#000000'\n", "the key `slug` appears twice"),
}


@pytest.mark.parametrize("trick", sorted(YAML_TRICKS))
def test_yaml_tricks_in_the_registry_are_refused(trick: str, tmp_path: Path) -> None:
    data = good_data(tmp_path)
    marker = tmp_path / "executed"
    text, message = YAML_TRICKS[trick]
    (data / "companies.yml").write_text(text.format(marker=marker), encoding="utf-8")
    line = assert_refused(command("validate", "--data-dir", str(data)), "registry-invalid", "companies.yml")
    assert message in line
    assert not marker.exists()


@pytest.mark.parametrize("trick", sorted(YAML_TRICKS))
def test_yaml_tricks_in_announcement_front_matter_are_refused(trick: str, tmp_path: Path) -> None:
    data = good_data(tmp_path)
    marker = tmp_path / "executed"
    text, message = YAML_TRICKS[trick]
    valid = (ANNOUNCEMENTS / "valid" / "2020-07-06-example-pause.md").read_text(encoding="utf-8")
    front_matter = text.format(marker=marker).replace("companies:", "title:")
    (data / "announcements" / "2020-07-06-trick.md").write_text(
        valid.replace("title: Example pauses data requests from Hong Kong and Macao", front_matter), encoding="utf-8")
    shutil.copy(ANNOUNCEMENTS / "companies.yml", data / "companies.yml")
    shutil.rmtree(data / "requests")
    line = assert_refused(command("validate", "--data-dir", str(data)), "announcement-invalid", "2020-07-06-trick.md")
    assert message in line
    assert not marker.exists()


def minimal_project(tmp_path: Path, data: Path) -> Path:
    """A site folder with only what `python -m builder build` reads before it writes."""
    project = tmp_path / "project"
    (project / "site_src").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(f"site_name: t\nsite_url: https://example.org/\ndocs_dir: site_src\n"
                                        f"extra:\n  transparency:\n"
                                        f"    data_dir: {data}\n", encoding="utf-8")
    return project


def test_build_on_broken_data_prints_the_table_and_writes_nothing(tmp_path: Path) -> None:
    data = good_data(tmp_path)
    with (data / "requests" / "meta.csv").open("a", encoding="utf-8") as stream:
        stream.write(ROW.replace(",143,", ",lots,").replace("2019-01-01,2019-06-30", "2021-01-01,2021-06-30") + "\n")
    project = minimal_project(tmp_path, data)
    done = command("build", cwd=project)
    assert_refused(done, "bad-count", "meta.csv", "requests")
    assert "Nothing was written" in done.stderr
    assert list((project / "site_src").iterdir()) == []


def test_build_without_a_site_url_says_so_and_writes_nothing(tmp_path: Path) -> None:
    project = minimal_project(tmp_path, good_data(tmp_path))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_url: https://example.org/\n", ""),
                      encoding="utf-8")
    done = command("build", cwd=project)
    assert_refused(done, "bad-site-url", "mkdocs.yml", "site_url")
    assert list((project / "site_src").iterdir()) == []


def test_import_of_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "companies.yml", data / "companies.yml")
    done = command("import", "twitter", str(tmp_path / "no-such-file.csv"), "--data-dir", str(data))
    assert_refused(done, "file-unreadable", "no-such-file.csv")
    assert not (data / "requests").exists()


def test_import_of_a_file_with_a_bad_cell_is_refused_on_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "companies.yml", data / "companies.yml")
    files = [str(path) for path in (IMPORTS / "bad-cell").glob("*.csv")]
    assert_refused(command("import", "twitter", *files, "--data-dir", str(data)), "bad-cell", "PERCENTAGE")
    assert not (data / "requests").exists()


# --- absurd sizes ---------------------------------------------------------------------------


def test_a_huge_request_file_is_refused_unread(tmp_path: Path) -> None:
    data = good_data(tmp_path)
    subprocess.run(["truncate", "-s", HUGE, str(data / "requests" / "meta.csv")], check=True)
    done = command("validate", "--data-dir", str(data), memory=MEMORY_LIMIT)
    assert_refused(done, "file-too-large", "meta.csv", "3,221,225,472")


def test_a_huge_registry_is_refused_unread(tmp_path: Path) -> None:
    data = good_data(tmp_path)
    (data / "companies.yml").unlink()
    subprocess.run(["truncate", "-s", HUGE, str(data / "companies.yml")], check=True)
    done = command("validate", "--data-dir", str(data), memory=MEMORY_LIMIT)
    assert_refused(done, "file-too-large", "companies.yml", "3,221,225,472")


def test_a_huge_announcement_is_refused_unread(tmp_path: Path) -> None:
    data = good_data(tmp_path)
    subprocess.run(["truncate", "-s", HUGE, str(data / "announcements" / "2020-07-06-huge.md")], check=True)
    done = command("validate", "--data-dir", str(data), memory=MEMORY_LIMIT)
    assert_refused(done, "file-too-large", "2020-07-06-huge.md")


def test_a_huge_import_file_is_refused_unread(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "companies.yml", data / "companies.yml")
    huge = tmp_path / "information-requests-report-jan-jun-2017.csv"
    subprocess.run(["truncate", "-s", HUGE, str(huge)], check=True)
    done = command("import", "twitter", str(huge), "--data-dir", str(data), memory=MEMORY_LIMIT)
    assert_refused(done, "file-too-large", huge.name)


def test_a_50_mb_cell_in_a_request_file_is_named(tmp_path: Path) -> None:
    data = good_data(tmp_path)
    with (data / "requests" / "meta.csv").open("a", encoding="utf-8") as stream:
        stream.write(ROW.replace("2019-01-01,2019-06-30", "2021-01-01,2021-06-30") + '"' + "n" * 50_000_000 + '"\n')
    done = command("validate", "--data-dir", str(data))
    line = assert_refused(done, "cell-too-long", "meta.csv")
    assert "line " in line and "closing quote" in line


def test_an_unclosed_quote_in_an_import_file_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "companies.yml", data / "companies.yml")
    source = IMPORTS / "bad-cell" / "information-requests-report-jan-jun-2017.csv"
    broken = tmp_path / source.name
    broken.write_text(source.read_text(encoding="utf-8").replace("Argentina", '"Argentina') + "x" * 200_000 + "\n",
                      encoding="utf-8")
    line = assert_refused(command("import", "twitter", str(broken), "--data-dir", str(data)), "cell-too-long")
    assert broken.name in line and "closing quote" in line


# --- names from the data never leave the site's folder -------------------------------------


@pytest.mark.parametrize("stem", ["..", "...", "..-x", "a..b", "UPPER", "a b", "a%2f..", ".hidden"])
def test_announcement_file_names_that_are_not_slugs_are_refused(stem: str, tmp_path: Path) -> None:
    folder = tmp_path / "announcements"
    folder.mkdir()
    valid = (ANNOUNCEMENTS / "valid" / "2020-07-06-example-pause.md").read_text(encoding="utf-8")
    (folder / f"{stem}.md").write_text(valid, encoding="utf-8")
    announcements, problems = load_announcements(folder, load_registry(ANNOUNCEMENTS / "companies.yml")[0])
    assert announcements == []
    assert [p.code for p in problems] == ["bad-slug"]


@pytest.mark.parametrize("slug", ["../../etc", "..", "a/b", "/abs", "a\\b", "."])
def test_company_slugs_that_could_make_paths_are_refused(slug: str, tmp_path: Path) -> None:
    registry = tmp_path / "companies.yml"
    registry.write_text(f"companies:\n  - slug: '{slug}'\n    name: X\n    services: [all]\n"
                        "    colour: '#000000'\n", encoding="utf-8")
    loaded, problems = load_registry(registry)
    assert loaded.companies == {}
    assert [p.code for p in problems] == ["bad-slug"]


@pytest.mark.parametrize("jurisdiction", ["../x", "..", "H/K", "hk/../../x"])
def test_jurisdiction_codes_that_could_make_paths_are_refused(jurisdiction: str, tmp_path: Path) -> None:
    data = good_data(tmp_path)
    with (data / "requests" / "meta.csv").open("a", encoding="utf-8") as stream:
        stream.write(ROW.replace(",HK,", f",{jurisdiction},").replace("2019-01-01,2019-06-30", "2021-01-01,2021-06-30")
                     + "\n")
    assert "unknown-jurisdiction" in {p.code for p in validate_data_dir(data) if p.is_error}


@pytest.mark.parametrize("path", ["../escape.md", "/tmp/escape.md", "charts/../../escape.svg", ".", "a/../.."])
def test_an_output_path_outside_docs_dir_is_refused(path: str, tmp_path: Path) -> None:
    with pytest.raises(engine.OutputOutsideDocsDir, match="outside"):
        engine.check_inside(tmp_path / "site_src", ["index.md", path])


def test_generation_writes_nothing_when_one_path_would_escape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = good_data(tmp_path)
    project = minimal_project(tmp_path, data)
    real_plan = engine.plan

    def escaping(*args: object, **kwargs: object) -> list[tuple[engine.Route, str]]:
        def escape(outputs: object, path: str) -> None:
            outputs.add(path, b"outside")  # type: ignore[attr-defined]

        return [*real_plan(*args, **kwargs), (engine.Route("escaping", "../escape.md", escape), "key")]

    monkeypatch.setattr(engine, "plan", escaping)
    with pytest.raises(engine.OutputOutsideDocsDir):
        site.generate(from_mkdocs_config(project / "mkdocs.yml"))
    assert not (project / "escape.md").exists()
    assert not list(project.glob("**/escape.md"))
    assert list((project / "site_src").iterdir()) == []


# --- cleaning the companies' cells: canonical text or a clear error, for any text ---------


COUNT_TEXT = st.one_of(
    st.text(alphabet="0123456789,-* .%", max_size=14),
    st.text(max_size=8),
    st.builds(lambda n, sep: f"{n:,}".replace(",", sep), st.integers(0, 10**9), st.sampled_from([",", ".", " "])),
)


@given(COUNT_TEXT)
def test_any_published_count_is_canonical_or_a_bad_cell(published: str) -> None:
    try:
        cell = clean_count(published)
    except ValueProblem as problem:
        assert problem.code in {"bad-cell", "range-reversed"}
        assert len(problem.message) > 10
        return
    assert cell.text == "" or parse_count(cell.text) is not None
    assert clean_count(cell.text).text == cell.text  # canonical text reads back as itself
    assert cell.footnote in {"", *("*" * n for n in range(1, 15))}


@given(st.integers(0, 10**12), st.sampled_from(["", "*", "**"]), st.sampled_from(["", " ", "  "]))
def test_a_count_with_separators_and_a_footnote_keeps_its_number(number: int, footnote: str, pad: str) -> None:
    cell = clean_count(f"{pad}{number:,}{footnote}{pad}")
    assert (cell.text, cell.footnote) == (str(number), footnote)


@given(st.one_of(st.text(alphabet="0123456789.% -", max_size=10), st.text(max_size=6)))
def test_any_published_percent_is_canonical_or_a_bad_cell(published: str) -> None:
    try:
        canonical = clean_percent(published)
    except ValueProblem as problem:
        assert problem.code in {"bad-cell", "percent-out-of-bounds", "bad-percent"}
        return
    assert canonical == "" or 0 <= parse_percent(canonical) <= 100
    assert clean_percent(canonical) == canonical


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False), st.sampled_from(["", "%", " %"]))
def test_a_percentage_loses_only_its_sign(value: Decimal, sign: str) -> None:
    assert clean_percent(f"{value}{sign}") == str(value)


def test_files_the_builder_would_not_read_are_named(tmp_path: Path) -> None:
    problems = stray_files(tmp_path)
    assert sorted((Path(p.file).name, p.code, p.severity) for p in problems) == [
        ("2020-07-06-example-pause.md.txt", "stray-file", "error"),
        ("meta.CSV", "stray-file", "error"),
    ]
    assert all("rename it to end in" in p.message for p in problems)
