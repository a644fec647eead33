"""Shared fixtures: one site, built once per test session from a copy of the project.

The copy holds mkdocs.yml, builder/, overrides/, the hand-written part of site_src/ and
data/ with the small fixture's request files in place of the full dataset (the full one
renders about a thousand chart images, minutes of work; set TEST_FULL_DATA=1 to build it).
The build is dated by a fixed SOURCE_DATE_EPOCH far from any real build day, so a date
taken from the clock instead would show.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from builder.build.run import GENERATED_DIRS, GENERATED_FILES

REPO = Path(__file__).resolve().parent.parent
FIXTURE_DATA = REPO / "tests" / "fixtures" / "site" / "data"
SOURCE_DATE_EPOCH = "4102444800"  # 2100-01-01T00:00:00Z: after every announcement, which must not be later
SITE_URL = "https://example.org/transparency/"  # mkdocs.yml's default when SITE_URL is not set
PROJECT_PATHS = ("mkdocs.yml", "builder", "overrides")


@dataclass(frozen=True)
class BuiltSite:
    project: Path  # the copy it was built from
    root: Path  # the built site (site_dir)
    url: str  # its site_url

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


def _hand_written(source: str, names: list[str]) -> set[str]:
    """copytree's ignore: leave out what the builder generates into docs_dir."""
    relative = Path(source).relative_to(REPO / "site_src").as_posix()
    generated = set(GENERATED_DIRS) | set(GENERATED_FILES)
    return {name for name in names if (name if relative == "." else f"{relative}/{name}") in generated}


def copy_project(project: Path, full_data: bool | None = None) -> Path:
    """A copy of the project's sources, without generated files, to build from: with the full
    dataset when ``full_data`` (default: TEST_FULL_DATA=1), else the small fixture's requests."""
    project.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PATHS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, project / name)
    shutil.copytree(REPO / "site_src", project / "site_src", ignore=_hand_written)
    shutil.copytree(REPO / "data", project / "data", ignore=shutil.ignore_patterns("sources"))
    requests = project / "data" / "requests"
    if full_data is None:
        full_data = os.environ.get("TEST_FULL_DATA") == "1"
    if not full_data or not any(requests.glob("*.csv")):
        shutil.rmtree(requests)
        shutil.copytree(FIXTURE_DATA / "requests", requests)
        # The record of revisions is checked against the requests: it goes with them.
        shutil.rmtree(project / "data" / "revisions", ignore_errors=True)
        if (FIXTURE_DATA / "revisions").is_dir():
            shutil.copytree(FIXTURE_DATA / "revisions", project / "data" / "revisions")
    return project


def fixture_project(project: Path) -> Path:
    """``project``: the repository's mkdocs.yml and the small fixture data, nothing generated;
    its mkdocs.yml."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(FIXTURE_DATA, project / "data")
    return project / "mkdocs.yml"


def empty_data_dir(tmp_path: Path) -> Path:
    """A data folder holding only the real companies registry, to import into."""
    target = tmp_path / "data"
    target.mkdir()
    shutil.copy(REPO / "data" / "companies.yml", target / "companies.yml")
    return target


def build_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "SOURCE_DATE_EPOCH"}}
    env.update(NO_MKDOCS_2_WARNING="1", **extra)
    return env


def run(command: list[str], project: Path, env: Mapping[str, str]) -> None:
    """Run a build step in ``project``, failing the test with its output."""
    done = subprocess.run(command, cwd=project, env=dict(env), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def mkdocs_build(project: Path, site_dir: Path, env: Mapping[str, str]) -> None:
    run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)], project, env)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site as ``make site`` builds it (``mkdocs build --strict``), built once per session."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    root = tmp_path_factory.mktemp("built") / "site"
    mkdocs_build(project, root, build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH))
    return BuiltSite(project, root, SITE_URL)


class _References(HTMLParser):
    """The addresses an HTML page refers to, and the fragment targets it holds."""

    URL_ATTRIBUTES = frozenset({"href", "src", "data-spec", "poster"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[str] = []
        self.targets: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in self.URL_ATTRIBUTES:
                self.references.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.targets.add(value)


def parse_html(path: Path) -> _References:
    parser = _References()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_url(site: BuiltSite, html_file: Path) -> str:
    """The address a built file is served at (``foo/index.html`` at ``foo/``)."""
    relative = html_file.relative_to(site.root).as_posix()
    return site.url + relative.removesuffix("index.html")


@dataclass
class LinkReport:
    checked: int = 0
    broken: list[str] = field(default_factory=list)


def check_links(site: BuiltSite) -> LinkReport:
    """Every internal address (relative or under site_url) and #fragment in every HTML file
    must resolve to a file of the build; other origins are not fetched."""
    report = LinkReport()
    parsed = {path: parse_html(path) for path in site.html_files()}
    base = urlsplit(site.url)
    for html_file, page in parsed.items():
        here = page_url(site, html_file)
        for reference in page.references:
            address = urljoin(here, reference)
            parts = urlsplit(address)
            if parts.scheme not in {"http", "https"} or parts.netloc != base.netloc:
                continue  # another origin, mailto:, data: and the like
            report.checked += 1
            problem = _resolve(site, parsed, parts.path, parts.fragment)
            if problem:
                report.broken.append(f"{html_file.relative_to(site.root)}: {reference} -> {problem}")
    return report


def problem_with(site: BuiltSite, address: str) -> str | None:
    """Why an absolute address under site_url does not resolve in the build, or None."""
    parts = urlsplit(address)
    return _resolve(site, {}, parts.path, parts.fragment)


def _resolve(site: BuiltSite, parsed: dict[Path, _References], path: str, fragment: str) -> str | None:
    path = unquote(path)
    prefix = urlsplit(site.url).path
    if not (path + "/").startswith(prefix):
        return f"outside the site ({prefix})"
    target = site.root / path[len(prefix):]
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return "no such file in the build"
    if fragment and target.suffix == ".html":
        targets = parsed[target].targets if target in parsed else parse_html(target).targets
        if unquote(fragment) not in targets:
            return f"no element with id {fragment!r}"
    return None
