"""The road past Material for MkDocs: Zensical builds the same mkdocs.yml.

Zensical runs no MkDocs hooks or plugins, so the builder runs first (``python -m builder
build``) and Zensical compiles what it wrote into docs_dir.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import SOURCE_DATE_EPOCH, BuiltSite, build_env, copy_project, page_url, parse_html, run

pytest.importorskip("zensical", reason="Zensical is not installed (pip install -e '.[test]')")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = copy_project(tmp_path_factory.mktemp("zensical-project"))
    env = build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    run([sys.executable, "-m", "builder", "build"], project, env)
    run([sys.executable, "-m", "zensical", "build", "--strict", "-f", "mkdocs.yml"], project, env)
    return BuiltSite(project, project / "site", "https://example.org/transparency/")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _chart_images(site: BuiltSite, page: Path) -> list[str]:
    return [r for r in parse_html(page).references if r.endswith(".svg") and "/charts/" in r]


def test_hong_kong_page_has_its_chart_figure_and_static_svg(zensical_site: BuiltSite) -> None:
    page = zensical_site.root / "jurisdictions" / "hk" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert '<figure class="tc-chart"' in html
    assert "Hong Kong" in html
    images = _chart_images(zensical_site, page)
    assert images
    for image in images:
        assert (zensical_site.root / "charts" / Path(image).name).is_file(), image


def test_two_zensical_builds_are_byte_identical(zensical_site: BuiltSite, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(zensical_site.project, project, ignore=shutil.ignore_patterns("site", ".cache"))
    run([sys.executable, "-m", "zensical", "build", "--strict", "-f", "mkdocs.yml"], project,
        build_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH))
    first, second = _tree(zensical_site.root), _tree(project / "site")
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []


def test_hong_kong_chart_images_resolve_from_the_page(zensical_site: BuiltSite) -> None:
    page = zensical_site.root / "jurisdictions" / "hk" / "index.html"
    here = page_url(zensical_site, page)
    for image in _chart_images(zensical_site, page):
        address = urljoin(here, image)
        assert address.startswith(zensical_site.url), image
        assert (zensical_site.root / address.removeprefix(zensical_site.url)).is_file(), image
