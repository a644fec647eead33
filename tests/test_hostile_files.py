"""Files in data/ that are not what they seem are refused by name, unread.

A link to /dev/zero reports no size and would be read without end; a FIFO would make the
reader wait for a writer for ever; a link to a file outside the project would publish it. Each
is put into a copy of a built project; `python -m builder validate`, `python -m builder build`
and `mkdocs build` must each refuse it by name with `not-a-regular-file`, without a traceback,
in bounded time and memory, and leave the previous site and its generated pages as they were.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, SOURCE_DATE_EPOCH, build_env, copy_project, mkdocs_build

from builder.core.reading import FileTooLarge, ReadRefused, read_data_file

MEMORY_LIMIT = 1_500_000_000  # address space for validate: reading /dev/zero whole would pass it
TIMEOUT = 300  # seconds; a read that waits for a FIFO's writer would wait for ever
ANNOUNCEMENT = "2020-07-06-meta-hong-kong-pause.md"


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once with `mkdocs build`: its site in site/, its pages in site_src/."""
    project = copy_project(tmp_path_factory.mktemp("built-project") / "project")
    mkdocs_build(project, project / "site", build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH))
    return project


def zero_request_file(project: Path) -> str:
    link = project / "data" / "requests" / "zero.csv"
    link.symlink_to("/dev/zero")
    return "zero.csv"


def fifo_announcement(project: Path) -> str:
    os.mkfifo(project / "data" / "announcements" / "2020-07-09-fifo.md")
    return "2020-07-09-fifo.md"


def announcement_outside_the_project(project: Path) -> str:
    outside = project.parent / "outside.md"
    shutil.copy(project / "data" / "announcements" / ANNOUNCEMENT, outside)
    (project / "data" / "announcements" / "2020-07-09-outside.md").symlink_to(outside)
    return "2020-07-09-outside.md"


def link_inside_data(project: Path) -> str:
    (project / "data" / "announcements" / "2020-07-09-again.md").symlink_to(ANNOUNCEMENT)
    return "2020-07-09-again.md"


def linked_folder(project: Path) -> str:
    folder = project / "data" / "revisions"
    elsewhere = project.parent / "revisions-elsewhere"
    shutil.move(folder, elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    return "revisions/twitter.csv"


CASES: dict[str, Callable[[Path], str]] = {
    "link to /dev/zero as a request file": zero_request_file,
    "FIFO as an announcement": fifo_announcement,
    "link to an announcement outside the project": announcement_outside_the_project,
    "link to another file of data/": link_inside_data,
    "data folder that is a link": linked_folder,
}


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run(command: list[str], project: Path, limit_memory: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False, timeout=TIMEOUT,
                          env=build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH),
                          preexec_fn=_limited if limit_memory else None)


def _assert_refused(done: subprocess.CompletedProcess[str], name: str) -> None:
    shown = done.stdout + done.stderr
    assert done.returncode != 0, shown
    assert "Traceback" not in shown, shown
    line = next((line for line in shown.splitlines() if " not-a-regular-file " in line), None)
    assert line is not None, shown
    assert name in line, line
    assert "regular files inside the data folder" in line, line  # how to fix it


def _snapshot(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_file_that_is_not_a_regular_file_of_data_is_refused_by_name(case: str, built_project: Path,
                                                                      tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(built_project, project, symlinks=True)
    site, pages = _snapshot(project / "site"), _snapshot(project / "site_src")
    name = CASES[case](project)

    _assert_refused(_run([sys.executable, "-m", "builder", "validate"], project, limit_memory=True), name)
    _assert_refused(_run([sys.executable, "-m", "builder", "build"], project), name)
    _assert_refused(_run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], project), name)
    assert _snapshot(project / "site") == site
    assert _snapshot(project / "site_src") == pages


def test_a_file_is_read_to_its_limit_and_one_byte_more_whatever_its_size_says(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "small.csv").write_bytes(b"a,b\n")
    assert read_data_file(data / "small.csv", data, 4) == b"a,b\n"
    with pytest.raises(FileTooLarge) as too_large:
        read_data_file(data / "small.csv", data, 3)
    assert too_large.value.size == 4
    with pytest.raises(ReadRefused, match="outside the data folder"):
        read_data_file(tmp_path / "elsewhere.csv", data, 10)


def test_an_import_file_that_is_a_link_to_dev_zero_is_refused_unread(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "companies.yml", data / "companies.yml")
    download = tmp_path / "information-requests-report-jan-jun-2017.csv"
    download.symlink_to("/dev/zero")
    command = [sys.executable, "-m", "builder", "import", "twitter", str(download), "--data-dir", str(data)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=TIMEOUT, preexec_fn=_limited)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    line = next(line for line in done.stderr.splitlines() if " file-unreadable " in line)
    assert download.name in line and "character device" in line
    assert not (data / "requests").exists()
