"""A build that fails leaves the published site exactly as it was, and nothing half-written.

One copy of the project is built once (`mkdocs build --strict` into its own site/); each
test then breaks one input, builds again, and compares every byte of site/ with the snapshot
taken before. The breakages cover both ways MkDocs fails: before it writes (the data has
errors, so the hook aborts) and after it has written every page (strict mode counts a
warning, which MkDocs checks only at the very end).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SOURCE_DATE_EPOCH, build_env, copy_project

from builder.build import rendering
from builder.build import run as site
from builder.core import files as output
from builder.core.settings import from_mkdocs_config

BAD_ROW = ("meta,all,HK,2020-01-01,2020-06-30,all,Total Requests,lots,,,,"
           "https://transparency.meta.com/reports/government-data-requests,x.csv,,\n")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its SHA-256: what a reader of the folder would get."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(site_dir: Path) -> list[str]:
    return sorted(p.name for p in site_dir.parent.iterdir() if p.name.startswith(site_dir.name + "."))


def mkdocs(project: Path) -> subprocess.CompletedProcess[str]:
    env = build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True, check=False)


def mkdocs_with(project: Path, path: Path, content: bytes) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` with ``path`` holding ``content`` for this build only; then as it was."""
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(content)
    try:
        return mkdocs(project)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = copy_project(tmp_path_factory.mktemp("atomic") / "project")
    done = mkdocs(built)
    assert done.returncode == 0, done.stderr
    return built


@pytest.fixture
def published(project: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """The published site/ and its snapshot; afterwards the site must still be whole."""
    site_dir = project / "site"
    before = snapshot(site_dir)
    assert "index.html" in before
    yield site_dir, before
    assert leftovers(site_dir) == []


def test_broken_data_fails_with_the_table_and_leaves_the_site_untouched(
    project: Path, published: tuple[Path, dict[str, str]]
) -> None:
    site_dir, before = published
    requests = project / "data" / "requests" / "meta.csv"
    done = mkdocs_with(project, requests, requests.read_bytes() + BAD_ROW.encode())
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    shown = done.stdout + done.stderr  # MkDocs prints an abort's message on stdout
    assert "bad-count" in shown
    assert "requests/meta.csv" in shown
    assert "nothing was built" in shown
    assert f"{site_dir} was left as it was" in shown
    assert snapshot(site_dir) == before


def test_a_strict_mode_warning_after_rendering_leaves_the_site_untouched(
    project: Path, published: tuple[Path, dict[str, str]]
) -> None:
    site_dir, before = published
    done = mkdocs_with(project, project / "site_src" / "broken-link.md",
                       b"# Broken\n\nSee [the missing page](missing.md).\n")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    shown = done.stdout + done.stderr
    assert "missing.md" in shown
    assert "Aborted with 1 warnings in strict mode" in shown
    assert f"{site_dir} was left as it was" in shown
    assert snapshot(site_dir) == before


def test_a_successful_build_replaces_the_site_whole(project: Path, published: tuple[Path, dict[str, str]]) -> None:
    site_dir, before = published
    stale = site_dir / "stale.html"
    stale.write_text("from an older build", encoding="utf-8")
    done = mkdocs_with(project, project / "site_src" / "extra-page.md", b"# Extra\n\nA page added by hand.\n")
    assert done.returncode == 0, done.stderr
    after = snapshot(site_dir)
    assert "extra-page/index.html" in after
    assert "stale.html" not in after  # the new build replaced the folder, it did not add to it
    assert set(before) <= set(after) | {"stale.html"}
    done = mkdocs(project)  # back to the state the other tests expect
    assert done.returncode == 0, done.stderr


def test_builder_command_line_writes_nothing_on_broken_data(project: Path) -> None:
    docs_dir = project / "site_src"
    before = snapshot(docs_dir)
    registry = project / "data" / "companies.yml"
    original = registry.read_bytes()
    registry.write_bytes(original.replace(b'colour: "#0072B2"', b'colour: "blue"', 1))
    try:
        done = subprocess.run([sys.executable, "-m", "builder", "build"], cwd=project, env=build_env(),
                              capture_output=True, text=True, check=False)
    finally:
        registry.write_bytes(original)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "bad-colour" in done.stderr and "companies.0.colour" in done.stderr
    assert "Nothing was written" in done.stderr
    assert snapshot(docs_dir) == before


def test_generation_that_fails_late_writes_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything is computed before the first file is written: a failure in the last step
    (rendering chart images) leaves docs_dir as it was."""
    settings = from_mkdocs_config(project / "mkdocs.yml")
    docs_dir = settings.docs_dir
    before = snapshot(docs_dir)
    announcement = project / "data" / "announcements" / "2020-07-06-meta-hong-kong-pause.md"
    original = announcement.read_bytes()
    announcement.write_bytes(original + b"\nA sentence that changes several pages.\n")
    stale_svg = next(docs_dir.glob("charts/*.svg"))
    stale_svg.unlink()  # so that the run has an image to render
    try:
        def fail(renderer: object) -> int:
            raise RuntimeError("renderer crashed")

        monkeypatch.setattr(rendering.Renderer, "close", fail)
        with pytest.raises(RuntimeError, match="renderer crashed"):
            site.generate(settings)
        after = snapshot(docs_dir)
    finally:
        monkeypatch.undo()
        announcement.write_bytes(original)
        site.generate(settings)
    removed = stale_svg.relative_to(docs_dir).as_posix()
    assert after == {path: digest for path, digest in before.items() if path != removed}


def test_a_file_write_that_fails_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "page.md"
    target.write_text("old", encoding="utf-8")

    def crash(source: str, destination: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        output.write_if_changed(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_mkdocs_serve_is_not_staged(project: Path) -> None:
    """`mkdocs serve` builds into its own temporary folder; the hook must leave site_dir alone."""
    from mkdocs.config import load_config

    from builder.adapters import mkdocs_hook

    config = load_config(str(project / "mkdocs.yml"))
    site_dir = config.site_dir
    mkdocs_hook.on_startup(command="serve", dirty=False)
    try:
        assert mkdocs_hook.on_config(config).site_dir == site_dir
    finally:
        mkdocs_hook.on_startup(command=None, dirty=False)
