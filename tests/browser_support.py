"""Build the site into a temporary folder and serve it to Playwright at its own address.

The built site is served through request interception rather than a local HTTP server:
every request under ``site_url`` is answered from the built folder, so the pages run at
the address they were built for (Material's instant navigation only follows links under
``site_url``), and every request to any other origin is aborted and recorded, so a test
can prove the site makes none.
"""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import conftest
from playwright.sync_api import Route

REPO = Path(__file__).resolve().parent.parent
CHART_CACHE = REPO / ".cache" / "browser-tests" / "charts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
CONTENT_TYPES = {".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml",
                 ".css": "text/css", ".html": "text/html", ".xml": "application/xml",
                 ".csv": "text/csv", ".png": "image/png", ".gz": "application/gzip"}


def copy_project(project: Path) -> None:
    """A copy of the project's sources with the real dataset (see conftest.copy_project)."""
    conftest.copy_project(project, full_data=True)


def _seed_chart_images(project: Path) -> None:
    """Reuse chart images (SVG, PNG) rendered before: they are named by a digest of their specification, so
    an image with the right name is the right image, and the builder renders only the rest."""
    charts = project / "site_src" / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    for folder in (CHART_CACHE, REPO / "site_src" / "charts"):
        for image in [*folder.glob("*.svg"), *folder.glob("*.png")]:
            if not (charts / image.name).exists():
                shutil.copy2(image, charts / image.name)


def _keep_chart_images(project: Path) -> None:
    """Keep this build's images (and only those) for the next test run."""
    shutil.rmtree(CHART_CACHE, ignore_errors=True)
    CHART_CACHE.mkdir(parents=True)
    for image in [*(project / "site_src" / "charts").glob("*.svg"), *(project / "site_src" / "charts").glob("*.png")]:
        shutil.copy2(image, CHART_CACHE / image.name)


def build_site(project: Path, site_dir: Path) -> None:
    """Run the two build steps a maintainer runs, failing with their output."""
    _seed_chart_images(project)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    for command in ([sys.executable, "-m", "builder", "build"],
                    [str(mkdocs), "build", "--strict", "-d", str(site_dir)]):
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    _keep_chart_images(project)


def built_site_url(site_dir: Path) -> str:
    """The address the site was built for, as its home page declares it (mkdocs.yml may take
    it from the environment)."""
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<link rel="canonical" href="([^"]+)"', home)
    if found is None:
        raise RuntimeError("the built home page names no canonical address; is site_url set in mkdocs.yml?")
    return found.group(1)


@dataclass
class SiteServer:
    """Answers requests under ``url`` from ``root``; aborts and records all others."""

    root: Path
    url: str
    foreign: list[str] = field(default_factory=list)

    def file_for(self, address: str) -> Path | None:
        path = unquote(urlsplit(address).path)
        prefix = urlsplit(self.url).path
        if not path.startswith(prefix):
            return None
        target = (self.root / path[len(prefix):]).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(self.root.resolve()) or not target.is_file():
            return None
        return target

    def handle(self, route: Route) -> None:
        address = route.request.url
        if not address.startswith(self.url):
            self.foreign.append(address)
            route.abort("blockedbyclient")
            return
        target = self.file_for(address)
        if target is None:
            route.fulfill(status=404, path=str(self.root / "404.html"), content_type="text/html")
            return
        content_type = CONTENT_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
        route.fulfill(status=200, path=str(target), content_type=content_type or "application/octet-stream")
