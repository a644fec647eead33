"""Two builds of the same commit are byte-identical, and the only date in them is the commit's."""

from __future__ import annotations

import gzip
import os
import re
import struct
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import SOURCE_DATE_EPOCH, BuiltSite, build_env, copy_project, mkdocs_build

from builder.adapters import mkdocs_hook
from builder.core.reproducible import VARIABLE, ensure_source_date_epoch, last_commit_epoch

pytestmark = pytest.mark.slow

BUILD_DAY = datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), UTC).date().isoformat()


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_two_builds_of_the_same_sources_are_byte_identical(built_site: BuiltSite, tmp_path: Path) -> None:
    # A second, independent copy: its own docs_dir, its own chart images rendered from scratch.
    project = copy_project(tmp_path / "project")
    mkdocs_build(project, tmp_path / "site", build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH))
    first, second = _tree(built_site.root), _tree(tmp_path / "site")
    assert sorted(first) == sorted(second), "the builds hold different files"
    differing = [path for path in first if first[path] != second[path]]
    assert differing == [], f"these files differ between two builds: {differing}"


def test_sitemap_dates_come_from_source_date_epoch(built_site: BuiltSite) -> None:
    sitemap = (built_site.root / "sitemap.xml").read_text(encoding="utf-8")
    dates = set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap))
    assert dates == {BUILD_DAY}


def test_compressed_sitemap_is_stamped_with_the_build_day(built_site: BuiltSite) -> None:
    compressed = (built_site.root / "sitemap.xml.gz").read_bytes()
    (mtime,) = struct.unpack("<I", compressed[4:8])  # RFC 1952: MTIME, bytes 4-7
    assert datetime.fromtimestamp(mtime, UTC).date().isoformat() == BUILD_DAY
    assert gzip.decompress(compressed) == (built_site.root / "sitemap.xml").read_bytes()


def _git(repo: Path, *args: str, epoch: str = "") -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@example.org",
               GIT_COMMITTER_NAME="A", GIT_COMMITTER_EMAIL="a@example.org")
    if epoch:
        env.update(GIT_AUTHOR_DATE=f"@{epoch} +0000", GIT_COMMITTER_DATE=f"@{epoch} +0000")
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    _git(tmp_path, "add", "mkdocs.yml")
    _git(tmp_path, "commit", "-q", "-m", "first", epoch="1234567890")
    return tmp_path


def test_last_commit_gives_the_epoch(repository: Path) -> None:
    assert last_commit_epoch(repository) == "1234567890"


def test_outside_a_repository_there_is_no_commit_date(tmp_path: Path) -> None:
    assert last_commit_epoch(tmp_path / "nowhere") is None


def test_a_given_source_date_epoch_is_kept(repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, "42")
    assert ensure_source_date_epoch(repository) == "42"
    assert os.environ[VARIABLE] == "42"


def test_mkdocs_hook_dates_the_build_by_the_last_commit(repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, "")  # so that the value the hook sets is undone after the test
    monkeypatch.delenv(VARIABLE)
    config = SimpleNamespace(config_file_path=str(repository / "mkdocs.yml"))
    mkdocs_hook.on_config(config)  # type: ignore[arg-type]
    assert os.environ[VARIABLE] == "1234567890"
